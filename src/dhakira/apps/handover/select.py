"""The --select query language: which acts, reports and evidence items go into a package.

A query is terms separated by spaces, every term ``key:value``; all terms must hold (AND).
Quote a value that contains spaces: ``place:"Tal Afar"``.

========================  ==================================================================
``event:E-000012``        acts of that event
``act:A-000031``          that act
``person:P-000044``       acts the person suffered, took part in, or is named in a report of
``act_type:killing``      acts of that type or any narrower type of the vocabulary
``place:Mosul``           acts whose place, the event's place, or their parent place has a
                          name (Arabic or English) containing the value
``from:2014-06-01``       acts that may have happened on or after the date (bounds overlap;
                          acts with no date at all are left out of a date-filtered selection)
``to:2015-12-31``         acts that may have happened on or before the date
``item:I-0000012``        a named item (report ``I-``, act ``A-``, evidence ``EV-``); item
                          terms list items (they are OR-ed) and cannot be mixed with filters
========================  ==================================================================

The selection is then widened only to what the chosen acts need: their events, the reports
about them (and reports about their events that name no particular act), and the evidence
items attached to those reports with their family (attachments, archive members).
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dhakira.apps.dossier.models import Act, Information
from dhakira.apps.handover.errors import BadQuery
from dhakira.core.ids import CHARGE, key_or_none

KEYS = ("event", "act", "person", "act_type", "place", "from", "to", "item")
_PREFIX = {"event": "E-", "act": "A-", "person": "P-"}


@dataclass(frozen=True)
class Query:
    """A parsed query: ``terms`` in the order given, each ``(key, value)``."""

    text: str
    terms: tuple[tuple[str, str], ...]

    def values(self, key: str) -> list[str]:
        return [v for k, v in self.terms if k == key]


@dataclass(frozen=True)
class Selection:
    """Primary keys of what a query selected (before the consent gate)."""

    query: str
    acts: tuple[int, ...]
    reports: tuple[int, ...]
    evidence: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return not (self.acts or self.reports or self.evidence)


def _uid_number(key: str, value: str) -> int:
    prefix = _PREFIX[key]
    number = key_or_none(value.upper().removeprefix(prefix))
    if not value.upper().startswith(prefix) or number is None:
        raise BadQuery(_("%(key)s:%(value)s is not an id; write %(key)s:%(prefix)s000012")
                       % {"key": key, "value": value, "prefix": prefix})
    return number


def _date(key: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadQuery(_("%(key)s:%(value)s is not a date; write %(key)s:2014-06-01")
                       % {"key": key, "value": value}) from None


def parse(text: str) -> Query:
    """Parse a query; see the module docstring for the terms.

    Raises:
        BadQuery: an empty query, a term without ``:``, an unknown key, a bad id or date,
            or ``item:`` terms mixed with filters.
    """
    try:
        words = shlex.split(text)
    except ValueError:  # shlex's only two: no closing quotation, no escaped character
        raise BadQuery(_("cannot read the query: a quotation mark is not closed, or it ends "
                         "in a backslash")) from None
    terms = []
    for word in words:
        key, sep, value = word.partition(":")
        if not sep or not value:
            raise BadQuery(_("“%(term)s” is not a term; write key:value, e.g. event:E-000012")
                           % {"term": word})
        if key not in KEYS:
            raise BadQuery(_("unknown key “%(key)s”; use one of %(keys)s")
                           % {"key": key, "keys": ", ".join(KEYS)})
        if key in _PREFIX:
            _uid_number(key, value)
        elif key in ("from", "to"):
            _date(key, value)
        terms.append((key, value))
    if not terms:
        raise BadQuery(_("the query is empty; e.g. place:Mosul from:2014-06-01"))
    kinds = {k == "item" for k, _ in terms}
    if len(kinds) > 1:
        raise BadQuery(_("item: terms list items and cannot be combined with filters"))
    return Query(text=text, terms=tuple(terms))


def _act_types(code: str) -> set[str]:
    from dhakira.core.vocabularies import load

    vocab = load("act_types")
    if code not in vocab:
        raise BadQuery(_("act_type:%(code)s is not a type of act in the vocabulary") % {"code": code})
    found, frontier = {code}, [code]
    while frontier:
        for term in vocab.children(frontier.pop()):
            if term.code not in found:
                found.add(term.code)
                frontier.append(term.code)
    return found


def _place_q(name: str) -> Q:
    q = Q()
    for path in ("place", "place__parent", "event__place", "event__place__parent"):
        q |= Q(**{f"{path}__name_en__icontains": name}) | Q(**{f"{path}__name_ar__icontains": name})
    return q


def _filter(acts: QuerySet[Act], key: str, value: str) -> QuerySet[Act]:
    if key == "event":
        return acts.filter(event_id=_uid_number(key, value))
    if key == "act":
        return acts.filter(pk=_uid_number(key, value))
    if key == "person":  # the person under every mention of them (the one resolution)
        from dhakira.apps.handover.gate import same_people

        pk = _uid_number(key, value)
        pks = same_people([pk], roles=("victim", "perpetrator"))[pk]
        return acts.filter(Q(victim_id__in=pks) | Q(involvements__perpetrator_id__in=pks)
                           | Q(information__persons__in=pks))
    if key == "act_type":
        return acts.filter(act_type__in=_act_types(value))
    if key == "place":
        return acts.filter(_place_q(value))
    day = _date(key, value)
    if key == "from":
        return acts.filter(Q(date_latest__gte=day)
                           | Q(date_latest__isnull=True, event__date_latest__gte=day))
    return acts.filter(Q(date_earliest__lte=day)
                       | Q(date_earliest__isnull=True, event__date_earliest__lte=day))


def _split_items(uids: Iterable[str]) -> tuple[set[int], set[int], set[int]]:
    acts: set[int] = set()
    reports: set[int] = set()
    evidence: set[int] = set()
    for uid in uids:
        u = uid.strip().upper()
        for prefix, bucket in (("EV-", evidence), ("I-", reports), ("A-", acts)):
            number = key_or_none(u[len(prefix):]) if u.startswith(prefix) else None
            if number is not None:
                bucket.add(number)
                break
        else:
            raise BadQuery(_("item:%(uid)s is not an item id; use I-…, A-… or EV-…") % {"uid": uid})
    return acts, reports, evidence


def _evidence_for(reports: set[int], named: set[int]) -> set[int]:
    """Evidence of the reports and every named item, with their family descendants."""
    from django.apps import apps

    if not apps.is_installed("dhakira.apps.evidence"):
        return set()
    from dhakira.apps.evidence.models import EvidenceItem

    found = set(EvidenceItem.objects.filter(Q(information_id__in=reports) | Q(pk__in=named))
                .values_list("pk", flat=True))
    frontier = set(found)
    while frontier:
        children = set(EvidenceItem.objects.filter(parent_id__in=frontier)
                       .values_list("pk", flat=True)) - found
        found |= children
        frontier = children
    return found


def select_items(uids: Iterable[str], *, label: str) -> Selection:
    """Select items named by uid (``I-``, ``A-``, ``EV-``), as a charge's assessments do.

    Raises:
        BadQuery: a uid is malformed.
    """
    acts, reports, evidence = _split_items(uids)
    acts = set(Act.objects.filter(pk__in=acts).values_list("pk", flat=True))
    reports = set(Information.objects.filter(pk__in=reports).values_list("pk", flat=True))
    return Selection(query=label, acts=tuple(sorted(acts)), reports=tuple(sorted(reports)),
                     evidence=tuple(sorted(_evidence_for(set(), evidence))))


def select(text: str) -> Selection:
    """Run a query against the dossier.

    Returns:
        A :class:`Selection` (possibly empty).

    Raises:
        BadQuery: the query cannot be parsed.
    """
    query = parse(text)
    if query.values("item"):
        return select_items(query.values("item"), label=text)
    acts = Act.objects.all()
    for key, value in query.terms:
        acts = _filter(acts, key, value)
    act_pks = set(acts.values_list("pk", flat=True).distinct())
    event_pks = set(Act.objects.filter(pk__in=act_pks).values_list("event_id", flat=True))
    reports = set(Information.objects.filter(
        Q(acts__in=act_pks) | Q(events__in=event_pks, acts__isnull=True))
        .values_list("pk", flat=True).distinct())
    return Selection(query=text, acts=tuple(sorted(act_pks)), reports=tuple(sorted(reports)),
                     evidence=tuple(sorted(_evidence_for(reports, set()))))


def select_charge(uid: str) -> Selection:
    """Select every item assessed for a charge (supporting and undermining alike).

    Undermining items are included on purpose: material that may weaken a charge is owed to
    the recipient as much as material that supports it.

    Raises:
        BadQuery: the id is malformed, names no charge, or the legal app is not installed.
    """
    from django.apps import apps

    if not apps.is_installed("dhakira.apps.law"):
        raise BadQuery(_("--charge needs the legal app (dhakira.apps.law); use --select instead"))
    from dhakira.apps.law.models import Charge, ElementAssessment

    try:
        pk: int | None = CHARGE.parse_loose(uid)
    except ValueError:
        pk = None
    if pk is None or not Charge.objects.filter(pk=pk).exists():
        raise BadQuery(_("no charge “%(uid)s”; charges have ids like CH-0001") % {"uid": uid})
    uids = (ElementAssessment.objects.filter(charge_id=pk)
            .values_list("item_uid", flat=True).distinct())
    return select_items(list(uids), label=f"charge:{CHARGE.format(pk)}")
