"""Building a package: the leak test, verification, blocked items and the disclosure log."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.dossier import scenario
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.handover import build as hb
from dhakira.apps.handover import log, select
from dhakira.apps.handover.models import Disclosure

pytestmark = pytest.mark.django_db

RECIPIENT = "International Criminal Court"


def _request(out: Path, *, policy: str = "anonymised", query: str = "event:E-000001",
             make_zip: bool = True) -> hb.Request:
    return hb.Request(selection=select.select(query), recipient=listed(RECIPIENT), purpose="share_icc",
                      policy=policy, out_dir=out, make_zip=make_zip)


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() + str(p).encode() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.fixture
def world(vault, cast):  # type: ignore[no-untyped-def]
    d = dossier.build()
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


def _query(d: dossier.Dossier) -> str:
    return f"event:{d.base.event.uid}"


def test_an_anonymised_package_leaks_nothing_in_any_byte(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dhakira.core.handover import find_fine_coordinates, find_image_metadata, find_leaks

    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    forbidden = [*dossier.BYSTANDER, *dossier.REFUSER, dossier.REFUSER_ADDRESS,
                 "محمد علي حسين", "Mohammed Ali Hussein", "أبو حمزة الموصلي",
                 scenario.SOURCE_IDENTITY, scenario.SOURCE_PHONE, scenario.VICTIM_ADDRESS,
                 world.base.source.code_name, "36.34", "43.13", "36.3412", "photo"]
    for target in (res.package.directory, res.zip_path):
        assert find_leaks(target, forbidden) == []
        assert find_image_metadata(target) == []
        assert find_fine_coordinates(target, precision=0.1) == []
    # The test's own independent look: plain bytes, both scripts, case-folded.
    raw = _all_bytes(res.package.directory).lower() + res.zip_path.read_bytes().lower()
    for term in forbidden:
        assert term.lower().encode() not in raw, term
    with zipfile.ZipFile(res.zip_path) as zf:
        names = zf.namelist()
        jpeg = next(n for n in names if n.endswith(".jpg"))
        assert b"Exif" not in zf.read(jpeg) and b"GPS" not in zf.read(jpeg)
    assert any(n.startswith("files/I-") for n in names)
    assert "[victim]" in (res.package.directory / "files" / f"{world.base.information.uid}.txt"
                          ).read_text() or "[ضحية]" in (
        res.package.directory / "files" / f"{world.base.information.uid}.txt").read_text()


def test_the_package_verifies_and_a_tampered_one_is_named(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    for target in (res.package.directory, res.zip_path):
        ok = subprocess.run([sys.executable, "-m", "dhakira.core.handover.verify", str(target),
                             "--fingerprint", res.package.key_fingerprint],
                            capture_output=True, text=True, timeout=60)
        assert ok.returncode == 0, ok.stdout + ok.stderr
    victim_file = res.package.directory / "files" / f"{world.base.information.uid}.txt"
    victim_file.write_text(victim_file.read_text() + " altered")
    bad = subprocess.run([sys.executable, "-m", "dhakira.core.handover.verify", str(res.package.directory)],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "ALTERED" in bad.stdout and f"files/{world.base.information.uid}.txt" in bad.stdout


def test_blocked_items_are_listed_with_the_reason_and_left_out(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    blocked = res.plan.blocked
    refuser = world.refuser.uid
    assert blocked[world.refuser_act.uid] == [f"{refuser}: consent refused (version 1, generic)"]
    assert blocked[world.refuser_report.uid] == [f"{refuser}: consent refused (version 1, generic)"]
    assert "its report" in blocked[world.evidence[2].uid][0]
    shipped = set(res.disclosure.items)
    assert world.refuser_act.uid not in shipped and world.base.act.uid in shipped
    assert not (res.package.directory / "files" / f"{world.refuser_report.uid}.txt").exists()


def test_the_disclosure_is_logged_with_an_export_entry_listing_the_items(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    d = Disclosure.objects.get()
    assert (d.recipient, d.purpose, d.policy, d.created_by) == (RECIPIENT, "share_icc",
                                                                "anonymised", cast["rana"])
    assert d.manifest_sha256 == res.package.manifest_sha256
    entry = LedgerEntry.objects.get(action="export")
    assert entry.subject == d.package_id and entry.detail["items"].split() == d.items
    assert set(d.persons.values_list("person_id", flat=True)) >= {world.base.victim.pk}
    assert world.refuser.pk not in set(d.persons.values_list("person_id", flat=True))


def test_a_withdrawal_after_disclosure_lists_the_recipient(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    assert log.to_notify(world.base.victim.pk) == []
    consent(world.base.victim, "withdrawn", by=cast["amal"])
    notices = log.to_notify(world.base.victim.pk)
    assert [(n.recipient, n.package_id) for n in notices] == [(RECIPIENT, res.disclosure.package_id)]
    assert [d.recipient for d in log.holders(world.base.victim.pk)] == [RECIPIENT]


def test_a_leak_deletes_the_package_and_logs_nothing(world, cast, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.handover import _terms

    real = _terms.Terms.redact
    monkeypatch.setattr(_terms.Terms, "redact", lambda self, text, policy: text)  # a broken redactor
    with pytest.raises(hb.HandoverError, match="nothing was written") as refused:
        hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    monkeypatch.setattr(_terms.Terms, "redact", real)
    # "N leaks found" in the form the number takes (it said "leak(s)"), with a code and the
    # count for the command line to say it in the reader's language
    n = refused.value.params["n"]
    assert refused.value.code == "leaks_found" and n >= 2
    assert f": {n:,} leaks found, first " in str(refused.value) and "(s)" not in str(refused.value)
    assert not (tmp_path / "pkg").exists() and not (tmp_path / "pkg.zip").exists()
    assert not Disclosure.objects.exists() and not LedgerEntry.objects.filter(action="export").exists()



def _pdf_text(path: Path) -> str:
    import unicodedata

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text)


def test_the_package_carries_a_bilingual_summary_of_ids_and_hashes(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    manifest = json.loads(res.package.manifest_path.read_text())
    entry = next(f for f in manifest["files"] if f["path"] == "summary.pdf")
    assert entry["role"] == "summary" and entry["item_id"] == manifest["package_id"]
    text = _pdf_text(res.package.directory / "summary.pdf")
    compact = "".join(text.split())
    assert manifest["package_id"] in compact
    for uid in res.disclosure.items:
        assert uid in compact, uid
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)  # the Arabic half is there
    assert "verify.py" in compact and res.package.key_fingerprint.replace(" ", "") in compact
    assert world.refuser.uid not in compact  # blocked persons are counted, never named


def test_the_summary_names_purpose_and_policy_in_words_in_both_languages(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The summary showed the codes (share_icc, anonymised): a recipient reads the words."""
    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    text = " ".join(_pdf_text(res.package.directory / "summary.pdf").split())
    assert "Share with the International Criminal Court" in text
    assert "anonymised (advocacy)" in text
    for arabic in ("المحكمة الجنائية الدولية", "للمناصرة"):
        assert arabic in text or arabic[::-1] in text, arabic


def test_a_name_planted_in_the_summary_is_caught_by_the_leak_check(world, cast, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.handover import summary

    real = summary.summary_context

    def planted(*args, **kwargs):  # type: ignore[no-untyped-def]
        return real(*args, **kwargs) | {"recipient": dossier.REFUSER[0]}

    monkeypatch.setattr(summary, "summary_context", planted)
    with pytest.raises(hb.HandoverError, match="nothing was written"):
        hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    assert not (tmp_path / "pkg").exists() and not Disclosure.objects.exists()


def test_finding_09_the_signed_manifest_carries_the_custody_head(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    before = LedgerEntry.objects.order_by("-seq").first()
    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    manifest = json.loads(res.package.manifest_path.read_text())
    export = LedgerEntry.objects.get(action="export", subject=res.disclosure.package_id)
    head = LedgerEntry.objects.filter(seq__lt=export.seq).order_by("-seq").first()
    assert head is not None and before is not None and head.seq >= before.seq
    from dhakira.apps.custody import store

    tag = store.tag(head.entry_hash)
    assert manifest["custody_head"] == {"seq": head.seq, "entry_tag": tag}
    shown = subprocess.run([sys.executable, "-m", "dhakira.core.handover.verify", str(res.zip_path),
                            "--fingerprint", res.package.key_fingerprint],
                           capture_output=True, text=True, timeout=60)
    assert f"entry {head.seq}, tag {tag}" in shown.stdout


def test_finding_low_csv_a_formula_in_a_place_name_goes_out_quoted(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    attack = '=HYPERLINK("http://attacker.example/","Mosul")'
    world.base.place.name_en = attack
    world.base.place.save()
    res = hb.build(_request(tmp_path / "pkg", query=_query(world), policy="full"),
                   user=cast["rana"])
    table = (res.package.directory / "files" / "RECORDS-CSV.csv").read_text(encoding="utf-8-sig")
    places = {row["place_en"] for row in csv.DictReader(table.splitlines())}
    assert places == {"'" + attack}
    cells = [cell for row in csv.reader(table.splitlines()) for cell in row]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)


def test_finding_low_translit_an_arabic_identity_written_in_latin_blocks_the_package(
        world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier import protected

    protected.write_system(world.base.source, "identity", "زهراء حسن القاسمي")  # synthetic
    world.base.information.text += " The caller was Zahraa Hassan al-Qasimi herself."
    world.base.information.save()
    with pytest.raises(hb.HandoverError, match="leak"):
        hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    assert not (tmp_path / "pkg").exists() and not Disclosure.objects.exists()


def test_finding_low_staff_custody_extracts_name_staff_by_id_not_user_name(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from dhakira.apps.custody import store

    item = world.base.information.uid
    store.record(actor="amal", action="new_version", subject=item,
                 detail={"reviewed_with": "rana", "count": 2})
    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    lines = (res.package.directory / "custody.jsonl").read_text().splitlines()
    entries = [json.loads(line)["entry"] for line in lines]
    assert entries and {e["actor"] for e in entries} <= {f"U-{u.pk:06d}" for u in cast.values()} \
        | {"U-unknown"}
    mine = next(e for e in entries if e["subject"] == item and e["action"] == "new_version")
    assert mine["actor"] == f"U-{cast['amal'].pk:06d}"
    assert mine["detail"] == {"reviewed_with": f"U-{cast['rana'].pk:06d}", "count": 2}
    text = "\n".join(lines)
    for user in cast.values():
        assert f'"{user.get_username()}"' not in text, user.get_username()


def test_a_custody_extract_gives_no_way_to_check_a_guessed_user_name(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The extract kept each entry's hash and signature, made over the entry with the real
    user name: hashing the shipped entry with a guessed name ("amal") confirmed who did what
    (found by a red-team pass). The hashes are keyed tags now, which the vault recomputes."""
    import json

    from dhakira.apps.custody import store
    from dhakira.core import custody

    res = hb.build(_request(tmp_path / "pkg", query=_query(world)), user=cast["rana"])
    entries = [json.loads(line)["entry"]
               for line in (res.package.directory / "custody.jsonl").read_text().splitlines()]
    assert entries
    for shipped in entries:
        assert not {"entry_hash", "prev_hash", "signature"} & set(shipped)
        stored = LedgerEntry.objects.get(seq=shipped["seq"])
        assert shipped["entry_tag"] == store.tag(stored.entry_hash)  # the vault ties them
        assert shipped["prev_tag"] == (store.tag(stored.prev_hash) if stored.prev_hash else "")
        guessed = custody.to_dict(store.as_entry(stored))
        assert shipped["entry_tag"] != guessed["entry_hash"]
        assert "compartment" not in shipped["detail"]  # an intake signs it: "sogi" tells much


class _Killed(BaseException):
    """Stands for kill -9: nothing after it runs (clean-up handlers are disabled too)."""


def _verifies(path: Path, fingerprint: str) -> bool:
    from dhakira.core.handover import verify

    try:
        return verify.verify_package(str(path), fingerprint=fingerprint).ok
    except verify.UsageError:
        return False


@pytest.mark.parametrize("stage", ["leak check", "log"])
def test_issue16_07_a_build_killed_before_logging_leaves_nothing_that_verifies(
        world, cast, tmp_path, monkeypatch, stage) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.handover import build as build_module

    def killed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise _Killed

    if stage == "log":
        monkeypatch.setattr(log, "record", killed)
    else:
        monkeypatch.setattr(build_module, "_checks", killed)
    monkeypatch.setattr(build_module, "remove_partials", lambda *a: [])  # no clean-up on kill
    out = tmp_path / "out" / "pkg"
    with pytest.raises(_Killed):
        hb.build(_request(out, query=_query(world)), user=cast["rana"])
    left = list(out.parent.iterdir()) if out.parent.exists() else []
    assert not out.exists() and not Disclosure.objects.exists()
    assert not LedgerEntry.objects.filter(action="export").exists()
    assert bool(left) == (stage == "log")  # killed at logging: the staged copy is left
    for path in left:  # a staged package has no signature: it does not verify
        assert path.name.startswith(".pkg.partial-") and not (path / "manifest.sig").exists()
    monkeypatch.undo()
    res = hb.build(_request(out, query=_query(world)), user=cast["rana"])  # the same --out
    assert sorted(p.name for p in out.parent.iterdir()) == ["pkg", "pkg.zip"]
    assert _verifies(out, res.package.key_fingerprint)
    for path in left:
        assert not _verifies(path, res.package.key_fingerprint)


def test_issue16_07_a_build_killed_after_logging_keeps_its_id_and_the_same_out_works(
        world, cast, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.handover import build as build_module
    from dhakira.core.handover.package import PackageResult

    def killed(self, staged):  # type: ignore[no-untyped-def]
        raise _Killed

    monkeypatch.setattr(PackageResult, "release", killed)
    monkeypatch.setattr(build_module, "remove_partials", lambda *a: [])
    out = tmp_path / "out" / "pkg"
    with pytest.raises(_Killed):
        hb.build(_request(out, query=_query(world)), user=cast["rana"])
    first = Disclosure.objects.get()  # logged before anything was released
    assert LedgerEntry.objects.filter(action="export", subject=first.package_id).exists()
    assert not out.exists() and not (tmp_path / "out" / "pkg.zip").exists()
    monkeypatch.undo()
    res = hb.build(_request(out, query=_query(world)), user=cast["rana"])
    assert res.disclosure.package_id != first.package_id  # ids are never given twice
    assert res.disclosure.package_id > first.package_id
    assert sorted(p.name for p in out.parent.iterdir()) == ["pkg", "pkg.zip"]
    assert _verifies(tmp_path / "out" / "pkg.zip", res.package.key_fingerprint)


def test_finding_17_4_an_empty_selection_and_an_all_blocked_one_are_told_apart(world, cast,  # type: ignore[no-untyped-def]
                                                                             tmp_path) -> None:
    from dhakira.apps.handover.errors import NothingToSend

    with pytest.raises(NothingToSend, match="the selection is empty"):
        hb.build(_request(tmp_path / "a", query="event:E-999999"), user=cast["rana"])
    with pytest.raises(NothingToSend, match=r"every one of the \d+ selected items is blocked.*"
                                            r"consent refused"):
        hb.build(_request(tmp_path / "b", query=f"act:{world.refuser_act.uid}"),
                 user=cast["rana"])


@pytest.mark.parametrize("policy", ["pseudonymised", "anonymised"])
def test_a_victim_named_in_a_shorter_form_is_redacted_too(world, cast, tmp_path, policy) -> None:  # type: ignore[no-untyped-def]
    """A testimony names «محمد علي حسين» as «محمد حسين» and "Mohammed Ali" (given name and
    family name, given name and father): those went out as written before."""
    info = world.base.information
    info.text += " قالت جارته إن محمد حسين ضُرب. Neighbours saw Mohammed Ali taken."
    info.save()
    res = hb.build(_request(tmp_path / "pkg", policy=policy, query=f"item:{info.uid}"),
                   user=cast["rana"])
    text = (res.package.directory / "files" / f"{info.uid}.txt").read_text()
    assert "محمد حسين" not in text and "Mohammed Ali" not in text, text
    assert "ضُرب" in text and "taken" in text  # only the names go


def test_under_full_a_text_never_names_someone_who_said_no_though_nothing_of_theirs_goes(  # type: ignore[no-untyped-def]
        world, cast, tmp_path) -> None:
    """A report about a consenting victim also names the refuser, who is linked to nothing the
    selection holds: under `full` the refuser's name went out as written (found by a red-team
    pass); only the persons the gate checked were redacted."""
    info = world.base.information
    info.text += f" وكان {dossier.REFUSER[0]} هناك. {dossier.REFUSER[1]} saw it too."
    info.save()
    res = hb.build(_request(tmp_path / "pkg", policy="full", query=f"item:{info.uid}"),
                   user=cast["rana"])
    text = (res.package.directory / "files" / f"{info.uid}.txt").read_text()
    assert dossier.REFUSER[0] not in text and dossier.REFUSER[1] not in text, text
    assert "هناك" in text and "saw it too" in text  # only the name goes
    assert world.refuser.uid not in {p for p in res.plan.roles}  # nothing of theirs selected


@pytest.mark.parametrize("policy", ["full", "anonymised"])
def test_an_informants_phone_however_written_and_short_name_never_go(world, cast, tmp_path,  # type: ignore[no-untyped-def]
                                                                     policy) -> None:
    """Only the contact as stored ("+964 770 000 1234") and the identity in full were
    removed: the same number written 07700001234, with dashes or in Arabic-Indic digits, and
    the informant's given name and family name, went out under every policy and passed the
    leak check (found by a red-team pass)."""
    info = world.base.information
    said = ("Call her on 07700001234 or +964-770-000-1234; اتصل على ٠٧٧٠٠٠٠١٢٣٤. "
            "Zahra Qasimiyya knows. Report number 2014-11-02 and 36 people.")
    info.text += " " + said
    info.save()
    res = hb.build(_request(tmp_path / "pkg", policy=policy, query=f"item:{info.uid}"),
                   user=cast["rana"])
    text = (res.package.directory / "files" / f"{info.uid}.txt").read_text()
    for leaked in ("07700001234", "+964-770-000-1234", "٠٧٧٠٠٠٠١٢٣٤", "Zahra Qasimiyya",
                   scenario.SOURCE_PHONE):
        assert leaked not in text, text
    assert "[phone]" in text and "2014-11-02" in text and "36 people" in text


def test_verify_names_a_logged_package_whose_export_entry_was_cut_from_the_ledger(  # type: ignore[no-untyped-def]
        world, cast, tmp_path) -> None:
    """Deleting the ledger's last entries leaves a chain that verifies on its own: the export
    entries of packages the disclosure log still lists went, and `verify` said ok (found by a
    red-team pass). An edited manifest hash in the log is named too."""
    from django.db import connection

    from dhakira.apps.evidence.integrity import verify_vault

    first = hb.build(_request(tmp_path / "a", query=_query(world)), user=cast["rana"])
    second = hb.build(_request(tmp_path / "b", query=_query(world)), user=cast["rana"])
    assert verify_vault().ok
    cut = LedgerEntry.objects.get(action="export", subject=second.disclosure.package_id).seq
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_ledgerentry WHERE seq >= %s", [cut])
        cursor.execute("UPDATE handover_disclosure SET manifest_sha256 = %s WHERE package_id = %s",
                       ["0" * 64, first.disclosure.package_id])
    found = {(p.code, p.item) for p in verify_vault().problems}
    assert found == {("missing_export_entry", second.disclosure.package_id),
                     ("export_entry_mismatch", first.disclosure.package_id)}


def test_a_shorter_form_of_an_informants_name_that_is_a_victims_name_is_left_to_the_victim(  # type: ignore[no-untyped-def]
        world, cast, tmp_path) -> None:
    """The informant is «زهراء حسن القاسمي»; a consenting victim recorded as «زهراء القاسمي»
    was replaced in texts under `full` by the informant's code (the shorter form was taken
    for the informant's; found by the review of this change)."""
    from dhakira.apps.dossier import protected
    from dhakira.apps.dossier.models import NameVariant
    from dhakira.core.names import name_key

    protected.write_system(world.base.source, "identity", "زهراء حسن القاسمي")  # synthetic
    victim = world.base.victim
    NameVariant.objects.create(person=victim, text="زهراء القاسمي", script="arab",
                               key=name_key("زهراء القاسمي"))
    info = world.base.information
    info.text += " وقالت زهراء القاسمي إنها رأت ذلك."
    info.save()
    res = hb.build(_request(tmp_path / "pkg", policy="full", query=f"item:{info.uid}"),
                   user=cast["rana"])
    text = (res.package.directory / "files" / f"{info.uid}.txt").read_text()
    assert "زهراء القاسمي" in text and "S-" not in text.split("وقالت")[-1], text
