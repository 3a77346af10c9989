"""Which metadata names a person or a place, split from the metadata anyone may read.

A file says things about itself that can get someone killed: the sender of an e-mail, the
author of a document, the owner and serial number of the camera, and where a photo was taken.
:func:`split` takes the metadata an extractor returned and parts it three ways:

- ``plain``: dates, types, dimensions, camera make and model, page counts, subjects and titles.
  It is stored on the evidence item and shown to everyone who may see the item.
- ``people``: e-mail senders and recipients, message ids, authors, owners, serial numbers and
  every EXIF tag, PDF information key or DOCX property not named as safe below. It becomes a
  protected value in the ``sources`` compartment.
- ``location``: every GPS tag. It becomes a protected value in the ``addresses`` compartment.

What is safe is an allow-list, not a deny-list: a tag nobody thought of is protected.
No Django here: intake calls it and the data migration for older vaults calls it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import getaddresses
from typing import Any

__all__ = ["LOCATION", "PEOPLE", "Split", "names_in", "split"]

# The names of the protected fields (see dhakira.apps.dossier.protected, registered by the app).
PEOPLE = "metadata_people"
LOCATION = "metadata_location"

# EXIF tags that say how a picture was made, not by whom or where (Pillow's tag names).
_EXIF_SAFE = frozenset({
    "Make", "Model", "Orientation", "XResolution", "YResolution", "ResolutionUnit",
    "DateTime", "DateTimeOriginal", "DateTimeDigitized", "OffsetTime", "OffsetTimeOriginal",
    "OffsetTimeDigitized", "SubsecTime", "SubsecTimeOriginal", "SubsecTimeDigitized",
    "ImageWidth", "ImageLength", "ExifImageWidth", "ExifImageHeight", "BitsPerSample",
    "Compression", "PhotometricInterpretation", "SamplesPerPixel", "PlanarConfiguration",
    "YCbCrPositioning", "YCbCrSubSampling", "ColorSpace", "ExifVersion", "FlashPixVersion",
    "ComponentsConfiguration", "ExposureTime", "FNumber", "ExposureProgram", "ISOSpeedRatings",
    "ShutterSpeedValue", "ApertureValue", "BrightnessValue", "ExposureBiasValue",
    "MaxApertureValue", "MeteringMode", "LightSource", "Flash", "FocalLength",
    "FocalLengthIn35mmFilm", "ExposureMode", "WhiteBalance", "DigitalZoomRatio",
    "SceneCaptureType", "SceneType", "SensingMethod", "Contrast", "Saturation", "Sharpness",
    "GainControl", "CustomRendered", "SubjectDistanceRange", "LensMake", "LensModel",
    "LensSpecification", "Software", "ExifOffset",
})
# PDF information keys that describe the document, not who wrote it or on which machine.
_PDF_SAFE = frozenset({"Title", "Subject", "Producer", "CreationDate", "ModDate", "Trapped"})
_DOCX_SAFE = frozenset({"created", "modified", "title", "revision"})
# E-mail headers that name no one (From, To, Cc, Reply-To and Message-ID can).
_EMAIL_SAFE = frozenset({"Subject", "Date"})


@dataclass(frozen=True)
class Split:
    """Metadata parted into what anyone may read and the two protected parts."""

    plain: dict[str, Any]
    people: dict[str, Any]
    location: dict[str, Any]


def split(metadata: dict[str, Any]) -> Split:
    """Part ``metadata`` (as the extractors and e-mail intake build it); the input is not changed.

    Example:
        >>> s = split({"exif": {"Make": "TestCam", "Artist": "A"}, "gps": {"GPSLatitudeRef": "N"}})
        >>> s.plain, s.people, s.location
        ({'exif': {'Make': 'TestCam'}}, {'exif': {'Artist': 'A'}}, {'gps': {'GPSLatitudeRef': 'N'}})
    """
    plain: dict[str, Any] = {}
    people: dict[str, Any] = {}
    location: dict[str, Any] = {}
    for key, value in metadata.items():
        if key == "gps":
            location[key] = value
        elif key == "exif" and isinstance(value, dict):
            where = {k: v for k, v in value.items() if str(k).startswith("GPS")}
            rest = {k: v for k, v in value.items() if k not in where}
            _part(key, rest, _EXIF_SAFE, plain, people)
            if where:
                location[key] = where
        elif key in _SAFE and isinstance(value, dict):
            _part(key, value, _SAFE[key], plain, people)
        elif key in _SAFE:  # a section of an unexpected shape: nothing shows it is harmless
            people[key] = value
        else:
            plain[key] = value
    return Split(plain, people, location)


_SAFE = {"pdf": _PDF_SAFE, "docx": _DOCX_SAFE, "email": _EMAIL_SAFE, "exif": _EXIF_SAFE}
# The values of the "who" part that are a person's name, address or device: what a package's
# leak check must not find (the other tags are protected too, but are rarely words).
_NAMING = {"email": ("From", "To", "Cc"),
           "exif": ("Artist", "Copyright", "XPAuthor", "CameraOwnerName", "BodySerialNumber",
                    "LensSerialNumber"),
           "pdf": ("Author",), "docx": ("author", "last_modified_by")}


def names_in(people: dict[str, Any]) -> list[str]:
    """The names, e-mail addresses, owners and serial numbers in a ``people`` part.

    Example:
        >>> names_in({"email": {"From": "Layla <l@example.org>"}, "pdf": {"Author": "A. B."}})
        ['Layla', 'l@example.org', 'A. B.']
    """
    found: list[str] = []
    for section, keys in _NAMING.items():
        part = people.get(section)
        if not isinstance(part, dict):
            continue
        for key in keys:
            value = part.get(key)
            if isinstance(value, str) and value.strip():
                found += _addresses(value) if section == "email" else [value.strip()]
    return list(dict.fromkeys(found))


def _addresses(header: str) -> list[str]:
    try:
        pairs = getaddresses([header])
    except (RecursionError, ValueError):  # a hostile header: keep it whole
        return [header.strip()]
    return [v.strip() for pair in pairs for v in pair if v.strip()] or [header.strip()]


def _part(key: str, section: dict[str, Any], safe: frozenset[str], plain: dict[str, Any],
          people: dict[str, Any]) -> None:
    shown = {k: v for k, v in section.items() if k in safe}
    hidden = {k: v for k, v in section.items() if k not in safe}
    if shown:
        plain[key] = shown
    if hidden:
        people[key] = hidden
