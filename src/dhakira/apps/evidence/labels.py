"""The metadata anyone may read, as labelled fields: a label per known key, through gettext;
an unknown key is shown by its own name (it may be anything a file says about itself).

Also how an item was collected and how a derived copy was made, in the reader's language:
the words Dhakira itself writes are known here and translated; words a person typed are
shown as typed, isolated (``<bdi dir="auto">``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

__all__ = ["Field", "Section", "encoding_name", "file_kind", "method_label", "operation_label",
           "origin_label", "reason_words", "sections", "type_note"]

SECTIONS: dict[str, Promise] = {
    "exif": _("Camera (EXIF)"),
    "pdf": _("PDF document"),
    "docx": _("Word document"),
    "email": _("E-mail"),
}
# Keys of the top level, which belong to no section.
GENERAL = _("The file")
KEYS: dict[str, Promise] = {
    "width": _("Width (pixels)"),
    "height": _("Height (pixels)"),
    "pages": _("Pages"),
    "attachments": _("Attachments"),
    # EXIF (only the tags that name no one are here: the rest is protected)
    "Make": _("Camera maker"),
    "Model": _("Camera model"),
    "Software": _("Software"),
    "DateTime": _("Changed"),
    "DateTimeOriginal": _("Taken"),
    "DateTimeDigitized": _("Digitised"),
    "OffsetTimeOriginal": _("Time zone when taken"),
    "Orientation": _("Orientation"),
    "ExifImageWidth": _("Width (pixels)"),
    "ExifImageHeight": _("Height (pixels)"),
    "ImageWidth": _("Width (pixels)"),
    "ImageLength": _("Height (pixels)"),
    "ExposureTime": _("Exposure time"),
    "FNumber": _("Aperture (f-number)"),
    "ISOSpeedRatings": _("ISO speed"),
    "FocalLength": _("Focal length"),
    "Flash": _("Flash"),
    "LensMake": _("Lens maker"),
    "LensModel": _("Lens model"),
    # PDF information and Word properties
    "Title": _("Title"),
    "title": _("Title"),
    "Subject": _("Subject"),
    "Producer": _("Made with"),
    "CreationDate": _("Created"),
    "created": _("Created"),
    "ModDate": _("Modified"),
    "modified": _("Modified"),
    "revision": _("Revision"),
    # E-mail
    "Date": _("Sent"),
}


# What a file is, in words, from its MIME type: a page shows the kind, not the code
# (``application/vnd.openxmlformats-officedocument.wordprocessingml.document``).
_KINDS: dict[str, Promise] = {
    "image": pgettext_lazy("kind of file", "image"),
    "pdf": pgettext_lazy("kind of file", "PDF document"),
    "email": pgettext_lazy("kind of file", "e-mail"),
    "text": pgettext_lazy("kind of file", "text"),
    "plain": pgettext_lazy("kind of file", "plain text"),
    "audio": pgettext_lazy("kind of file", "audio"),
    "video": pgettext_lazy("kind of file", "video"),
    "document": pgettext_lazy("kind of file", "word-processor document"),
    "spreadsheet": pgettext_lazy("kind of file", "spreadsheet"),
    "archive": pgettext_lazy("kind of file", "archive"),
    "file": pgettext_lazy("kind of file", "file"),
}
_KIND_OF_TYPE = {
    "text/plain": "plain",
    "application/pdf": "pdf",
    "message/rfc822": "email", "application/mbox": "email",
    "application/vnd.ms-outlook": "email",
    "application/msword": "document", "application/rtf": "document", "text/rtf": "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document",
    "application/vnd.oasis.opendocument.text": "document",
    "application/vnd.ms-excel": "spreadsheet", "text/csv": "spreadsheet",
    "text/tab-separated-values": "spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet": "spreadsheet",
    "application/zip": "archive", "application/x-tar": "archive", "application/gzip": "archive",
    "application/x-7z-compressed": "archive", "application/vnd.rar": "archive",
    "application/x-rar-compressed": "archive", "application/x-bzip2": "archive",
    "application/x-xz": "archive",
}
_KIND_OF_FAMILY = {"image": "image", "text": "text", "audio": "audio", "video": "video"}


def file_kind(mime: str | None) -> str:
    """A MIME type as a short kind of file in the reader's language (``text/plain; charset=
    utf-8`` is "plain text", ``text/html`` "text"); a type not known here, or none, is "file"."""
    code = (mime or "").split(";")[0].strip().lower()
    kind = _KIND_OF_TYPE.get(code) or _KIND_OF_FAMILY.get(code.split("/")[0], "file")
    return str(_KINDS[kind])


def type_note(mime: str | None) -> SafeString:
    """The exact MIME type beside the kind in words, said to be a technical detail and where it
    came from: "(text/plain, read from the file's content)". The page said "text text/plain",
    the code read as the rest of the kind."""
    return _in_words(gettext("(%(mime)s, read from the file's content)"),
                     mime=format_html('<bdi dir="ltr">{}</bdi>', mime or "—"))


@dataclass(frozen=True)
class Field:
    label: str | Promise
    value: str
    known: bool  # False: the label is the key itself, not a translated one


@dataclass(frozen=True)
class Section:
    label: str | Promise
    fields: tuple[Field, ...]


def sections(data: dict[str, Any]) -> list[Section]:
    """The metadata side record as sections of labelled fields, known keys first."""
    general = [_field(k, v) for k, v in data.items() if not isinstance(v, dict)]
    out = [Section(GENERAL, tuple(_sorted(general)))] if general else []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            fields = [_field(k, v) for k, v in value.items()]
            out.append(Section(SECTIONS.get(key, key), tuple(_sorted(fields))))
    return out


def _field(key: str, value: Any) -> Field:
    label = KEYS.get(key)
    return Field(label if label is not None else key, _text(value), label is not None)


def _sorted(fields: list[Field]) -> list[Field]:
    return sorted(fields, key=lambda f: (not f.known, str(f.label) if not f.known else ""))


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _methods() -> dict[str, Promise]:
    """The collection methods Dhakira writes itself (intake's default, the report intake page,
    the spreadsheet and ESF imports), each in the reader's language."""
    from dhakira.apps.evidence._common import Collection
    from dhakira.apps.exporting.esf_in import METHOD as ESF_METHOD
    from dhakira.apps.importing.services import METHOD as SHEET_METHOD

    return {Collection.method: _("file copy"),
            "upload on the report intake page": _("upload on the report intake page"),
            SHEET_METHOD: _("spreadsheet import"),
            ESF_METHOD: _("import of a HURIDOCS ESF document or Uwazi CSV export")}


def _typed(text: str) -> SafeString:
    return format_html('<bdi dir="auto">{}</bdi>', text)


def method_label(method: str) -> SafeString:
    """How an item was collected: Dhakira's own words translated, a person's as typed."""
    known = _methods().get(method)
    return format_html("{}", known) if known is not None else _typed(method)


_OCR = re.compile(r"OCR \((?P<tool>[^,()]+), (?P<languages>[a-z+]+)"
                  r"(?:, pages (?P<pages>[\d–, ]+) of (?P<total>\d+))?(?:; (?P<notes>.*))?\)",
                  re.S)
_EXTRACTION = re.compile(r"text extraction \((?P<tool>[^()]+)\)")
_TRANSLATION = re.compile(r"translation into (?P<language>[\w-]+)(?: from file (?P<file>.*))?",
                          re.S)
_NOTES = (
    (re.compile(r"pages (?P<pages>[\d–, ]+) not read \(a limit of (?P<n>\d+) pages a file\)"),
     lambda: gettext("pages %(pages)s not read (the limit of pages read from one file is "
                     "%(n)s)")),
    (re.compile(r"pages (?P<pages>[\d–, ]+) not read \(a limit of (?P<n>\d+) s a file\)"),
     lambda: gettext("pages %(pages)s not read (the time limit for one file, in seconds, is "
                     "%(n)s)")),
    (re.compile(r"pages (?P<pages>[\d–, ]+) could not be drawn or read"),
     lambda: gettext("pages %(pages)s could not be drawn or read")),
)


def _in_words(template: str, **values: str | SafeString) -> SafeString:
    """A catalogue sentence (trusted) with its values escaped (``SafeString`` ones kept)."""
    return mark_safe(template % {k: conditional_escape(v) for k, v in values.items()})


def _note(note: str) -> SafeString:
    for pattern, words in _NOTES:
        if found := pattern.fullmatch(note.strip()):
            return _in_words(words(), **found.groupdict())
    return _typed(note)


_PAGES_UNREAD = re.compile(r"OCR: the (?:page|(?P<n>[\d,]+) pages) without text could not be "
                           r"read")


# Why a file was refused at intake or its text not read, as the intake and processing word
# it in English (so it is kept in custody and in an ingest's report): each template said again
# in the reader's language, its values (%(name)s: a file's or an entry's name, a number, a
# library's word) kept as written, but a %(reason)s, itself said again. The more particular
# first: a mailbox's message before any message.
_REASONS = (
    gettext_noop('the file is empty'),
    gettext_noop('the archive has more than %(n)s entries'),
    gettext_noop('entry %(entry)s has no name'),
    gettext_noop('entry %(entry)s has a back-slash or NUL in its name'),
    gettext_noop('entry %(entry)s has an absolute path'),
    gettext_noop('entry %(entry)s has a path that climbs out of the archive (..)'),
    gettext_noop('entry %(entry)s is a symbolic link'),
    gettext_noop('entry %(entry)s is encrypted'),
    gettext_noop('zip bomb: entry %(entry)s expands %(n)s times'),
    gettext_noop('zip bomb: the archive would unpack to %(total)s bytes, over the limit of %(most)s'),
    gettext_noop('zip bomb: its %(n)s entries expand %(ratio)s times, to %(total)s bytes'),
    gettext_noop('zip bomb: entry %(entry)s is larger than it says'),
    gettext_noop('entry %(entry)s is corrupt (%(detail)s)'),
    gettext_noop('corrupt zip archive (%(detail)s)'),
    gettext_noop('malformed mbox: message %(n)s: its parts are nested too deeply to read'),
    gettext_noop('malformed mbox: message %(n)s has no e-mail headers'),
    gettext_noop('malformed mbox: message %(n)s: its body cannot be read (%(detail)s)'),
    gettext_noop('malformed mbox: no messages found'),
    gettext_noop("malformed mbox: it does not start with a 'From ' line"),
    gettext_noop('malformed mbox: message %(n)s is larger than 256 MiB'),
    gettext_noop('its parts are nested too deeply to read'),
    gettext_noop('%(message)s has no e-mail headers'),
    gettext_noop('its body cannot be read (%(detail)s)'),
    gettext_noop('corrupt Outlook message or Office compound file (%(detail)s)'),
    gettext_noop('corrupt Outlook message (%(detail)s)'),
    gettext_noop('the message claims %(n)s attachments, more than %(most)s'),
    gettext_noop('the PDF is encrypted; ask the sender for an unlocked copy or its password'),
    gettext_noop('corrupt PDF (%(detail)s)'),
    gettext_noop('corrupt DOCX (%(detail)s)'),
    gettext_noop('the image claims %(width)s×%(height)s pixels, over the limit of %(most)s pixels'),
    gettext_noop('the image claims more pixels than can be read safely'),
    gettext_noop('the image cannot be opened (%(detail)s)'),
    gettext_noop('reading it took longer than %(n)s s; refused as a possible attack'),
    gettext_noop('reading it used more than %(n)s s of processor time; refused as a possible attack'),
    gettext_noop('its reader stopped without an answer (signal %(n)s)'),
    gettext_noop('its reader stopped without an answer (exit status %(n)s)'),
    gettext_noop('its reader gave no answer'),
    gettext_noop('its text is larger than can be kept'),
    gettext_noop('its text is too large to keep'),
    gettext_noop('reading it needs more than %(n)s MiB of memory; refused as a possible attack'),
    gettext_noop('it is nested too deeply to read; refused as a possible attack'),
    gettext_noop('its %(kind)s reader failed on it (%(detail)s)'),
    gettext_noop('it needs more memory than is available to read'),
    gettext_noop('it could not be read (%(detail)s)'),
    gettext_noop('cannot be read (%(detail)s)'),
    gettext_noop('not a regular file'),
    gettext_noop('its stored copy was removed while it was being saved (a refused save of the same bytes); nothing was saved, try again'),
    gettext_noop('OCR: the image is %(width)s×%(height)s pixels; OCR reads images of up to %(side)s pixels a side and %(megapixels)s megapixels (crop or split it to have it read); the original is kept'),
    gettext_noop('OCR: Tesseract is not installed (the tesseract-ocr package)'),
    gettext_noop('OCR took longer than %(n)s s; stopped'),
    gettext_noop('OCR went over its memory or time limit (signal %(n)s)'),
    gettext_noop('OCR failed (tesseract exit status %(n)s)'),
    gettext_noop('OCR: %(reason)s'),
    gettext_noop('%(name)s is empty'),  # after every template a reason may end with
    gettext_noop('it is larger than %(n)s MiB; download it to look at it'),
    gettext_noop('drawing it took longer than %(n)s s; refused as a possible attack'),
    gettext_noop('there is no such page'),
    gettext_noop('drawing it went over a limit and was stopped (signal %(n)s)'),
    gettext_noop('poppler-utils (pdftoppm) is not installed'),
    gettext_noop('it cannot be drawn (exit status %(n)s)'),
    gettext_noop('the stored original cannot be read (%(detail)s); run dhakira verify'),
)


@functools.cache
def _reason_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"%\((\w+)\)s", template)  # text, name, text, name, …, text
        return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                                  for i, part in enumerate(parts)), re.DOTALL)
    return tuple((pattern(template), template) for template in _REASONS)


def _reason(reason: str) -> str | None:
    if found := _PAGES_UNREAD.fullmatch(reason):
        n = int((found["n"] or "1").replace(",", ""))
        return ngettext("OCR: the page without text could not be read",
                        "OCR: the %(n)s pages without text could not be read", n) % {
            "n": f"{n:,}"}
    for pattern, template in _reason_patterns():
        if found := pattern.fullmatch(reason):
            values = found.groupdict()
            if "reason" in values:  # a reason within a reason (OCR's, a drawing's)
                values["reason"] = reason_words(values["reason"])
            return gettext(template) % values
    return None


def reason_words(reason: str) -> str:
    """Why a file was refused at intake, or its text not read or read in part (the intake's
    and processing's reasons, kept in English), in the reader's language where Dhakira wrote
    it; any other as written. A reason said of a part ("x.zip/a.pdf: corrupt PDF (…)") keeps
    the part's name as written.

    >>> from django.utils import translation
    >>> with translation.override("ar"):
    ...     reason_words("x.zip/a.txt: entry 'b' is encrypted")
    "x.zip/a.txt: المدخل 'b' مشفّر"
    """
    if (said := _reason(reason)) is not None:
        return said
    start = 0
    while (at := reason.find(": ", start)) >= 0:  # a name, then the reason said of it
        if (said := _reason(reason[at + 2:])) is not None:
            return f"{reason[:at]}: {said}"
        start = at + 2
    return reason


def operation_label(operation: str) -> SafeString:
    """How a derived copy was made (text extraction, OCR, a translation) in the reader's
    language; an operation written some other way is shown as written."""
    if found := _OCR.fullmatch(operation):
        parts = found.groupdict()
        tool = _typed(parts["tool"])
        if parts["pages"]:
            said = _in_words(gettext("OCR (%(tool)s, %(languages)s), pages %(pages)s of "
                                     "%(total)s"), tool=tool, languages=parts["languages"],
                             pages=parts["pages"], total=parts["total"])
        else:
            said = _in_words(gettext("OCR (%(tool)s, %(languages)s)"), tool=tool,
                             languages=parts["languages"])
        notes = [_note(n) for n in (parts["notes"] or "").split("; ") if n]
        from dhakira.apps.dossier.models import lang

        # Each part is escaped already; Arabic writes its own semicolon.
        return mark_safe(("؛ " if lang() == "ar" else "; ").join([said, *notes]))
    if found := _EXTRACTION.fullmatch(operation):
        return _in_words(gettext("text extraction (%(tool)s)"), tool=_tool(found["tool"]))
    if found := _TRANSLATION.fullmatch(operation):
        from dhakira.apps.evidence.translations import language_label

        language = language_label(found["language"])
        if found["file"]:
            return _in_words(gettext("translation into %(language)s from file %(file)s"),
                             language=language, file=_typed(found["file"]))
        return _in_words(gettext("translation into %(language)s"), language=language)
    return _typed(operation)


def _decoded_words() -> dict[str, str]:
    """How a text file's encoding was found (:data:`decoding.HOW`), said as a person would in
    the reader's language: the page said "utf-8, valid UTF-8", two codec names in a row."""
    return {"detected": gettext("read as %(encoding)s, the encoding %(tool)s recognised"),
            "declared": gettext("read as %(encoding)s, the encoding it declares"),
            "bom": gettext("read as %(encoding)s, as the byte-order mark at its start says"),
            "utf-8": gettext("read as %(encoding)s with no errors"),
            "fallback": gettext("no encoding fits it; read as %(encoding)s")}


def _decoded_pattern() -> re.Pattern[str]:
    from dhakira.apps.evidence.decoding import HOW, REPLACED

    hows = "|".join(f"(?P<{code.replace('-', '_')}>{re.escape(words).replace(re.escape('{version}'), r'(?P<version>[^,]+)')})"
                    for code, words in HOW.items())
    return re.compile(rf"(?P<encoding>[\w.-]+), (?:{hows})(?P<replaced>{re.escape(REPLACED)})?")


# Python's codec names as people know the encodings (``cp1256`` is "Windows-1256"); a name
# not matched here is shown as Python wrote it.
_ENCODINGS = ((re.compile(r"utf[-_]?(8|16|32)(?:[-_](?:sig|[lb]e))?"), "UTF-{0}"),
              (re.compile(r"cp(125\d)"), "Windows-{0}"),
              (re.compile(r"iso[-_]?8859[-_](\d+)"), "ISO-8859-{0}"),
              (re.compile(r"(?:us[-_]?)?ascii"), "ASCII"))


def encoding_name(codec: str) -> str:
    """A codec's name as people write it: ``utf-8-sig`` is "UTF-8", ``cp1256`` "Windows-1256",
    ``iso8859-6`` "ISO-8859-6"; any other name as given."""
    for pattern, name in _ENCODINGS:
        if found := pattern.fullmatch(codec.lower()):
            return name.format(*found.groups())
    return codec


def _tool(tool: str) -> SafeString:
    """A text extraction's tool: a text file's encoding note (``utf-8, valid UTF-8``) as a
    sentence in the reader's language ("read as UTF-8 with no errors"), the encoding by the
    name people know it; any other tool's name as written."""
    found = _decoded_pattern().fullmatch(tool)
    if found is None:
        return _typed(tool)
    how = next(code for code in _decoded_words() if found[code.replace("-", "_")] is not None)
    encoding = format_html('<bdi dir="ltr">{}</bdi>', encoding_name(found["encoding"]))
    values: dict[str, str | SafeString] = {"encoding": encoding}
    if how == "detected":
        values["tool"] = _typed(f"charset-normalizer/{found['version']}")
    said = _in_words(_decoded_words()[how], **values)
    if not found["replaced"]:
        return said
    from dhakira.apps.dossier.models import comma as reader_comma

    replaced = conditional_escape(gettext("some bytes could not be read and were replaced"))
    return mark_safe(reader_comma().join([said, replaced]))


_INTAKE = re.compile(r"intake of (?P<uid>I-\d+)")


def origin_label(origin: str) -> SafeString:
    """Where an item came from: the words Dhakira writes (``intake of I-0000001``, by the
    report intake) in the reader's language, the report's id isolated; typed words as typed."""
    if found := _INTAKE.fullmatch(origin):
        return _in_words(gettext("intake of %(uid)s"),
                         uid=format_html('<span class="uid">{}</span>', found["uid"]))
    if found := _FROM_KIT.fullmatch(origin):  # what the office writes of a kit's item
        when = found["when"].replace("T", " ")[:16]
        return _in_words(gettext("field kit %(kit)s, bundle %(seq)s, collected on the kit "
                                 "%(when)s UTC (%(origin)s)"),
                         kit=_typed(found["kit"]), seq=found["seq"],
                         when=format_html('<bdi dir="ltr">{}</bdi>', when),
                         origin=origin_label(found["origin"]))
    return _typed(origin) if origin else format_html("{}", "—")


# fieldkit.office: "field kit LABEL (KEY ID), bundle N", then the kit's own collection.
_FROM_KIT = re.compile(r"field kit (?P<kit>.+?) \([0-9a-f]{16}\), bundle (?P<seq>\d+), "
                       r"collected (?P<when>\S+) \((?P<origin>.*)\)", re.DOTALL)
