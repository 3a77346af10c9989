"""What the review page shows: both records field by field, and each comparison in words.

Only what the reader may see is shown: a name given only in a report the reader may not
read is left out (:func:`dhakira.apps.dossier.access.visible`), and protected fields (addresses,
contact details, self-identified SOGI) are never on this page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dhakira.apps.dossier import access
from dhakira.apps.dossier.models import Act, Information, NameVariant, Person, Unit
from dhakira.apps.dossier.views._labels import label, lang
from dhakira.apps.linkage import levels
from dhakira.apps.linkage.models import CandidatePair
from dhakira.apps.linkage.queue import TRACK_MIN
from dhakira.core.names import EmptyNameError, parse_name

# The order in which comparisons are shown.
FIELDS = ("ism", "father", "grandfather", "nisba", "kunya", "date", "place", "age", "sex",
          "act", "unit", "event")
FIELD_LABELS = {
    "ism": gettext_lazy("Given name"), "father": gettext_lazy("Father's name"),
    "grandfather": gettext_lazy("Grandfather's name"),
    "nisba": gettext_lazy("Family or tribe name (nisba)"),
    "kunya": gettext_lazy("Kunya or alias"), "date": gettext_lazy("Date of the act"),
    "place": gettext_lazy("Place of the act"), "age": gettext_lazy("Age"),
    "sex": gettext_lazy("Sex"), "act": gettext_lazy("Act reported"),
    "unit": gettext_lazy("Unit"), "event": gettext_lazy("Event record")}
_NAME_PARTS = ("ism", "father", "grandfather", "nisba", "kunya")
_ICONS = {"agrees": "=", "close": "≈", "differs": "≠", "missing": "–"}


@dataclass(frozen=True)
class Row:
    """One field of the comparison: its label, both values and the verdict in words."""

    field: str
    label: str
    left: str
    right: str
    verdict: str
    icon: str
    words: str


def percent(probability: float) -> str:
    """A probability as a percentage in the reader's locale ("99.2 %", «99.2٪»).

    Never rounds up to 100 % or down to 0 % what the model is not certain of.
    """
    value = probability * 100
    if 99.9 < value < 100:
        return _("more than %(n)s %%") % {"n": number_format(99.9, 1)}
    if 0 < value < 0.1:
        return _("less than %(n)s %%") % {"n": number_format(0.1, 1)}
    return _("%(n)s %%") % {"n": number_format(value, 1)}


def track_words(track: Any) -> str:
    """How often reviewers found pairs scored like this one to be the same person (a
    :class:`dhakira.apps.linkage.queue.Track`), or that too few were decided to tell."""
    band = {"low": percent(track.low), "high": percent(track.high)}
    if track.decided < TRACK_MIN:
        return _("Too few pairs scored from %(low)s to %(high)s have been decided to say how "
                 "often the score is right there. The score is not the chance that the two "
                 "are one person: decide from the fields.") % band
    return ngettext(
        "Of the %(n)s pair scored from %(low)s to %(high)s that reviewers decided, %(same)s "
        "was the same person (%(share)s). The score is not the chance that the two are one "
        "person: decide from the fields.",
        "Of the %(n)s pairs scored from %(low)s to %(high)s that reviewers decided, %(same)s "
        "were the same person (%(share)s). The score is not the chance that the two are one "
        "person: decide from the fields.", track.decided) % {
        **band, "n": number_format(track.decided, 0, force_grouping=True),
        "same": number_format(track.same, 0, force_grouping=True),
        "share": percent(track.same / track.decided)}


def _visible_names(person: Person, user: Any) -> list[NameVariant]:
    return list(access.visible_names(user, person.names.all()).order_by("pk"))


def _parts(names: list[NameVariant]) -> dict[str, str]:
    """Each name part's text, from the first name giving it (full names before kunyas)."""
    found: dict[str, str] = {}
    ordered = sorted(names, key=lambda n: n.kind != NameVariant.Kind.FULL)
    for variant in ordered:
        try:
            parsed = parse_name(variant.text)
        except EmptyNameError:
            continue
        given = {"ism": parsed.ism, "kunya": parsed.kunya,
                 "father": parsed.nasab[0] if parsed.nasab else None,
                 "grandfather": parsed.nasab[1] if len(parsed.nasab) > 1 else None,
                 "nisba": parsed.nisba[-1] if parsed.nisba else None}
        if variant.kind != NameVariant.Kind.FULL and not parsed.kunya:
            given["kunya"] = variant.text
        for part, text in given.items():
            if text and part not in found:
                found[part] = text
    return found


def _acts(person: Person, role: str) -> list[Act]:
    if role == "perpetrator":
        acts = Act.objects.filter(involvements__perpetrator=person)
    else:
        acts = person.acts_suffered.all()
    return list(acts.select_related("place", "event").order_by("pk").distinct()[:5])


def _act_unit(person: Person) -> list[Unit]:
    from dhakira.apps.dossier.models import Involvement

    for act in person.involvements.order_by("pk").values_list("act_id", flat=True):
        found = (Involvement.objects.filter(act_id=act, unit__isnull=False)
                 .select_related("unit").order_by("pk").last())
        if found is not None:
            return [found.unit]  # type: ignore[list-item]
    return []


def _join(values: list[str]) -> str:
    return " · ".join(dict.fromkeys(v for v in values if v))


def record(person: Person, user: Any, role: str = "victim") -> dict[str, Any]:
    """One side of the comparison: the names the reader may see and each field's value."""
    names = _visible_names(person, user)
    acts = _acts(person, role)
    values = dict(_parts(names))
    units = [m.unit for m in person.memberships.select_related("unit")]
    if not units and role == "perpetrator":  # as linkage reads it (extract.py): the unit
        units = _act_unit(person)               # named for the first of their acts with one
    values |= {
        "date": _join([a.date_text for a in acts]),
        "place": _join([_named(a.place) for a in acts]),
        "age": "" if person.age is None else number_format(person.age),
        "sex": label("sex", person.sex),
        "act": _join([_act_words(a) for a in acts]),
        "unit": _join([_named(u) for u in units]),
        "event": _join([a.event.title if a.event else "" for a in acts])}
    return {"person": person, "names": names, "values": values}


def _named(row: Any) -> str:
    """A place's or unit's name in the reader's language (the other when it is blank)."""
    if row is None:
        return ""
    first, second = (row.name_ar, row.name_en) if lang() == "ar" else (row.name_en, row.name_ar)
    return str(first or second)


def _act_words(act: Act) -> str:
    kind = label("act_types", act.act_type)
    method = label("methods", act.method)
    return f"{kind} ({method})" if method else kind


def level_words(level: levels.Level) -> str:
    """The verdict of one comparison in the reader's language."""
    if level.verdict == "missing":
        return _("not given in one record")
    if level.verdict == "differs":
        return _("different")
    n = level.n or 0
    words = {
        "same": _("the same"), "overlap": _("the same or overlapping dates"),
        "arabic_spelling": _("same sounds, different Arabic spelling"),
        "similar": _("similar spelling"),
        "edits": ngettext("one letter apart", "%(n)s letters apart", n) % {"n": n},
        "days": ngettext("within a day", "within %(n)s days", n) % {"n": n},
        "district": _("different places in the same district"),
        "years": ngettext("within a year", "within %(n)s years", n) % {"n": n},
        "act_type": _("same kind of act, different method"),
    }
    return words.get(level.kind, _("similar"))


def rows(pair: CandidatePair, left: dict[str, Any], right: dict[str, Any],
         age_gap: int = 2) -> list[Row]:
    """Each compared field on one row, in :data:`FIELDS` order."""
    out = []
    for field in FIELDS:
        if field not in pair.levels:
            continue
        gamma, text = pair.levels[field]
        level = levels.read(field, int(gamma), str(text), age_gap=age_gap)
        out.append(Row(field, str(FIELD_LABELS[field]), left["values"].get(field, ""),
                       right["values"].get(field, ""), level.verdict, _ICONS[level.verdict],
                       level_words(level)))
    return out


def summary(pair: CandidatePair, age_gap: int = 2) -> dict[str, int]:
    """How many fields agree, are close, differ or are missing (no words: cheap for a list)."""
    out = dict.fromkeys(_ICONS, 0)
    for field, (gamma, text) in pair.levels.items():
        out[levels.read(field, int(gamma), str(text), age_gap=age_gap).verdict] += 1
    return out


def first_names(people: list[Person], user: Any) -> dict[int, str]:
    """Each person's first name the reader may see (one query for a whole group)."""
    readable = access.visible(user, Information.objects.all())
    rows = (NameVariant.objects.filter(person_id__in={p.pk for p in people})
            .filter(Q(information__isnull=True) | Q(information__in=readable))
            .order_by("pk").values_list("person_id", "text"))
    out: dict[int, str] = {}
    for person, text in rows:
        out.setdefault(person, text)
    return out


def too_few_mentions(count: int) -> str:
    """Why linkage cannot run (the core's ``NoRecordsError``: fewer than two mentions), in the
    active language; the error's own text is English."""
    return ngettext("only %(n)s mention record to link; add reports first (at least two "
                    "mentions are needed)",
                    "only %(n)s mention records to link; add reports first (at least two "
                    "mentions are needed)", count) % {"n": number_format(count)}
