"""The bilingual (English and Arabic) PDF summary shipped as ``summary.pdf`` in every package.

Built from ids, hashes and counts only: package header, the signer key fingerprint, items by
kind, blocked items counted by reason (never naming who blocked them), each file's item id,
role and SHA-256 (and the original it stands for), family relationships, and how to verify.
It holds no name, no source, no address and no text of any item, and goes through the same
leak checks as every other file of the package.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.template.loader import render_to_string

from dhakira.core.handover import PackageBuilder

KINDS = {"I": ("Reports", "بلاغات"), "A": ("Acts", "أفعال"), "EV": ("Evidence items", "أدلة")}
# Ids inside a reason (the blocked person, report or parent) are left out of the summary.
_IDS = re.compile(r"\b(?:P|I|A|E|EV|S)-\d+\b:?\s*")
_DETAIL = re.compile(r"\s*\(.*?\)")


def reason_category(reason: str) -> str:
    """A blocked item's reason without ids or version details, e.g. ``consent refused``."""
    return _DETAIL.sub("", _IDS.sub("", reason)).strip(" :;") or "blocked"


def _kind(uid: str) -> str:
    return uid.split("-", 1)[0]


def _purpose_words(code: str) -> tuple[str, str]:
    """The use a package is for, in English and Arabic (a consent scope's labels); an unknown
    code as given, in both."""
    from dhakira.core.vocabularies import VocabularyError, load

    try:
        scopes = load("consent_scopes")
        return scopes.label(code, "en"), scopes.label(code, "ar")
    except VocabularyError:
        return code, code


def _policy_words(name: str) -> tuple[str, str]:
    """A redaction policy's words in English and Arabic (as the package form names it)."""
    from django.utils import translation

    from dhakira.apps.handover.models import Policy

    if name not in Policy.values:
        return name, name
    words = []
    for lang in ("en", "ar"):
        with translation.override(lang):
            words.append(str(Policy(name).label))
    return words[0], words[1]


def summary_context(builder: PackageBuilder, *, shipped: Iterable[str],
                    blocked: Mapping[str, list[str]], header: Mapping[str, str]) -> dict[str, Any]:
    """Everything the summary template shows: ids, hashes, counts and fixed labels only.

    Args:
        builder: the package being built (its files so far and its signer key).
        shipped: uids of the items in the package.
        blocked: uid -> reasons of the items left out.
        header: ``package_id``, ``recipient``, ``purpose``, ``policy`` and ``created_at``.
    """
    shipped = list(shipped)
    by_kind = Counter(_kind(uid) for uid in shipped)
    reasons = Counter(reason_category(r[0]) if r else "blocked" for r in blocked.values())
    files = [e for e in builder.entries if e.role != "summary"]
    roles: dict[str, list[str]] = {}
    for e in files:
        roles.setdefault(e.item_id, []).append(e.role)
    items = [(uid, ", ".join(roles.get(uid, ["record (files/RECORDS.json)"])))
             for uid in sorted(set(shipped))]
    return {
        **header, "fingerprint": builder.key_fingerprint,
        "purpose_words": _purpose_words(header["purpose"]),
        "policy_words": _policy_words(header["policy"]),
        "kinds": [(*KINDS.get(k, (k, k)), n) for k, n in sorted(by_kind.items())],
        "blocked_total": len(blocked), "reasons": sorted(reasons.items()),
        "items": items, "files": files, "families": [e for e in files if e.parent],
    }


def render_summary(context: Mapping[str, Any]) -> bytes:
    """Render the summary as PDF bytes with WeasyPrint (Arabic shaped by HarfBuzz)."""
    from weasyprint import HTML

    html = render_to_string("handover/summary.html", dict(context))
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)


def add_summary(builder: PackageBuilder, *, shipped: Iterable[str],
                blocked: Mapping[str, list[str]], header: Mapping[str, str]) -> None:
    """Render the summary of everything added so far and add it as ``summary.pdf``."""
    context = summary_context(builder, shipped=shipped, blocked=blocked, header=header)
    builder.add_summary(render_summary(context))
