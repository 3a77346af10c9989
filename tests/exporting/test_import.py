"""`dhakira import` of an ESF document or of Uwazi CSV files, in process on the test
database: what the imported records carry (name-part rows, compartments), and what a bad
document is refused for."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhakira.apps.dossier.models import Information as Report
from dhakira.apps.dossier.models import NamePart, NameVariant, Person
from dhakira.apps.dossier.views._queries import search_people
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.exporting.errors import ImportRefused
from dhakira.apps.exporting.esf_in import import_esf, import_uwazi
from dhakira.apps.search.models import SearchDocument
from dhakira.core.exporting import (
    Act,
    Bundle,
    Event,
    Information,
    to_esf,
    to_uwazi,
)
from dhakira.core.exporting import (
    Person as PersonRecord,
)

pytestmark = pytest.mark.django_db
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: would reverse how the name is shown


def _bundle(**info: object) -> Bundle:
    return Bundle(
        events=(Event("E-000001", "قصف حي الزنجيلي"),),
        persons=(PersonRecord("P-000001", "victim", (f"{RLO}زيد الخطاب", "Zayd al-Khattab")),),
        acts=(Act("A-000001", "E-000001", "P-000001", "killing"),),
        information=(Information("I-0000001", "AX7Q2", "2016-05-01", "document", "ar",
                                 events=("E-000001",), acts=("A-000001",),
                                 persons=("P-000001",), **info),))  # type: ignore[arg-type]


def _write(tmp_path: Path, fmt: str, bundle: Bundle) -> Path:
    if fmt == "esf":
        (tmp_path / "esf.json").write_bytes(to_esf(bundle, meta={"recipient": "X"}))
        return tmp_path / "esf.json"
    folder = tmp_path / "uwazi"
    folder.mkdir()
    for name, data in to_uwazi(bundle).items():
        (folder / name).write_bytes(data)
    return folder


def _import(path: Path, actor: object, **kw: object):  # type: ignore[no-untyped-def]
    run = import_esf if path.suffix == ".json" else import_uwazi
    return run(path, actor=actor, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["esf", "uwazi"])
def test_imported_names_are_searchable_and_lose_bidi_controls(vault, cast, tmp_path,  # type: ignore[no-untyped-def]
                                                              fmt) -> None:
    out = _import(_write(tmp_path, fmt, _bundle()), cast["amal"])
    person = Person.objects.get(pk=int(out.persons["P-000001"].split("-")[1]))
    texts = sorted(NameVariant.objects.filter(person=person).values_list("text", flat=True))
    assert texts == ["Zayd al-Khattab", "زيد الخطاب"]  # the control is gone
    assert NamePart.objects.filter(person=person).count() >= 4  # every part of both names
    assert person.pk in [h.person_id for h in search_people("الخطاب", user=None)]
    assert person.pk in [h.person_id for h in search_people("Khattab", user=None)]


@pytest.mark.parametrize(("fmt", "kept_in"), [("esf", None), ("uwazi", "sogi")])
def test_document_kept_in_a_compartment_and_report_keeps_its_own(vault, cast, tmp_path,  # type: ignore[no-untyped-def]
                                                                 fmt, kept_in) -> None:
    """The document is evidence in `sources` unless told another (never none: it may hold
    more than the import reads); a report exported from a compartment comes back in it, and
    so does its search document."""
    kw = {"compartment": kept_in} if kept_in else {}
    out = _import(_write(tmp_path, fmt, _bundle(compartment=kept_in or "")), cast["amal"], **kw)
    item = EvidenceItem.objects.get(pk=int(out.document.split("-")[1]))
    assert item.compartment == (kept_in or "sources")
    info = Report.objects.get(pk=int(out.reports["I-0000001"].split("-")[1]))
    assert info.compartment == (kept_in or "")
    assert SearchDocument.objects.get(information=info).compartment == (kept_in or "")


@pytest.mark.parametrize("fmt", ["esf", "uwazi"])
def test_a_document_holding_reports_of_another_compartment_is_refused(vault, cast, tmp_path,  # type: ignore[no-untyped-def]
                                                                      fmt) -> None:
    """A `sogi` report in a document kept in `sources` (the default): anyone cleared for
    sources read it in the stored document (found by the review of this change, as for a
    sheet). Refused, naming the compartment to keep it in; nothing is written."""
    with pytest.raises(ImportRefused, match="--sheet-compartment sogi") as refused:
        _import(_write(tmp_path, fmt, _bundle(compartment="sogi")), cast["amal"])
    assert refused.value.code == "import_document_elsewhere"
    assert not EvidenceItem.objects.exists() and not Report.objects.exists()


def test_a_document_is_never_kept_in_no_compartment(vault, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRefused, match="never in none"):
        _import(_write(tmp_path, "esf", _bundle()), cast["amal"], compartment="")
    assert not EvidenceItem.objects.exists() and not Report.objects.exists()
