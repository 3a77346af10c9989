"""docs/disclosure.md documents every field, role, relationship, policy and problem kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dhakira.core.handover import verify
from dhakira.core.handover.loadfile import FIELDS
from dhakira.core.handover.manifest import CSV_FIELDS, RELATIONSHIPS, ROLES
from dhakira.core.handover.redact import POLICIES

DOC = (Path(__file__).parents[2] / "docs" / "disclosure.md").read_text(encoding="utf-8")
KINDS = set(re.findall(r'add\("([a-z_]+)"', Path(verify.__file__).read_text()))


@pytest.mark.parametrize("word", sorted(set(FIELDS) | set(CSV_FIELDS) | ROLES | RELATIONSHIPS
                                        | set(POLICIES)))
def test_every_format_word_is_documented(word: str) -> None:
    assert f"`{word}`" in DOC


def test_every_problem_kind_is_documented_in_both_languages() -> None:
    assert {"missing", "extra", "altered", "renamed", "forged_manifest"} <= KINDS
    english, arabic = DOC.split("## تعليمات")
    for kind in KINDS:
        assert f"`{kind.upper()}`" in english and f"`{kind.upper()}`" in arabic
