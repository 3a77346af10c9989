"""The leak scanner finds forbidden strings in any byte of a package."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from dhakira.core.handover import (
    find_fine_coordinates,
    find_image_metadata,
    find_leaks,
    strip_image_metadata,
    to_zip,
)

FORBIDDEN = ["زينب العبيدي", "Zainab al-Obaidi", "36.34567"]


def test_it_finds_nothing_in_a_clean_package(package: Path, tmp_path: Path) -> None:
    assert find_leaks(package, FORBIDDEN) == []
    assert find_leaks(to_zip(package, tmp_path / "p.zip"), FORBIDDEN) == []


def test_it_finds_a_planted_name_in_file_contents(package: Path) -> None:
    (package / "text" / "E-0001.txt").write_text("شهدت زينب العبيدي\n", encoding="utf-8")
    assert find_leaks(package, FORBIDDEN) == [("text/E-0001.txt", "زينب العبيدي")]


def test_it_finds_names_hidden_by_harakat_or_other_letter_forms(package: Path) -> None:
    (package / "custody.jsonl").write_text("زَيْنَب العُبَيدى", encoding="utf-8")
    assert find_leaks(package, FORBIDDEN) == [("custody.jsonl", "زينب العبيدي")]


def test_it_finds_utf16_and_other_case(package: Path) -> None:
    (package / "files" / "E-0002.pdf").write_bytes(b"\xff\xfe" + "ZAINAB AL-OBAIDI".encode("utf-16-le"))
    (package / "files" / "AU-0003.ogg").write_bytes("zainab al-obaidi".encode("utf-16-be"))
    assert find_leaks(package, FORBIDDEN) == [("files/AU-0003.ogg", "Zainab al-Obaidi"),
                                              ("files/E-0002.pdf", "Zainab al-Obaidi")]


def test_it_finds_a_name_in_a_file_name(package: Path) -> None:
    (package / "files" / "Zainab al-Obaidi.jpg").write_bytes(b"\xff\xd8")
    assert ("files/Zainab al-Obaidi.jpg (file name)", "Zainab al-Obaidi") in find_leaks(
        package, FORBIDDEN)


def test_it_finds_a_name_in_zip_metadata_and_compressed_members(tmp_path: Path) -> None:
    path = tmp_path / "leaky.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.comment = b"Zainab al-Obaidi"
        zf.writestr("files/a.txt", ("padding " * 100 + "36.34567, 43.1") * 3)
    leaks = find_leaks(path, FORBIDDEN)
    assert ("<archive comment>", "Zainab al-Obaidi") in leaks
    assert ("files/a.txt", "36.34567") in leaks


def test_it_finds_a_name_across_a_chunk_boundary(package: Path) -> None:
    data = b"x" * ((1 << 20) - 5) + b"Zainab al-Obaidi"
    (package / "files" / "AU-0003.ogg").write_bytes(data)
    assert find_leaks(package, FORBIDDEN) == [("files/AU-0003.ogg", "Zainab al-Obaidi")]


def _jpeg(exif: bool) -> bytes:
    from PIL import ExifTags, Image

    out = io.BytesIO()
    meta = Image.Exif()
    if exif:
        meta[ExifTags.Base.GPSInfo] = {1: "N", 2: (36.0, 20.0, 15.0)}
    Image.new("RGB", (8, 8)).save(out, "JPEG", exif=meta)
    return out.getvalue()


def test_it_finds_images_that_keep_exif_and_gps(package: Path) -> None:
    (package / "files" / "P-1.jpg").write_bytes(_jpeg(exif=True))
    (package / "files" / "P-2.jpg").write_bytes(strip_image_metadata(_jpeg(exif=True)))
    assert find_image_metadata(package) == [("files/P-1.jpg", "EXIF"), ("files/P-1.jpg", "GPS")]


def test_it_finds_coordinates_finer_than_the_policy(package: Path) -> None:
    (package / "text" / "E-0001.txt").write_text("at 36.3, 43.1 and 36.35, 43.12 and 36.30, 43.10")
    (package / "custody.jsonl").write_text('{"lat": 36.345, "lon": 43.1}')
    assert find_fine_coordinates(package, precision=0.1) == [
        ("custody.jsonl", '"lat": 36.345'), ("text/E-0001.txt", "36.35, 43.12")]
    assert find_fine_coordinates(package, precision=0.001) == []


ARABIC_IDENTITY = "زهراء حسن القاسمي"  # synthetic


@pytest.mark.parametrize("written", ["Zahraa Hassan al-Qasimi", "ZAHRA HASAN AL KASIMI",
                                     "said Zahraa Hassan Al-Qasimi."])
def test_finding_low_translit_the_latin_transliteration_of_an_arabic_identity_is_a_leak(
        written: str) -> None:
    package = {"files/I-0000001.txt": f"The witness {written} saw it.".encode(),
               "summary.pdf": b"%PDF-1.4 nothing"}
    assert find_leaks(package, [ARABIC_IDENTITY]) == [("files/I-0000001.txt", ARABIC_IDENTITY)]


def test_finding_low_translit_the_arabic_form_of_a_latin_name_is_a_leak() -> None:
    package = {"files/I-0000001.txt": "قال نور هادي العبيدي ذلك".encode()}
    assert find_leaks(package, ["Noor Hadi al-Obaidi"]) == [("files/I-0000001.txt",
                                                             "Noor Hadi al-Obaidi")]


def test_finding_low_translit_a_transliteration_split_across_stream_chunks_is_found(
        tmp_path: Path) -> None:
    from dhakira.core.handover import leaks

    body = "x" * (leaks._CHUNK - 10) + " Zahraa Hassan al-Qasimi " + "y" * 100
    (tmp_path / "big.txt").write_text(body)
    assert find_leaks(tmp_path, [ARABIC_IDENTITY]) == [("big.txt", ARABIC_IDENTITY)]


def test_short_names_and_unrelated_text_are_not_keyed() -> None:
    assert find_leaks({"a.txt": b"Zahraa came; Hassan left. Qasim Street."}, ["زهراء"]) == []
    assert find_leaks({"b.txt": b"Witness Ali Hussein said nothing."}, [ARABIC_IDENTITY]) == []
    # Two short parts: matched as given only (a short skeleton would match ordinary words).
    assert find_leaks({"c.txt": b"Zainab al-Obaidi"}, ["زينب العبيدي"]) == []
