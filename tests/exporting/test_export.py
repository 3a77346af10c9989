"""Issue 20, item 6: `dhakira export` of a selection as ESF JSON and Uwazi CSV, through the
package's consent gate and redaction, on the test database (both legs), and the round trip
of an ESF export into a fresh vault made by `dhakira init`, through the real command."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.cast import PASSWORD
from tests.clivault import clean_env, new_vault, run
from tests.dossier import scenario
from tests.exporting.snapshot import snapshot
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira import cli
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Act, Event, Involvement
from dhakira.apps.handover.models import Disclosure
from dhakira.core.dates import parse_fuzzy_date

pytestmark = pytest.mark.django_db
ICC = "International Criminal Court"
ROOT = Path(__file__).resolve().parents[2]
UWAZI_FILES = ["acts.csv", "events.csv", "involvements.csv", "perpetrators.csv", "persons.csv",
               "reports.csv", "victims.csv"]


@pytest.fixture
def export(vault, cast, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli.importing, "unlock", lambda *a: b"")  # the test database is open
    (tmp_path / "pw").write_text(PASSWORD + "\n")

    def invoke(*args: str, fmt: str = "esf", policy: str = "full",
               to: Path | None = None):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli.main, [
            "export", "--vault", str(vault), "--format", fmt, *args, "--recipient", ICC,
            "--purpose", "share_icc", "--policy", policy, "--to", str(to or tmp_path / "out"),
            "--as", "rana", "--password-file", str(tmp_path / "pw")])
    return invoke


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    d = dossier.build(with_evidence=False)
    listed(ICC)
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


PROTECTED = [scenario.SOURCE_IDENTITY, scenario.SOURCE_PHONE, scenario.VICTIM_ADDRESS,
             *dossier.REFUSER, dossier.REFUSER_ADDRESS, "NINAWA-07"]


def _all_bytes(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def test_esf_export_leaves_out_blocked_items_logs_each_file_and_writes_only_there(
        export, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = export("place:Mosul")
    assert result.exit_code == 0, result.output
    assert (f"blocked: {world.refuser_act.uid}: {world.refuser.uid}: consent refused"
            in result.output)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["esf.json"]
    doc = json.loads((out / "esf.json").read_text(encoding="utf-8"))
    assert [a["2101 record number"] for a in doc["acts"]] == [world.base.act.uid]
    victim = next(p for p in doc["persons"] if p["0901 record number"] == world.base.victim.uid)
    assert victim["0903 name"] == "محمد علي حسين" and victim["0904 other names"] == [
        "Mohammed Ali Hussein"]
    text = _all_bytes(out)
    for value in PROTECTED:  # protected fields, the refuser and the source's code name
        assert value not in text, value
    # One custody entry: what, to whom, and the SHA-256 of the file written.
    sha = hashlib.sha256((out / "esf.json").read_bytes()).hexdigest()
    entry = LedgerEntry.objects.filter(action="export").get()
    assert entry.detail["format"] == "esf" and f"esf.json:{sha}" == entry.detail["files"]
    assert entry.detail["recipient"] == listed(ICC).uid
    assert world.refuser_act.uid in entry.detail["blocked"]
    assert f"wrote {out / 'esf.json'} sha256 {sha}" in result.output
    d = Disclosure.objects.get()  # in the disclosure log, so a withdrawal finds it
    assert d.package_id == entry.subject and world.base.act.uid in d.items
    assert d.persons.filter(person=world.base.victim).exists()


def test_uwazi_export_pseudonymised_names_nobody(export, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = export("place:Mosul", fmt="uwazi", policy="pseudonymised")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == UWAZI_FILES
    text = _all_bytes(out)
    for value in [*PROTECTED, "محمد علي حسين", "Mohammed Ali Hussein", "أبو حمزة الموصلي",
                  world.base.victim.uid]:
        assert value not in text, value
    assert "title__ar" in text and "القتل" in text and "Killing" in text
    assert "36.34|43.13" in text  # geolocation as lat|lon


def test_arabic_reader_is_told_what_is_blocked_in_arabic(export, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DHAKIRA_LANG", "ar")
    result = export("place:Mosul")
    assert result.exit_code == 0, result.output
    assert f"محجوب: {world.refuser_act.uid}: {world.refuser.uid}: الموافقة مرفوضة" in result.output
    assert "تم تصدير" in result.output


@pytest.mark.parametrize(("args", "fmt", "message"), [
    (["event:E-009999"], "esf", "the selection is empty"),
    (["place:Mosul"], "xml", "unknown format 'xml'; use one of esf, uwazi"),
    ([], "esf", "give exactly one of QUERY and --charge ID"),
])
def test_bad_input_is_one_line_and_nothing_is_written(export, world, tmp_path, args, fmt,  # type: ignore[no-untyped-def]
                                                       message) -> None:
    result = export(*args, fmt=fmt)
    assert result.exit_code != 0
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
    assert not LedgerEntry.objects.filter(action="export").exists()
    assert not Disclosure.objects.exists()


def test_a_recipient_without_consent_for_anything_gets_nothing(export, world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    consent(world.base.victim, "withdrawn", by=cast["amal"])
    result = export(f"act:{world.base.act.uid}")
    assert result.exit_code != 0
    assert "every one of the" in result.output and "blocked, so nothing may go" in result.output
    assert not (tmp_path / "out").exists() and not Disclosure.objects.exists()


def test_an_export_never_overwrites(export, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "esf.json").write_text("mine")
    result = export("place:Mosul")
    assert result.exit_code != 0 and "exists already" in result.output
    assert (tmp_path / "out" / "esf.json").read_text() == "mine"
    assert not Disclosure.objects.exists()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["esf", "uwazi"])
def test_round_trip_into_a_fresh_vault_gives_the_same_records(export, world, cast, tmp_path,  # type: ignore[no-untyped-def]
                                                              fmt) -> None:
    # A second act in the event, an English-named victim, a perpetrator with a unit.
    base = world.base
    act = Act(event=base.event, victim=base.perpetrator, act_type="detention_imprisonment",
              place=base.place)
    act.set_date(parse_fuzzy_date("2014"))
    act.save()
    Involvement.objects.create(act=act, perpetrator=base.victim, unit=base.unit,
                               degree="gave_orders", certainty="possible")
    consent(base.perpetrator, "granted", by=cast["amal"])
    result = export(f"event:{base.event.uid}", fmt=fmt)
    assert result.exit_code == 0, result.output
    document = tmp_path / "out" / "esf.json" if fmt == "esf" else tmp_path / "out"
    shipped = [base.act.pk, act.pk]
    expected = snapshot(shipped)
    assert len(expected["acts"]) == 2

    fresh = new_vault(tmp_path / "fresh")
    done = run("import", "--vault", str(fresh), "--passphrase-file", str(fresh.parent / "pass"),
               "--actor", "amal", "--password-file", str(fresh.parent / "web"), str(document))
    assert done.returncode == 0, done.stderr
    assert "1 event, 2 acts, 2 people and 2 reports imported" in done.stdout
    read = subprocess.run([sys.executable, "-m", "tests.exporting.snapshot", str(fresh),
                           str(fresh.parent / "pass")], capture_output=True, text=True,
                          env=clean_env(), cwd=ROOT, timeout=300)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout) == expected
    again = run("import", "--vault", str(fresh), "--passphrase-file", str(fresh.parent / "pass"),
                "--actor", "amal", "--password-file", str(fresh.parent / "web"), str(document))
    assert again.returncode == 65 and "was taken in before" in again.stderr, again.stderr


def test_a_bad_esf_document_fails_before_the_vault_is_opened(tmp_path: Path) -> None:
    bad = tmp_path / "esf.json"
    bad.write_text(json.dumps({"standard": "HURIDOCS Events Standard Formats",
                               "x-dhakira": {"version": 1},
                               "acts": [{"2101 record number": "A-000001",
                                         "2109 type of act": {"code": "shelling"}}]}))
    (tmp_path / "pass").write_text("x\n")
    done = run("import", "--vault", str(tmp_path / "no-vault"), "--passphrase-file",
               str(tmp_path / "pass"), "--actor", "amal", str(bad))
    assert done.returncode == 65
    assert done.stderr.startswith("dhakira: esf.json: acts record 1 (A-000001): 'shelling' is "
                                  "not a term of vocabulary 'act_types'")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "no-vault").exists()


def test_an_unknown_format_is_one_line_before_the_vault_is_opened(tmp_path: Path) -> None:
    (tmp_path / "pass").write_text("x\n")
    done = run("export", "--vault", str(tmp_path / "no-vault"), "--passphrase-file",
               str(tmp_path / "pass"), "--format", "xml", "place:Mosul", "--recipient", "X",
               "--purpose", "share_icc", "--to", str(tmp_path / "out"), "--as", "amal")
    assert done.returncode == 64
    assert done.stderr.strip() == "dhakira: unknown format 'xml'; use one of esf, uwazi"
    assert not (tmp_path / "out").exists() and not (tmp_path / "no-vault").exists()


def test_a_folder_missing_an_uwazi_file_fails_before_the_vault_is_opened(tmp_path: Path) -> None:
    folder = tmp_path / "uwazi"
    folder.mkdir()
    (folder / "events.csv").write_text("title__en\n")
    (tmp_path / "pass").write_text("x\n")
    done = run("import", "--vault", str(tmp_path / "no-vault"), "--passphrase-file",
               str(tmp_path / "pass"), "--actor", "amal", str(folder))
    assert done.returncode == 65
    assert done.stderr.strip() == "dhakira: uwazi: acts.csv is missing"


def test_a_table_still_needs_its_mapping(tmp_path: Path) -> None:
    # --mapping became optional for exports; a sheet without one is still refused in one line.
    sheet = tmp_path / "victims.csv"
    sheet.write_text("الاسم\nعلي\n")
    done = run("import", "--vault", str(tmp_path / "no-vault"), "--actor", "amal", str(sheet))
    assert done.returncode == 64
    assert done.stderr.strip() == ("dhakira: victims.csv: give --mapping MAP.yaml (which column "
                                   "holds what)")


def test_the_event_of_a_blocked_act_is_not_exported(export, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A shipped report naming the event of an act the gate blocked does not carry that
    event (its title, place and date) out: events come from the acts that pass, as in a
    package."""
    base = world.base
    hidden = Event.objects.create(title="Raid on the refuser's street", place=base.place)
    act = Act.objects.create(event=hidden, victim=world.refuser, act_type="killing")
    base.information.events.add(hidden)
    base.information.acts.add(act)
    result = export(f"item:{base.information.uid} item:{act.uid} item:{base.act.uid}")
    assert result.exit_code == 0, result.output
    assert f"blocked: {act.uid}" in result.output
    doc = json.loads((tmp_path / "out" / "esf.json").read_text(encoding="utf-8"))
    assert [e["0101 record number"] for e in doc["events"]] == [base.event.uid]
    assert "Raid on the refuser" not in json.dumps(doc, ensure_ascii=False)
    assert all(hidden.uid not in n["2503 event"] for n in doc["information"])


@pytest.mark.parametrize(("policy", "shown"), [("full", True), ("pseudonymised", False),
                                               ("anonymised", False)])
def test_sex_and_age_go_only_with_names(export, world, tmp_path, policy, shown) -> None:  # type: ignore[no-untyped-def]
    result = export(f"act:{world.base.act.uid}", policy=policy)
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "out" / "esf.json").read_text(encoding="utf-8"))
    victim = next(p for p in doc["persons"] if p["x-dhakira"]["role"] == "victim")
    act = doc["acts"][0]
    assert ("0915 sex" in victim and victim["0915 sex"] is not None) is shown, victim
    assert (act.get("2118 age at time of victimisation") is not None) is shown, act
    assert (victim["x-dhakira"].get("age") is not None) is shown, victim


def test_a_compartmented_report_carries_its_compartment(export, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Exported by a user cleared for it (rana: sources), a report of the `sources`
    compartment says so in its x-dhakira extension (and its Uwazi row), so an import puts it
    back in that compartment."""
    info = world.base.information
    info.compartment = "sources"
    info.save()
    result = export(f"item:{info.uid} item:{world.base.act.uid}")
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "out" / "esf.json").read_text(encoding="utf-8"))
    [record] = [n for n in doc["information"] if n["2501 record number"] == info.uid]
    assert record["x-dhakira"]["compartment"] == "sources"
    result = export(f"item:{info.uid} item:{world.base.act.uid}", fmt="uwazi",
                    to=tmp_path / "uwazi")
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "uwazi" / "reports.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].endswith(",compartment") and rows[1].endswith(",sources")


def test_import_command_keeps_the_document_in_the_compartment_asked(export, world, cast,  # type: ignore[no-untyped-def]
                                                                   tmp_path) -> None:
    from dhakira.apps.evidence.models import EvidenceItem

    assert export(f"item:{world.base.act.uid}").exit_code == 0
    done = CliRunner().invoke(cli.main, [
        "import", "--vault", str(tmp_path / "vault"), "--actor", "amal", "--password-file",
        str(tmp_path / "pw"), "--sheet-compartment", "protection",
        str(tmp_path / "out" / "esf.json")])
    assert done.exit_code == 0, done.output
    uid = done.output.strip().rsplit(" ", 1)[-1]
    assert EvidenceItem.objects.get(pk=int(uid.split("-")[1])).compartment == "protection"


@pytest.mark.parametrize("fmt", ["esf", "uwazi"])
def test_a_name_from_a_report_the_exporter_may_not_read_is_not_exported(  # type: ignore[no-untyped-def]
        export, world, tmp_path, fmt) -> None:
    """A name is as restricted as the report that gave it: rana (not cleared for
    `protection`) exports an act whose victim has a second name given by a `protection`
    report. The export goes, with the names she may read, and without that one (it was
    written out whole, past the leak check, before)."""
    from datetime import UTC, datetime

    from dhakira.apps.dossier.models import Information

    base = world.base
    secret = Information.objects.create(source=base.source, channel="phone_call",
                                        received_at=datetime(2015, 1, 1, tzinfo=UTC),
                                        compartment="protection")
    base.victim.names.create(text="Qzxhidden Zainab", script="latn", information=secret)
    result = export(f"act:{base.act.uid}", fmt=fmt)
    assert result.exit_code == 0, result.output
    text = _all_bytes(tmp_path / "out")
    assert "Qzxhidden" not in text
    assert "محمد علي حسين" in text  # the names she may read still go


def test_a_name_two_people_bear_goes_with_the_one_who_may_go(export, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The refuser is blocked; the victim, who goes, bears one of her names too (two people,
    one name). The export went nowhere ("1 leak found ... fix the record") where a package
    writes a token; now it goes, with the victim's names and nothing else of the refuser's."""
    from dhakira.apps.dossier.models import NameVariant

    NameVariant.objects.create(person=world.base.victim, text=dossier.REFUSER[0], script="arab")
    result = export("place:Mosul")
    assert result.exit_code == 0, result.output
    assert f"blocked: {world.refuser_act.uid}" in result.output
    doc = json.loads((tmp_path / "out" / "esf.json").read_text(encoding="utf-8"))
    victim = next(p for p in doc["persons"] if p["0901 record number"] == world.base.victim.uid)
    assert dossier.REFUSER[0] in [victim["0903 name"], *victim["0904 other names"]]
    text = _all_bytes(tmp_path / "out")
    assert dossier.REFUSER[1] not in text and dossier.REFUSER_ADDRESS not in text
    assert world.refuser.uid not in text


def test_only_the_exact_names_that_go_are_let_through_not_names_sharing_their_key(
        export, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The refuser's other name, written in the other script and sharing its consonant key
    with the going victim's name (محمود / محمد), in an event's description: still a leak
    (letting through every name keyed as a going one let it out)."""
    from dhakira.apps.dossier.models import NameVariant

    NameVariant.objects.create(person=world.refuser, text="Mahmoud Ali Hussein", script="latn")
    event = world.base.event
    event.description = "شهد محمود علي حسين ما جرى."
    event.save()
    result = export("place:Mosul")
    assert result.exit_code == 5 and "leak found" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "dhakira: esf.json: person P1: age: Ensure this value is greater than or equal to 0."),
    ("ar", "dhakira: esf.json: الشخص P1: العمر: تحقق من أن تكون هذه القيمة أكثر من 0 أو "
           "مساوية لها."),
])
def test_what_an_import_refuses_a_record_for_is_said_in_the_readers_language(  # type: ignore[no-untyped-def]
        export, cast, tmp_path, monkeypatch, lang, said) -> None:
    """Django's validation of an imported record came out in Arabic whatever the reader's
    language, after English words of the importer's own ("person P1")."""
    doc = tmp_path / "esf.json"
    doc.write_text(json.dumps({"standard": "HURIDOCS Events Standard Formats",
                               "x-dhakira": {"version": 1},
                               "persons": [{"0901 record number": "P1",
                                            "x-dhakira": {"age": -5}}]}))
    monkeypatch.setenv("DHAKIRA_LANG", lang)
    result = CliRunner().invoke(cli.main, [
        "import", "--vault", str(tmp_path), "--actor", "rana", "--password-file",
        str(tmp_path / "pw"), str(doc)])
    assert (result.exit_code, result.output.strip()) == (65, said)
