"""Issue 20, item 6 from the web: the export page checks a selection, then exports it through
the same function as `dhakira export` (gate, redaction, leak check, custody and disclosure
log) and sends the file; who may, and the gate's refusal in the reader's language."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from tests.cast import PASSWORD, client_for
from tests.exporting.test_export import ICC, PROTECTED, UWAZI_FILES
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira import cli
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.handover.models import Disclosure

pytestmark = pytest.mark.django_db
URL = "/exports/new/"


@pytest.fixture
def world(vault, cast):  # type: ignore[no-untyped-def]
    d = dossier.build(with_evidence=False)
    listed(ICC)
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


def _form(query: str = "place:Mosul", fmt: str = "esf", policy: str = "full",
          **extra: str) -> dict[str, str]:
    return {"select": query, "charge": "", "recipient": str(listed(ICC).pk),
            "purpose": "share_icc", "policy": policy, "fmt": fmt, **extra}


def test_the_check_shows_what_goes_and_what_is_blocked_and_logs_nothing(world) -> None:  # type: ignore[no-untyped-def]
    page = client_for("rana").get(URL, _form())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="may-go"' in html and world.base.act.uid in html
    assert (f'<span class="uid">{world.refuser_act.uid}</span>: <span class="uid">'
            f'{world.refuser.uid}</span>: <bdi>consent refused</bdi>') in html
    arabic = client_for("rana", "ar").get(URL, _form()).content.decode()
    assert "<bdi>الموافقة مرفوضة</bdi>" in arabic
    assert not LedgerEntry.objects.filter(action="export").exists()
    assert not Disclosure.objects.exists()


def test_an_esf_export_downloads_the_logged_file_without_protected_fields(world) -> None:  # type: ignore[no-untyped-def]
    response = client_for("rana").post(URL, _form())
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"] == "application/json"
    export_id = response["X-Export-Id"]
    assert response["Content-Disposition"] == f'attachment; filename="{export_id}-esf.json"'
    data = response.content
    doc = json.loads(data)
    assert [a["2101 record number"] for a in doc["acts"]] == [world.base.act.uid]
    text = data.decode("utf-8")
    for value in PROTECTED:
        assert value not in text, value
    entry = LedgerEntry.objects.get(action="export")
    assert entry.subject == export_id and entry.actor == "rana"
    assert entry.detail["files"] == f"esf.json:{hashlib.sha256(data).hexdigest()}"
    assert world.refuser_act.uid in entry.detail["blocked"]
    d = Disclosure.objects.get()
    assert d.package_id == export_id and d.created_by.username == "rana"
    assert d.persons.filter(person=world.base.victim).exists()


def test_the_web_logs_the_export_as_the_command_does(world, vault, monkeypatch,  # type: ignore[no-untyped-def]
                                                     tmp_path) -> None:
    monkeypatch.setattr(cli.importing, "unlock", lambda *a: b"")  # the test database is open
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    result = CliRunner().invoke(cli.main, [
        "export", "--vault", str(vault), "--format", "uwazi", "place:Mosul", "--recipient", ICC,
        "--purpose", "share_icc", "--policy", "pseudonymised", "--to", str(tmp_path / "out"),
        "--as", "rana", "--password-file", str(tmp_path / "pw")])
    assert result.exit_code == 0, result.output
    response = client_for("rana").post(URL, _form(fmt="uwazi", policy="pseudonymised"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    by_cli, by_web = LedgerEntry.objects.filter(action="export").order_by("pk")
    assert by_web.subject == response["X-Export-Id"] != by_cli.subject
    keep = {k: v for k, v in by_cli.detail.items() if k != "files"}
    assert {k: v for k, v in by_web.detail.items() if k != "files"} == keep
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        assert names == [f"{by_web.subject}/{name}" for name in UWAZI_FILES]
        sums = {n.split("/", 1)[1]: hashlib.sha256(archive.read(n)).hexdigest() for n in names}
        text = "".join(archive.read(n).decode("utf-8") for n in names)
    assert by_web.detail["files"] == " ".join(f"{n}:{s}" for n, s in sorted(sums.items()))
    for value in [*PROTECTED, "محمد علي حسين", world.base.victim.uid]:
        assert value not in text, value
    # The same file names and columns as the command wrote.
    for name in UWAZI_FILES:
        header = (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()[0]
        assert text.count(header) >= 1, name
    assert Disclosure.objects.count() == 2


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "every one of the 4 selected items is blocked, so nothing may go"),
    ("ar", "العناصر المختارة الـ4 كلها محجوبة، فلا يمكن إرسال شيء؛"),
])
def test_the_gates_refusal_is_said_in_the_readers_language_and_nothing_is_logged(  # type: ignore[no-untyped-def]
        world, cast, lang, words) -> None:
    consent(world.base.victim, "withdrawn", by=cast["amal"])
    client = client_for("layla", lang)
    check = client.get(URL, _form()).content.decode()
    assert 'id="all-blocked"' in check and 'id="export-download"' not in check
    response = client.post(URL, _form())
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not LedgerEntry.objects.filter(action="export").exists()
    assert not Disclosure.objects.exists()


def test_who_may_export(world) -> None:  # type: ignore[no-untyped-def]
    for name in ("amal", "layla", "rana", "samir"):  # every role that may build packages
        assert client_for(name).get(URL).status_code == 200, name
    assert client_for("victor").get(URL).status_code == 403  # a viewer
    assert client_for("victor").post(URL, _form()).status_code == 403
    assert client_for("oscar").post(URL, _form()).status_code == 404  # no role
    anonymous = client_for(None).post(URL, _form())
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not LedgerEntry.objects.filter(action="export").exists()


def test_a_selection_or_a_charge_and_a_bad_query_is_named(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for("rana")
    neither = client.get(URL, _form(query=""))
    assert neither.status_code == 400
    assert "Give a selection or a charge (one of the two)." in neither.content.decode()
    both = client.post(URL, _form(charge="CH-0001"))
    assert both.status_code == 400
    bad = client.post(URL, _form(query="", charge="CH-9999"))
    assert bad.status_code == 400 and "no charge “CH-9999”" in bad.content.decode()
    assert not Disclosure.objects.exists()


def test_the_page_is_linked_where_packages_are_checked(world) -> None:  # type: ignore[no-untyped-def]
    page = client_for("rana").get("/packages/check/").content.decode()
    assert f'href="{URL}"' in page


def test_a_leak_stops_the_export_and_says_so_in_the_readers_language(world) -> None:  # type: ignore[no-untyped-def]
    from tests.dossier import scenario

    # A place named with a protected address: the place's name is not redacted text, so only
    # the leak check (the package's) stands between it and the file.
    place = world.base.place
    place.name_ar = scenario.VICTIM_ADDRESS
    place.save()
    response = client_for("rana", "ar").post(URL, _form())
    assert response.status_code == 400
    assert "لم يُصدَّر شيء: كان ملف سيحمل اسمًا أو قيمة محمية" in response.content.decode()
    assert scenario.VICTIM_ADDRESS not in response.content.decode()
    assert not LedgerEntry.objects.filter(action="export").exists()
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "a name of P-"), ("ar", "لم يُصدَّر شيء: أحد أسماء P-")])
def test_a_name_holding_uwazis_separator_is_refused_in_the_readers_language(  # type: ignore[no-untyped-def]
        world, lang, words) -> None:
    from dhakira.apps.dossier.models import NameVariant

    NameVariant.objects.create(person=world.base.victim, text="Qzx | Hussein", script="latn")
    response = client_for("rana", lang).post(URL, _form(fmt="uwazi"))
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and "Qzx" not in html
    assert ("separator of values" in html) is False  # the command's English, not the page's
    assert not LedgerEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "holds “qzx_unknown”, which is not a term of the list “Types of acts”"),
    ("ar", "يحمل سجلٌّ “qzx_unknown”، وهو ليس من مصطلحات القائمة “أنواع الأفعال”")])
def test_an_unknown_term_is_refused_in_the_readers_language(world, lang, words) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Act

    Act.objects.filter(pk=world.base.act.pk).update(act_type="qzx_unknown")
    response = client_for("rana", lang).post(URL, _form())
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and "is not a term of vocabulary" not in html
    assert not LedgerEntry.objects.filter(action="export").exists()


def test_a_wide_check_counts_what_is_left_out_by_reason_and_names_only_the_first(  # type: ignore[no-untyped-def]
        world) -> None:
    """The demo's wide check named about 6,100 left-out items on one page: now each reason
    is counted, and names its first FIRST items and the number of the rest."""
    from dhakira.apps.dossier.models import Act, Person
    from dhakira.apps.handover.reasons import FIRST

    refused = [Act.objects.create(event=world.base.event, victim=world.refuser,
                                  act_type="killing", place=world.base.place)
               for _ in range(FIRST + 7)]
    unasked = [Act.objects.create(event=world.base.event, victim=Person.objects.create(),
                                  act_type="killing", place=world.base.place)
               for _ in range(3)]
    refused_uids = sorted([world.refuser_act.uid, *(a.uid for a in refused)])
    n_refused = len(refused_uids) + 1  # and the refuser's report
    page = client_for("layla").get(URL, _form()).content.decode()
    table = page.split('id="blocked-reasons"')[1].split("</table>")[0]
    assert f"<bdi>consent refused</bdi></td><td class=\"num\">{n_refused}</td>" in table
    assert "<bdi>no consent for this use</bdi></td><td class=\"num\">3</td>" in table
    named = page.split('id="blocked"')[1]
    assert all(uid in named for uid in refused_uids[:FIRST - 1])  # uid order; the report is last
    assert refused_uids[-1] not in named
    assert f"and {n_refused - FIRST} more" in named
    assert all(a.uid in named for a in unasked)  # a reason with fewer than FIRST names them all
    assert page.count('<span class="uid">A-') <= 2 * FIRST + 2
    arabic = client_for("layla", "ar").get(URL, _form()).content.decode()
    table = arabic.split('id="blocked-reasons"')[1].split("</table>")[0]
    assert f"<bdi>الموافقة مرفوضة</bdi></td><td class=\"num\">{n_refused}</td>" in table
    assert f"و{n_refused - FIRST} غيرها" in arabic
