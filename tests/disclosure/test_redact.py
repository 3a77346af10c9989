"""Redaction of names in every variant and script, coordinates and image metadata.

All names are invented for the tests.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from dhakira.core.handover import (
    ANONYMISED,
    RedactionError,
    Redactor,
    coarsen,
    pseudonym_code,
    pseudonym_codes,
    redact_text,
    strip_image_metadata,
)

SECRET = b"package-secret-one-0123456789ab"
OTHER = b"package-secret-two-0123456789ab"
NAMES = {
    "p-victim": ["محمد عبد الله", "محمد", "Muhammad Abdullah", "Mohammed"],
    "p-source": ["زينب العبيدي", "العبيدي", "Zainab al-Obaidi"],
    "p-witness": ["آمنة"],
}
ROLES = {"p-victim": "victim", "p-source": "source", "p-witness": "witness"}


def _pseudo(text: str, **kw: object) -> str:
    return redact_text(text, names=NAMES, policy="pseudonymised", package_secret=SECRET,
                       roles=ROLES, **kw).text  # type: ignore[arg-type]


def _code(pid: str) -> str:
    return pseudonym_code(pid, package_secret=SECRET, role=ROLES[pid])


def test_it_finds_arabic_names_written_with_harakat() -> None:
    out = _pseudo("قَالَ مُحَمَّدٌ عَبْدُ اللّٰهِ إنه اعتقل")
    assert out == f"قَالَ {_code('p-victim')} إنه اعتقل"  # the rest, harakat included, intact


def test_it_folds_alef_ta_marbuta_and_tatweel() -> None:
    code = _code("p-witness")
    assert _pseudo("رأت امنه ذلك") == f"رأت {code} ذلك"
    assert _pseudo("رأت أمنـــة ذلك") == f"رأت {code} ذلك"


def test_it_keeps_attached_clitics_and_replaces_the_name() -> None:
    victim, source = _code("p-victim"), _code("p-source")
    assert _pseudo("وبمحمد") == f"وب{victim}"
    assert _pseudo("فلمحمد") == f"فل{victim}"
    assert _pseudo("والعبيدي") == f"و{source}"
    assert _pseudo("للعبيدي") == f"ل{source}"


def test_it_does_not_replace_a_name_inside_another_word() -> None:
    assert _pseudo("المحمدية مدينة") == "المحمدية مدينة"


def test_it_matches_latin_variants_case_insensitively_longest_first() -> None:
    result = redact_text("MUHAMMAD ABDULLAH met mohammed and Zainab Al-Obaidi.", names=NAMES,
                         policy="pseudonymised", package_secret=SECRET, roles=ROLES)
    victim, source = _code("p-victim"), _code("p-source")
    assert result.text == f"{victim} met {victim} and {source}."
    assert result.replacements == 3
    assert result.persons == ("p-source", "p-victim")


def test_it_makes_codes_stable_within_a_package_and_different_across() -> None:
    assert re.fullmatch(r"V-[0-9A-F]{4}", _code("p-victim"))
    assert _code("p-victim") == pseudonym_code("p-victim", package_secret=SECRET, role="victim")
    assert _code("p-victim") != pseudonym_code("p-victim", package_secret=OTHER, role="victim")
    first = _pseudo("محمد").strip()
    assert _pseudo("Mohammed") == first  # every script gives the same code


def test_pseudonym_codes_never_collide_within_a_package() -> None:
    codes = pseudonym_codes([f"p-{i}" for i in range(2000)], package_secret=SECRET)
    assert len(set(codes.values())) == 2000  # 2000 ids in 65536 codes collide without care


def test_anonymised_uses_generic_tokens_in_the_script_of_the_name() -> None:
    out = redact_text("شهد محمد. Mohammed testified.", names=NAMES, policy=ANONYMISED,
                      package_secret=SECRET, roles=ROLES).text
    assert out == "شهد [ضحية]. [victim] testified."


def test_full_keeps_names_but_removes_source_identities() -> None:
    out = redact_text("محمد حدّث زينب العبيدي", names=NAMES, policy="full",
                      package_secret=SECRET, roles=ROLES).text
    assert out == f"محمد حدّث {_code('p-source')}"


def test_a_variant_shared_by_two_persons_gets_a_generic_token() -> None:
    names = {"a": ["Ali Hassan"], "b": ["Ali Hassan", "Ali Kareem"]}
    result = redact_text("Ali Hassan and Ali Kareem", names=names, policy="pseudonymised",
                         package_secret=SECRET)
    assert result.text == f"[person] and {pseudonym_code('b', package_secret=SECRET)}"
    assert result.ambiguous


def test_it_coarsens_coordinates_in_text_under_anonymised_only() -> None:
    text = "الموقع 36.34567, 43.12345 قرب النهر"
    out = redact_text(text, names={}, policy=ANONYMISED, package_secret=SECRET).text
    assert out == "الموقع 36.3, 43.1 قرب النهر"
    assert redact_text(text, names={}, policy="full", package_secret=SECRET).text == text


def test_coarsen_rounds_to_the_policy_grid() -> None:
    assert coarsen(36.34567, 43.18, "anonymised") == (36.3, 43.2)
    assert coarsen(36.34567, 43.18, "full") == (36.34567, 43.18)


def test_it_removes_addresses_and_marked_spans() -> None:
    text = "Lives at 12 Example Street, phone 0770"
    result = redact_text(text, names={}, policy="full", package_secret=SECRET,
                         addresses=["12 example street"], spans=[(34, 38)])
    assert result.text == "Lives at [address], phone [redacted]"


def test_it_rejects_short_secrets_unknown_policies_and_bad_spans() -> None:
    with pytest.raises(RedactionError, match="16"):
        redact_text("x", names={"a": ["x"]}, policy="pseudonymised", package_secret=b"short")
    with pytest.raises(RedactionError, match="unknown redaction policy"):
        redact_text("x", names={}, policy="public", package_secret=SECRET)
    with pytest.raises(RedactionError, match="outside"):
        redact_text("x", names={}, policy="full", package_secret=SECRET, spans=[(0, 5)])


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (32, 16), (200, 10, 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SyntheticCam"
    exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (36.0, 20.0, 15.0), 3: "E", 4: (43.0, 7.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, comment=b"taken by someone")
    return out.getvalue()


def test_it_strips_exif_and_gps_from_jpeg() -> None:
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    clean = strip_image_metadata(original)
    img = Image.open(io.BytesIO(clean))
    assert not img.getexif() and not img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in clean and b"SyntheticCam" not in clean and b"someone" not in clean
    assert "icc_profile" not in img.info and img.size == (32, 16)


def test_it_strips_text_chunks_from_png() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Synthetic Author")
    src = io.BytesIO()
    Image.new("RGBA", (8, 8), (1, 2, 3, 255)).save(src, "PNG", pnginfo=info)
    clean = strip_image_metadata(src.getvalue())
    assert b"Synthetic Author" not in clean and b"tEXt" not in clean
    assert Image.open(io.BytesIO(clean)).getpixel((0, 0)) == (1, 2, 3, 255)


def test_it_refuses_what_it_cannot_clean() -> None:
    with pytest.raises(RedactionError):
        strip_image_metadata(b"not an image")


def test_it_matches_names_written_joined_or_with_other_separators() -> None:
    victim, source = _code("p-victim"), _code("p-source")
    assert _pseudo("شهد محمد عبدالله") == f"شهد {victim}"
    assert _pseudo("Zainab al Obaidi, Zainab Al’Obaidi") == f"{source}, {source}"
    assert _pseudo("Zainab al-Obaidi's statement") == f"{source}'s statement"


def test_a_redactor_compiled_once_gives_what_redact_text_gives_for_every_text() -> None:
    texts = ["MUHAMMAD ABDULLAH met mohammed.", "شهدت آمنة ما جرى لمحمد عبد الله",
             "Zainab Al-Obaidi, 36.3412, 43.1301", "nobody named here"]
    redactor = Redactor(names=NAMES, policy=ANONYMISED, package_secret=SECRET, roles=ROLES,
                        addresses=["12 Palm Street"])
    for text in texts:
        expected = redact_text(text, names=NAMES, policy=ANONYMISED, package_secret=SECRET,
                               roles=ROLES, addresses=["12 Palm Street"])
        assert redactor.redact(text) == expected
    assert redactor.redact(texts[0]).text == "[victim] met [victim]."


def test_the_matcher_prefers_the_longest_of_forms_sharing_a_prefix() -> None:
    names = {"a": ["Ali"], "b": ["Ali Hassan al-Jubouri"], "c": ["Ali Hassan"]}
    result = redact_text("Ali Hassan al Jubouri, Ali Hassan and Ali Hassanein.", names=names,
                         policy="pseudonymised", package_secret=SECRET)
    assert [p for p in result.persons] == ["a", "b", "c"]
    assert result.text.count("-") == 3 and "Hassanein" in result.text


def test_the_filtered_matcher_finds_what_the_whole_regex_finds() -> None:
    """A matcher filters each text's possible names before compiling (an export's few hundred
    short texts never pay for the regex of every name); past FILTER_CHARS it compiles the
    whole regex. Both find the same hits, on names sharing prefixes, joined, separated, with
    clitics and harakat, and ambiguous forms."""
    import random

    from dhakira.core.handover import _matcher

    parts_ar = ["محمد", "عبد الله", "عبدالله", "العبيدي", "آمنة", "حسن", "علي", "الجبوري",
                "زينب", "أبو بكر"]
    parts_en = ["Ali", "Hassan", "al-Jubouri", "Muhammad", "Abdullah", "Zainab", "al Obaidi",
                "Abu Bakr", "Amna"]
    rng = random.Random(7)
    variants = {f"P-{i:06d}": [" ".join(rng.sample(parts_ar, rng.randint(1, 3))),
                               " ".join(rng.sample(parts_en, rng.randint(1, 3)))]
                for i in range(120)}
    words = [*parts_ar, *parts_en, "وال", "لل", "بـ", "و", "said", "قال", "Hassanein",
             "ومحمد", "للعبيدي", "Ali-Hassan", "عبدُ اللهِ", "—", ",", "al’Obaidi"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 25))) for _ in range(400)]
    filtered = _matcher.NameMatcher(variants)
    whole = _matcher.NameMatcher(variants, filter_chars=0)
    found = 0
    for text in texts:
        expected = list(whole.find(text))
        assert list(filtered.find(text)) == expected, text
        found += len(expected)
    assert filtered._regex is None and whole._regex is not None  # each took its own way
    assert found > 400  # the texts are full of names


@pytest.mark.parametrize(("text", "said"), [
    ("Call 0774 558 0464 2015 times", "Call [phone] 2015 times"),
    ("٠٧٧٤ ٥٥٨ ٠٤٦٤ ١٢ مرة", "[هاتف] ١٢ مرة"),
    ("on 07745580464. 2 days later", "on [phone]. 2 days later"),
    ("+964-774-558-0464", "[phone]"),
    ("(0774) 558-0464", "[phone]"),
    ("born 1987, 12 people, 36.34 N", "born 1987, 12 people, 36.34 N"),
    ("twice: 07745580464 07745580464 3", "twice: [phone] 3"),
])
def test_a_protected_phone_number_is_removed_however_it_is_written(text: str, said: str) -> None:
    """The review of this change found a number followed by another figure left whole: the
    runs of digits were joined and only a run ending in the number was cut."""
    from dhakira.core.handover.redact import phone_keys

    keys = phone_keys("+964 774 558 0464 (Signal)")
    assert redact_text(text, names={}, policy="anonymised", package_secret=b"s" * 32,
                       phones=keys).text == said


def test_a_contact_holding_two_numbers_gives_both() -> None:
    from dhakira.core.handover.redact import phone_keys

    assert phone_keys("07745580464 07701234567") == ("745580464", "701234567")
