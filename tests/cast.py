"""The shared cast of test users: an administrator, a documenter cleared for sources,
an analyst cleared for nothing, a viewer, and an outsider (logged in, no role: what
``createsuperuser`` makes) who must see nothing at all."""

from __future__ import annotations

from django.test import Client

from dhakira.apps.dossier.accounts import create_user

PASSWORD = "correct-horse-battery"
SETUP = "test-setup"  # the custody actor of accounts the tests create


def make_outsider(username: str = "oscar") -> object:
    """A superuser without a Profile: Django calls him staff, Dhakira gives him no role."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(username, f"{username}@example.org", PASSWORD)


def make_cast() -> dict[str, object]:
    return {
        "amal": create_user("amal", PASSWORD, role="administrator", actor=SETUP,
                            clearances=["sources", "sogi", "protection", "addresses"], superuser=True),
        "rana": create_user("rana", PASSWORD, role="documenter", actor=SETUP,
                            clearances=["sources", "addresses"]),
        "samir": create_user("samir", PASSWORD, role="analyst", actor=SETUP),
        "victor": create_user("victor", PASSWORD, role="viewer", actor=SETUP),
        "oscar": make_outsider(),
    }


def add_legal_officer(cast: dict[str, object]) -> dict[str, object]:
    """The cast with ``layla``, a legal officer (the hand-over and legal tests need her)."""
    cast["layla"] = create_user("layla", PASSWORD, role="legal", actor=SETUP)
    return cast


def client_for(username: str | None, lang: str = "en") -> Client:
    """A test client asking for pages in ``lang``, logged in as ``username`` through the
    authentication backends with the cast's password (``None``: not logged in)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client
