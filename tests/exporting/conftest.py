"""Export tests use the hand-over tests' vault folder and cast (with layla)."""

from tests.handover.conftest import cast, vault

__all__ = ["cast", "vault"]
