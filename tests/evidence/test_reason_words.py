"""Why a file was refused at intake, or its text not read, said in the reader's language: the
intake and processing word their reasons in English (kept so in custody and in an ingest's
report), and `reason_words` says each again; `dhakira ingest`, the upload page and the report
form said them in English under Arabic."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.utils import translation

from dhakira.apps.evidence import _archive, _mail, _prepare, intake
from dhakira.apps.evidence.errors import unexpected
from dhakira.apps.evidence.extract import Unreadable
from dhakira.apps.evidence.labels import _REASONS, reason_words


def _filled(template: str) -> tuple[str, list[str]]:
    values: list[str] = []

    def value(found: re.Match[str]) -> str:
        values.append(f"V{len(values) + 1}x")
        return values[-1]
    return re.sub(r"%\((\w+)\)s", value, template), values


@pytest.mark.parametrize("template", _REASONS)
def test_every_reason_is_said_again_in_arabic_with_its_values_as_written(template: str) -> None:
    reason, values = _filled(template)
    for said in (reason, f"x.zip/a b.pdf: {reason}"):
        with translation.override("en"):
            assert reason_words(said) == said
        with translation.override("ar"):
            arabic = reason_words(said)
        assert arabic != said and all(v in arabic for v in values), arabic
        assert arabic.startswith("x.zip/a b.pdf: ") == said.startswith("x.zip/")


def _zip(name: str) -> io.BytesIO:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr(zipfile.ZipInfo(name), b"x")
    data.seek(0)
    return data


def _refusal(make) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Unreadable) as caught:
        make()
    return str(caught.value)


# Refusals as the intake words them, made by the intake's own readers on odd inputs.
REFUSALS = {
    "empty": lambda: _prepare.check(io.BytesIO(b""), "a.txt", 0),
    "empty member": lambda: _prepare.check(io.BytesIO(b""), "x.zip/a.txt", 1),
    "corrupt zip": lambda: _archive.open_zip(io.BytesIO(b"PK\x03\x04junk")),
    "climbing entry": lambda: _archive.members(zipfile.ZipFile(_zip("../evil.txt"))),
    "absolute entry": lambda: _archive.members(zipfile.ZipFile(_zip("/etc/evil.txt"))),
    "mbox without From": lambda: _mail.read_mbox(io.BytesIO(b"Subject: x\n\nhi\n")),
    "empty mbox": lambda: _mail.read_mbox(io.BytesIO(b"From x\n")),
    "e-mail without headers": lambda: _mail.parse(b"just words", "a.eml"),
}


@pytest.mark.parametrize("make", REFUSALS.values(), ids=REFUSALS.keys())
def test_the_intakes_own_refusals_are_said_in_arabic(make) -> None:  # type: ignore[no-untyped-def]
    reason = _refusal(make)
    with translation.override("ar"):
        arabic = reason_words(reason)
    words = re.sub(r"\([^)]*\)", "", arabic)  # a library's own word for the fault stays
    assert arabic != reason and not re.search(r"\b(is|the|has|no|not|entry|malformed)\b", words)


@pytest.mark.parametrize("exc", [RecursionError(), MemoryError(), ValueError("x"),
                                 PermissionError(13, "Permission denied")])
def test_reasons_for_what_no_reader_foresaw_are_said_in_arabic(exc: BaseException) -> None:
    reason = intake._reason(exc) if isinstance(exc, OSError) else unexpected(exc)  # type: ignore[arg-type]
    with translation.override("ar"):
        assert reason_words(reason) != reason
