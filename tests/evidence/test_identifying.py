"""The split of a file's metadata into what anyone may read, who it names and where."""

from __future__ import annotations

import copy

from dhakira.apps.evidence.identifying import names_in, split


def test_an_exif_tag_nobody_listed_is_protected() -> None:
    meta = {"width": 8, "exif": {"Make": "TestCam", "ImageDescription": "Layla at home",
                                 "0xc4a5": "vendor data"}}
    parts = split(meta)
    assert parts.plain == {"width": 8, "exif": {"Make": "TestCam"}}
    assert parts.people == {"exif": {"ImageDescription": "Layla at home", "0xc4a5": "vendor data"}}
    assert parts.location == {}


def test_gps_goes_to_location_wherever_it_sits() -> None:
    parts = split({"exif": {"GPSInfo": 258, "Model": "T"}, "gps": {"GPSLatitude": ["36.0"]}})
    assert parts.location == {"exif": {"GPSInfo": 258}, "gps": {"GPSLatitude": ["36.0"]}}
    assert parts.plain == {"exif": {"Model": "T"}} and parts.people == {}


def test_pdf_docx_and_email_keep_only_their_harmless_keys() -> None:
    meta = {"pages": 2,
            "pdf": {"Title": "Report", "Author": "A", "Creator": "B", "Custom": "C"},
            "docx": {"title": "T", "created": "2014", "author": "D", "last_modified_by": "E"},
            "email": {"Subject": "S", "Date": "D", "From": "F <f@example.org>", "To": "t@x",
                      "Message-ID": "<m@host>"}, "attachments": 1}
    parts = split(meta)
    assert parts.plain == {"pages": 2, "attachments": 1, "pdf": {"Title": "Report"},
                           "docx": {"title": "T", "created": "2014"},
                           "email": {"Subject": "S", "Date": "D"}}
    assert set(parts.people["pdf"]) == {"Author", "Creator", "Custom"}
    assert set(parts.people["docx"]) == {"author", "last_modified_by"}
    assert set(parts.people["email"]) == {"From", "To", "Message-ID"}


def test_a_section_of_an_unexpected_shape_is_protected_whole() -> None:
    assert split({"email": "From: someone"}).people == {"email": "From: someone"}


def test_the_input_is_not_changed() -> None:
    meta = {"exif": {"Make": "M", "Artist": "A"}, "gps": {"GPSLatitudeRef": "N"}}
    before = copy.deepcopy(meta)
    split(meta)
    assert meta == before


def test_names_in_gives_names_addresses_and_serials_not_other_tags() -> None:
    people = {"email": {"From": "Layla <l@example.org>", "Cc": "a@x, B <b@x>",
                        "Message-ID": "<m@host>"},
              "exif": {"Artist": "P", "BodySerialNumber": "SN1", "ExposureIndex": "2.0"},
              "docx": {"author": "D"}}
    assert names_in(people) == ["Layla", "l@example.org", "a@x", "B", "b@x", "P", "SN1", "D"]
