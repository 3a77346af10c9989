"""Items an assessment can cite, built from the dossier for the pure core.

An item is a report (``I-…``), an act (``A-…``) or, when :mod:`dhakira.apps.evidence` is installed,
an evidence item (``EV-…``). Lineage (``derived_from``) decides independence:

* a report derives from the reports it names in ``Information.derived_from``;
* an act derives from the reports that describe it, so an act told by three unrelated
  witnesses has three origins and one told only through copies of one video has one;
* an evidence item received twice derives from its first receipt (``duplicate_of``).

Hashes: an evidence item's is the SHA-256 of its original bytes. A report has no file, so its
hash is the SHA-256 of its text, NFC-normalised and UTF-8 encoded; an act's is the SHA-256 of
its coded fields as canonical JSON (see :func:`act_sha256`). Neither hash contains the text.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps

from dhakira.apps.dossier.models import Act, Information
from dhakira.apps.law.errors import UnknownItem
from dhakira.core.ids import ACT, EVENT, PERSON, PLACE, REPORT, key_or_none
from dhakira.core.law import Item

PREFIXES = {"I-": "information", "A-": "act", "EV-": "evidence"}


def kind_of(uid: str) -> tuple[str, int]:
    """Return ``(kind, primary key)`` of an item uid such as ``I-0000012``.

    Raises:
        UnknownItem: the uid has no known prefix or no number.
    """
    uid = uid.strip().upper()
    for prefix, kind in PREFIXES.items():
        number = key_or_none(uid[len(prefix):]) if uid.startswith(prefix) else None
        if number is not None:
            if kind == "evidence" and not evidence_installed():
                break
            return kind, number
    raise UnknownItem(f"{uid!r} is not an item id; use I-… (report), A-… (act) or EV-… (evidence)")


def evidence_installed() -> bool:
    """Whether the evidence app is part of this installation."""
    return apps.is_installed("dhakira.apps.evidence")


def text_sha256(text: str) -> str:
    """SHA-256 of a report's text, NFC-normalised and UTF-8 encoded."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


def act_sha256(act: Act) -> str:
    """SHA-256 of an act's coded fields (no free text) as sorted, compact JSON."""
    record = {"uid": act.uid, "event": EVENT.format(act.event_id), "victim": PERSON.format(act.victim_id),
              "act_type": act.act_type, "method": act.method, "result": act.result,
              "grounds": sorted(act.grounds or []), "edtf": act.date_edtf,
              "earliest": act.date_earliest.isoformat() if act.date_earliest else None,
              "latest": act.date_latest.isoformat() if act.date_latest else None,
              "place": PLACE.format(act.place_id) if act.place_id else None}
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _information(pks: set[int], hashes: bool = True) -> tuple[list[Item], set[str]]:
    # Plain rows, not model instances: a charge cites thousands of reports.
    through = Information.derived_from.through
    derived: dict[int, list[str]] = {}
    for child, parent in (through.objects.filter(from_information_id__in=pks)
                          .values_list("from_information_id", "to_information_id")):
        derived.setdefault(child, []).append(REPORT.format(parent))
    rows = (Information.objects.filter(pk__in=pks)
            .values_list("pk", "source__reliability", "credibility", "text" if hashes else "pk"))
    items: list[Item] = []
    parents: set[str] = set()
    for pk, reliability, credibility, text in rows:
        lineage = tuple(sorted(derived.get(pk, ())))
        parents.update(lineage)
        items.append(Item(id=REPORT.format(pk), kind="information", derived_from=lineage,
                          source_reliability=reliability or None,
                          credibility=credibility, sha256=text_sha256(text) if hashes else None))
    return items, parents


def _acts(pks: set[int], hashes: bool = True) -> tuple[list[Item], set[str]]:
    through = Information.acts.through
    told: dict[int, list[str]] = {}
    for act_id, info_id in (through.objects.filter(act_id__in=pks)
                            .values_list("act_id", "information_id")):
        told.setdefault(act_id, []).append(REPORT.format(info_id))
    items: list[Item] = []
    parents: set[str] = set()
    found: dict[int, str | None]
    if hashes:
        found = {act.pk: act_sha256(act) for act in Act.objects.filter(pk__in=pks).only(*_HASHED)}
    else:
        found = dict.fromkeys(Act.objects.filter(pk__in=pks).values_list("pk", flat=True))
    for pk, sha256 in found.items():
        derived = tuple(sorted(told.get(pk, ())))
        parents.update(derived)
        items.append(Item(id=ACT.format(pk), kind="act", derived_from=derived, sha256=sha256))
    return items, parents


_HASHED = ("event_id", "victim_id", "act_type", "method", "result", "grounds", "date_edtf",
           "date_earliest", "date_latest", "place_id")


def _evidence(pks: set[int], hashes: bool = True) -> tuple[list[Item], set[str]]:
    from dhakira.apps.evidence.models import EvidenceItem, uid_for

    items: list[Item] = []
    parents: set[str] = set()
    for ev in EvidenceItem.objects.filter(pk__in=pks):
        derived = (uid_for(ev.duplicate_of_id),) if ev.duplicate_of_id else ()
        parents.update(derived)
        items.append(Item(id=ev.uid, kind="evidence", derived_from=derived, sha256=ev.sha256))
    return items, parents


_LOADERS = {"information": _information, "act": _acts, "evidence": _evidence}


def load_items(uids: Iterable[str], *, hashes: bool = True) -> dict[str, Item]:
    """Return the items named, and every item on their ``derived_from`` lineage.

    Args:
        uids: item ids (``I-…``, ``A-…``, ``EV-…``).
        hashes: False leaves ``sha256`` None on reports and acts (not read, not hashed): for
            pages that show no hash. Anything that leaves the vault keeps them.

    Returns:
        uid -> :class:`dhakira.core.law.Item`.

    Raises:
        UnknownItem: a uid is malformed or names nothing in the dossier.
    """
    wanted = {u.strip().upper() for u in uids}
    found: dict[str, Item] = {}
    frontier = set(wanted)
    while frontier:
        by_kind: dict[str, set[int]] = {}
        for uid in frontier:
            kind, pk = kind_of(uid)
            by_kind.setdefault(kind, set()).add(pk)
        parents: set[str] = set()
        for kind, pks in by_kind.items():
            items, more = _LOADERS[kind](pks, hashes)
            found.update((item.id, item) for item in items)
            parents |= more
        frontier = parents - set(found)
    missing = sorted(wanted - set(found))
    if missing:
        raise UnknownItem(f"no such item in the dossier: {', '.join(missing)}")
    return found


def report_grades(uids: Iterable[str]) -> dict[str, tuple[str | None, int | None]]:
    """Report id -> (its source's reliability, its credibility), for the reports named
    (other ids are ignored). The caller has already kept only what the reader may read."""
    pks = {pk for u in uids if (pk := REPORT.pk_or_none(u)) is not None}
    rows = Information.objects.filter(pk__in=pks).values_list("pk", "source__reliability",
                                                              "credibility")
    return {REPORT.format(pk): (reliability or None, credibility) for pk, reliability, credibility in rows}


def item_exists(uid: str, *, reader: Any) -> str:
    """Return the normalised uid if it names an item in the dossier that ``reader`` may read.

    An item the reader may not read is answered exactly like one that does not exist, so
    the answer never tells whether a restricted item is there.

    Raises:
        UnknownItem: otherwise.
    """
    return items_exist([uid], reader=reader)[0]


def items_exist(uids: Sequence[str], *, reader: Any) -> list[str]:
    """:func:`item_exists` for several uids at once (a few queries, not a few per uid): the
    normalised uids, in the order given.

    Raises:
        UnknownItem: a uid is malformed, or names nothing ``reader`` may read (all such are
            named, answered alike whether they exist or not).
    """
    from dhakira.apps.dossier import access

    wanted = [uid.strip().upper() for uid in uids]
    for uid in wanted:
        kind_of(uid)  # a malformed uid says so
    readable = access.readable_uids(reader, wanted) if reader is not None else set()
    missing = sorted(set(wanted) - readable)
    if missing:
        raise UnknownItem(f"no such item in the dossier: {', '.join(missing)}")
    load_items(wanted)
    return wanted
