"""The metadata anyone may read, as labelled fields: a label per known key, through gettext;
an unknown key is shown by its own name (it may be anything a file says about itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["Field", "Section", "sections"]

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
