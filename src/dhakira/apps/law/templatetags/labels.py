"""Template filters that turn stored codes into words in the reader's language.

A code (``directly_carried_out``, ``credible_allegation``) never reaches a page: vocabulary
terms come from the vocabulary files (both languages), the rest from the gettext catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import avoid_wrapping, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, npgettext
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import comma as reader_comma
from dhakira.apps.dossier.models import lang
from dhakira.apps.law.forms import STANDARDS
from dhakira.core.vocabularies import load

register = template.Library()

ITEM_KINDS = {"information": _("report"), "evidence": _("evidence item"), "act": _("act"),
              "document": _("document")}


@register.filter
def vocab(code: Any, name: str) -> str:
    """``{{ act.method|vocab:"methods" }}``: the term's label, or the code if unknown."""
    if code in (None, ""):
        return "—"
    return dict(load(name).choices(lang())).get(str(code), str(code))


@register.filter
def vocab_list(codes: Iterable[Any] | None, name: str) -> str:
    """Several codes of one vocabulary as labels, comma-separated."""
    labels = dict(load(name).choices(lang()))
    return comma().join(labels.get(str(c), str(c)) for c in codes or ()) or "—"


@register.filter
def standard(value: Any) -> str:
    """A standard of proof (enum or code) in words."""
    code = str(getattr(value, "value", value) or "")
    return str(STANDARDS.get(code, code.replace("_", " "))) if code else "—"


@register.filter
def uid(value: Any) -> SafeString:
    """An id as one word read left to right (``class="uid"``), for a sentence that names it:
    a bare ``P-000449`` in a heading broke over two lines on a phone."""
    return format_html('<span class="uid">{}</span>', value)


@register.filter
def uids(values: Iterable[Any]) -> SafeString:
    """Ids joined by the reader's comma, each one word (a list of ids in a ``<bdi>`` broke
    inside an id, ``A-`` on one line and ``000208`` on the next)."""
    return format_html_join(reader_comma(), '<span class="uid">{}</span>', ((v,) for v in values))


@register.filter
def some_uids(values: Iterable[Any], most: int = 12) -> SafeString:
    """The first ``most`` ids as :func:`uids` writes them, then "and N more": a mode of
    liability of a perpetrator with thousands of acts was one cell of thousands of ids."""
    values = list(values)
    shown = uids(values[:most])
    if len(values) <= most:
        return shown
    more = gettext("and %(n)s more") % {"n": grouped(len(values) - most)}
    return format_html("{}{}{}", shown, reader_comma(), more)


@register.simple_tag
def comma() -> str:
    """The comma between the parts of a line: Arabic writes its own (``{% comma %}``)."""
    return reader_comma()


@register.filter
def grade(reliability: Any, credibility: Any = None) -> str:
    """A report's Admiralty grade as one code, ``B2``: its source's reliability (A–F) then its
    credibility (1–6), a part not given as "—"; "—" alone when neither is. The one way a grade
    is written on every page: ``{{ info.source.reliability|grade:info.credibility }}``."""
    letter = str(reliability or "").upper()
    digit = "" if credibility in (None, "") else str(credibility)
    if not letter and not digit:
        return "—"
    return f"{letter or '—'}{digit or '—'}"


@register.filter
def percent(probability: Any) -> str:
    """A probability or a match score (0 to 1) as a percentage in the reader's locale, as the
    review queue shows a pair's (:func:`dhakira.apps.linkage.presentation.percent`)."""
    from dhakira.apps.linkage.presentation import percent as in_percent

    return in_percent(float(probability or 0))


@register.filter
def item_kind(code: str) -> str:
    """The kind of an item in a matrix row, in words."""
    return str(ITEM_KINDS.get(code, code))


@register.filter
def file_kind(mime: str | None) -> str:
    """A file's MIME type as a kind in words ("image", "PDF document", "file" if unknown)."""
    from dhakira.apps.evidence.labels import file_kind as kind

    return kind(mime)


@register.filter
def type_note(mime: str | None) -> SafeString:
    """The exact MIME type as a muted aside says it: "(text/plain, read from the file's
    content)", the type isolated left to right."""
    from dhakira.apps.evidence.labels import type_note as note

    return note(mime)


@register.filter
def ground_tags(tags: Iterable[str] | None) -> str:
    """A charge's ground tags in words."""
    from dhakira.apps.law.forms import GROUND_TAG_LABELS

    return comma().join(str(GROUND_TAG_LABELS.get(t, t)) for t in tags or ()) or "—"


@register.filter
def grouped(value: Any) -> str:
    """A count grouped by thousands, ``12,345`` in both languages (``web/formats/ar``)."""
    from dhakira.apps.counting.texts import count

    return count(value)


@register.filter
def gap_label(code: str | None) -> str:
    """A matrix row's gap (``none``, ``single_origin``) in words; empty when there is none."""
    from dhakira.apps.law.presentation import GAP_LABELS

    return str(GAP_LABELS.get(code, code)) if code else ""


@register.filter
def gap_note(note: str | None) -> str:
    """The core's note on a row's gap, in the reader's language."""
    from dhakira.apps.law.presentation import GAP_NOTES

    return str(GAP_NOTES.get(note, note)) if note else ""


# A count with its noun, in the plural form the language gives that number (Arabic has six:
# the catalogue's Plural-Forms header rules); ``{{ n|counted:"place" }}`` is "1 place",
# "3 places", "مكانين", "11 مكانًا". The brief's sentences put these in whole, so no sentence
# says "1 places".
_COUNTED: dict[str, Any] = {
    "act": lambda n: ngettext("%(n)s act", "%(n)s acts", n),
    "documented act": lambda n: ngettext("%(n)s documented act", "%(n)s documented acts", n),
    "documented victim": lambda n: ngettext("%(n)s documented victim",
                                            "%(n)s documented victims", n),
    "place": lambda n: ngettext("%(n)s place", "%(n)s places", n),
    "district": lambda n: ngettext("%(n)s district", "%(n)s districts", n),
    "supporting item": lambda n: ngettext("%(n)s supporting item", "%(n)s supporting items", n),
    "undermining item": lambda n: ngettext("%(n)s undermining item",
                                           "%(n)s undermining items", n),
    "independent origin": lambda n: ngettext("%(n)s independent origin",
                                             "%(n)s independent origins", n),
    "report": lambda n: ngettext("%(n)s report", "%(n)s reports", n),
    "evidence item": lambda n: ngettext("%(n)s evidence item", "%(n)s evidence items", n),
    "month": lambda n: ngettext("%(n)s month", "%(n)s months", n),
    "victim": lambda n: ngettext("%(n)s victim", "%(n)s victims", n),
    "list": lambda n: ngettext("%(n)s list", "%(n)s lists", n),
    "mention": lambda n: ngettext("%(n)s mention", "%(n)s mentions", n),
    "byte": lambda n: ngettext("%(n)s byte", "%(n)s bytes", n),
}

# The noun alone, in the form the number beside it takes, where the number stands apart (a
# tile's large figure above its noun): "1 undermining items" was one noun for every number.
_NOUNS: dict[str, Any] = {
    "supporting item": lambda n: npgettext("after a number", "supporting item",
                                           "supporting items", n),
    "independent origin": lambda n: npgettext("after a number", "independent origin",
                                              "independent origins", n),
    "act": lambda n: npgettext("after a number", "act", "acts", n),
    "report": lambda n: npgettext("after a number", "report", "reports", n),
    "evidence item": lambda n: npgettext("after a number", "evidence item", "evidence items", n),
    "undermining item": lambda n: npgettext("after a number", "undermining item",
                                            "undermining items", n),
}


@register.filter
def counted(value: Any, noun: str) -> str:
    """``value`` with ``noun`` (a key of the table above) in the right plural form, the
    number grouped by thousands as :func:`grouped` groups it."""
    n = int(value or 0)
    return str(_COUNTED[noun](n)) % {"n": grouped(n)}


# A size's unit with its figure (one decimal, so one form each): Django's ``filesizeformat``
# takes them from its own Arabic catalogue, which abbreviates them with dots ("1.1 ك.ب").
_UNITS: tuple[tuple[int, Any], ...] = (
    (1 << 40, lambda: gettext("%(size)s TB")),
    (1 << 30, lambda: gettext("%(size)s GB")),
    (1 << 20, lambda: gettext("%(size)s MB")),
    (1 << 10, lambda: gettext("%(size)s KB")),
)


@register.filter
def file_size(value: Any) -> str:
    """A file's size for a reader: "12.1 MB", «12.1 ميغابايت», from a kilobyte up (one
    decimal, as Django's ``filesizeformat``, the units from the project's catalogue: Django's
    Arabic says "ك.ب"); under one, the bytes counted as :func:`counted` counts them (Django's
    Arabic says "5 بايتان", two bytes, for 3 to 10 bytes). Never broken over two lines."""
    n = int(value or 0)
    if abs(n) < 1024:
        return counted(n, "byte")
    unit, words = next((unit, words) for unit, words in _UNITS if abs(n) >= unit)
    size = number_format(round(n / unit, 1), 1, force_grouping=True)
    return str(avoid_wrapping(words() % {"size": size}))


@register.filter
def noun(value: Any, name: str) -> str:
    """The noun ``name`` (a key of ``_NOUNS``) in the form the count ``value`` takes, without
    the number: ``<span class="n">{{ n|grouped }}</span> {{ n|noun:"act" }}``."""
    return str(_NOUNS[name](int(value or 0)))
