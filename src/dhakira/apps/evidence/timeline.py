"""An item's chain of custody in words, and whether its entries verify.

The ledger is one hash chain for the whole vault; checking all of it on every page view would
cost seconds at a million entries (``dhakira evidence verify`` does that). An item's page checks
what concerns the item: each of its entries, and the entry each one is linked to, with the
custody verifier itself (:func:`dhakira.core.custody.verify_chain`): the entry's hash, its signature
under the installation's key, its link to the entry before and its place in time; and that the
intake entry names the item's hash. An entry deleted from the middle of the ledger, or an
entry of the item forged in the ledger with its successors re-signed, is beyond that check:
the whole-chain verification finds the first, nothing without the key makes the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.core import custody
from dhakira.core.custody._canonical import parse_timestamp

__all__ = ["Step", "Timeline", "for_item"]


@dataclass(frozen=True)
class Step:
    """One custody entry, said in a sentence."""

    seq: int
    when: datetime | None
    sentence: str
    entry_hash: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Timeline:
    steps: tuple[Step, ...]
    verified: bool
    problems: tuple[str, ...]


def for_item(item: EvidenceItem) -> Timeline:
    """The item's custody entries (receipt, copies, reads, views), in words, verified."""
    rows = list(LedgerEntry.objects.filter(Q(subject=item.uid) | Q(subject__startswith=f"{item.uid}/"))
                .order_by("seq"))
    problems = _verify(item, rows)
    steps = tuple(Step(r.seq, parse_timestamp(r.timestamp), _sentence(r), r.entry_hash,
                       tuple(problems.get(r.seq, ()))) for r in rows)
    flat = tuple(p for r in rows for p in problems.get(r.seq, ()))
    return Timeline(steps, verified=bool(rows) and not flat, problems=flat)


def _verify(item: EvidenceItem, rows: list[LedgerEntry]) -> dict[int, list[str]]:
    """Problems found, by the seq of the item's entry where they show."""
    mine = {r.seq for r in rows}
    linked = LedgerEntry.objects.filter(seq__in={s - 1 for s in mine} - mine)
    every = sorted([*rows, *linked], key=lambda r: r.seq)
    report = custody.verify_chain([store.as_entry(r) for r in every], store.public_keys())
    found: dict[int, list[str]] = {}
    for problem in report.problems:
        # The entries before this item's are read only to check the links: their own gaps
        # and links are the whole-chain verification's business.
        if problem.seq in mine:
            found.setdefault(problem.seq, []).append(problem.message)
    intake = [r for r in rows if r.action == "intake" and r.subject == item.uid]
    if not intake:
        found.setdefault(0, []).append(_("no receipt entry names this item"))
    elif intake[0].subject_hash != item.sha256:
        found.setdefault(intake[0].seq, []).append(
            _("the receipt entry names other bytes than the item's"))
    return found


def _sentence(row: LedgerEntry) -> str:
    """What happened, who did it and when, in the reader's language and date format."""
    when = parse_timestamp(row.timestamp)
    detail = row.detail if isinstance(row.detail, dict) else {}
    page = str(detail.get("page", ""))
    values = {"actor": row.actor, "page": int(page) if page.isdigit() else "",
              "day": formats.date_format(when, "j F Y") if when else row.timestamp,
              "time": formats.time_format(when, "H:i") if when else ""}
    return _what(row, detail) % values


def _what(row: LedgerEntry, detail: dict[str, object]) -> str:  # noqa: PLR0911 one case a line
    event = detail.get("event")
    if row.action == "intake":
        return _("Received by %(actor)s on %(day)s at %(time)s UTC")
    if row.action == "derive" and detail.get("kind") == DerivedCopy.Kind.EXTRACTED_TEXT:
        return _("Text extracted on %(day)s at %(time)s UTC (for %(actor)s)")
    if row.action == "derive" and detail.get("kind") == DerivedCopy.Kind.OCR_TEXT:
        return _("Text read by OCR on %(day)s at %(time)s UTC (for %(actor)s)")
    if row.action == "derive" and detail.get("kind") == DerivedCopy.Kind.TRANSLATION:
        return _("Translation added by %(actor)s on %(day)s at %(time)s UTC")
    if row.action == "derive":
        return _("Derived copy made by %(actor)s on %(day)s at %(time)s UTC")
    if row.action == "read_protected" and "/" in row.subject:
        return _("Protected metadata read by %(actor)s, with a reason, on %(day)s at %(time)s UTC")
    if row.action == "read_protected":
        return _("Opened by %(actor)s on %(day)s at %(time)s UTC")
    if event == "view" and detail.get("page"):
        return _("Page %(page)s looked at by %(actor)s on %(day)s at %(time)s UTC")
    if event == "view" and detail.get("rendition") == "email":
        return _("E-mail read by %(actor)s on %(day)s at %(time)s UTC")
    if event == "view":
        return _("Picture looked at by %(actor)s on %(day)s at %(time)s UTC")
    if event == "download":
        return _("Original downloaded by %(actor)s on %(day)s at %(time)s UTC")
    if detail.get("kind") == "text_failed":
        return _("Text extraction failed on %(day)s at %(time)s UTC")
    if detail.get("kind") == "faces_detected":
        return _("Faces looked for by %(actor)s on %(day)s at %(time)s UTC")
    if detail.get("kind") == "faces_failed":
        return _("Faces could not be looked for on %(day)s at %(time)s UTC")
    if detail.get("kind") == "face" and detail.get("decision") == "confirmed":
        return _("A face confirmed by %(actor)s on %(day)s at %(time)s UTC")
    if detail.get("kind") == "face" and detail.get("decision") == "rejected":
        return _("A face rejected by %(actor)s on %(day)s at %(time)s UTC")
    if detail.get("kind") == "face":
        return _("A face marked by hand by %(actor)s on %(day)s at %(time)s UTC")
    return _("Recorded by %(actor)s on %(day)s at %(time)s UTC")
