"""The commands in a row, as a user runs them, on a tiny dossier (issue 14, the guide).

Each part passing its own tests is not enough: these run ``import`` → ``link`` → ``estimate`` →
a charge → ``brief`` → ``package`` through the real command on one vault of two reports that
name the same person (Arabic names only, Hijri dates), and check that the numbers agree from
one command to the next and that what cannot be estimated is said, never printed as a number.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests import clivault, warm

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]

SHEET = """\
الاسم,العمر,التاريخ,المكان,نوع الانتهاك,المصدر,ملاحظات
نور الجبوري,٣٤,5/9/1436 هـ,الموصل,killing,S-ALPHA,شهادة أولى
نور الجبوري,٣٤,5/9/1436 هـ,الموصل,killing,S-BETA,الشخص نفسه من مصدر آخر
"""
MAPPING = """\
columns:
  الاسم: victim_name
  العمر: victim_age
  التاريخ: date
  المكان: place
  نوع الانتهاك: act_type
  المصدر: source
  ملاحظات: text
defaults: {channel: document, received_at: "2016-05-01"}
calendar: hijri
"""
# No command defines a charge (the web's charge form does): this does what the form does.
CHARGE = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from dhakira.apps.vault import runtime
    runtime.open_vault(Path(sys.argv[1]), Path(sys.argv[2]).read_text().strip())
    from django.contrib.auth import get_user_model
    from dhakira.apps.dossier.models import Act
    from dhakira.apps.law import services
    layla = get_user_model().objects.get(username="layla")
    charge = services.create_charge(layla, crime_id="CAH-MURDER", title="Killings in Mosul",
                                    title_ar="القتل في الموصل")
    for act in Act.objects.all():
        services.record_assessment(layla, charge, item_uid=act.uid, element_id="CAH-MUR-1",
                                   stance="supports", standard="credible_allegation")
    print(charge.uid)
""")


def _ok(*args: str) -> subprocess.CompletedProcess[str]:
    done = clivault.run(*args)
    assert done.returncode == 0, (args[0], done.stderr)
    return done


def _pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two imported reports of one person, linked, estimated, charged and briefed."""
    base = tmp_path_factory.mktemp("row")
    vault = clivault.new_vault(base)
    keys = ["--vault", str(vault), "--passphrase-file", str(base / "pass")]
    (base / "layla").write_text("a web password for layla\n")
    _ok("user", "add", *keys, "--as", "amal", "--password-file", str(base / "web"),
        "--username", "layla", "--role", "legal", "--new-password-file", str(base / "layla"))
    (base / "sheet.csv").write_text(SHEET, encoding="utf-8")
    (base / "map.yaml").write_text(MAPPING, encoding="utf-8")
    _ok("import", *keys, "--actor", "amal", "--password-file", str(base / "web"),
        "--mapping", str(base / "map.yaml"), str(base / "sheet.csv"))
    linked = _ok("link", *keys, "--actor", "amal", "--password-file", str(base / "web"))
    assert "2 victim mentions resolved to 1 person" in linked.stdout
    by_network = clivault.run("estimate", *keys, "--method", "independence")
    (base / "by-network.err").write_text(by_network.stderr)
    assert by_network.returncode != 0
    estimated = _ok("estimate", *keys, "--method", "independence", "--lists", "organisation")
    (base / "estimate.json").write_text(estimated.stdout)
    charge = warm.python("-c", CHARGE, str(vault), str(base / "pass"), env=clivault.clean_env(),
                         timeout=300)
    assert charge.stdout.strip() == "CH-0001", charge.stderr
    for lang in ("en", "ar"):
        _ok("brief", *keys, "--charge", "CH-0001", "--lang", lang, "--out", str(base / f"{lang}.pdf"))
    return {"base": base, "vault": vault}


def test_lists_nobody_set_are_refused_with_the_lists_that_may_do(dossier: dict[str, Path]) -> None:
    """An imported sheet's sources belong to no network (the default lists): the refusal says
    what a list was and which other definitions there are, not only "define them differently"."""
    said = (dossier["base"] / "by-network.err").read_text()
    assert "no list recorded any victim" in said  # not "only 0 lists … (none)"
    assert "source's network" in said and "organisation" in said


def test_an_unbounded_estimate_keeps_its_lower_end(dossier: dict[str, Path]) -> None:
    """One person on both lists: no upper bound, but the total is at least the one seen."""
    result = json.loads((dossier["base"] / "estimate.json").read_text())
    assert result["observed"] == result["victims"] == 1
    assert result["estimate"] is None
    assert result["interval"][0] == 1 and result["interval"][1] is None


def test_the_brief_counts_people_as_the_estimate_does(dossier: dict[str, Path]) -> None:
    """Two reports of one person: the brief's opening said "2 documented victims" beside an
    estimate whose lists documented 1."""
    text = _pdf_text(dossier["base"] / "en.pdf")
    assert "against 1 documented victim between" in " ".join(text.split())  # not "1 victims"
    assert "The lists documented 1 victim." in " ".join(text.split())  # not "1 victims"
    # and says that the estimate is the whole dossier's, not the charge's (the default demo's
    # brief read "155 documented victims" of the charge beside "the lists documented 4,429")
    assert "victims in the whole dossier, not only those of the acts in this charge" in " ".join(
        text.split())


def test_the_brief_prints_no_number_it_has_not_got(dossier: dict[str, Path]) -> None:
    """No "about ∞ (95% interval ∞ to ∞)": the lower end is known, the upper end is not."""
    text = " ".join(_pdf_text(dossier["base"] / "en.pdf").split())
    assert "∞" not in text
    assert "no upper bound on the total: it is at least 1" in text
    arabic = _pdf_text(dossier["base"] / "ar.pdf")
    assert "∞" not in arabic


def test_a_charge_without_grounds_says_no_empty_grounds(dossier: dict[str, Path]) -> None:
    """A charge defined without ground tags read "on the grounds the perpetrators attributed: —. .\""""
    text = " ".join(_pdf_text(dossier["base"] / "en.pdf").split())
    assert "The charge is Murder as a crime against humanity (" not in text
    assert "—" not in text.split("The dossier documents")[0]
    assert ". ." not in text


def test_a_package_with_nothing_consented_says_why_in_arabic(dossier: dict[str, Path]) -> None:
    """DHAKIRA_LANG=ar: why nothing may go is said in Arabic, as the blocked: lines are."""
    base, vault = dossier["base"], dossier["vault"]
    keys = ["--vault", str(vault), "--passphrase-file", str(base / "pass")]
    _ok("recipient", "add", *keys, "--code", "UNITAD", "--name-en", "UNITAD",
        "--name-ar", "يونيتاد", "--kind", "un_mechanism", "--as", "layla",
        "--password-file", str(base / "layla"))
    env = {**clivault.clean_env(), "DHAKIRA_LANG": "ar"}
    done = warm.python(
        "-m", "dhakira.cli", "package", *keys, "--charge", "CH-0001",
        "--recipient", "UNITAD", "--purpose", "share_un_investigators", "--policy",
        "pseudonymised", "--out", str(base / "pkg"), "--as", "layla", "--password-file",
        str(base / "layla"), env=env, timeout=300)
    assert done.returncode != 0
    assert "لا موافقة على هذا الاستخدام (2)" in done.stderr, done.stderr
    assert "no consent" not in done.stderr and "blocked, so nothing" not in done.stderr
    assert not (base / "pkg").exists()
    assert os.path.exists(vault)


def _in(lang: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``dhakira ARGS`` with DHAKIRA_LANG=lang."""
    return warm.python("-m", "dhakira.cli", *args,
                       env={**clivault.clean_env(), "DHAKIRA_LANG": lang}, timeout=300)


def test_link_and_estimate_refuse_in_the_readers_language(tmp_path: Path) -> None:
    """An empty vault: nothing to link, too few victims to count; said in Arabic under
    DHAKIRA_LANG=ar (they were said in English), and in English under en."""
    vault = clivault.new_vault(tmp_path)
    keys = ["--vault", str(vault), "--passphrase-file", str(tmp_path / "pass")]
    link = ["link", *keys, "--actor", "amal", "--password-file", str(tmp_path / "web")]
    arabic, english = _in("ar", *link), _in("en", *link)
    assert arabic.returncode == english.returncode == 1
    assert "لا سجلّ إشارة للمطابقة؛" in arabic.stderr, arabic.stderr
    assert "mention" not in arabic.stderr
    assert "only 0 mention records to link" in english.stderr
    arabic, english = _in("ar", "estimate", *keys), _in("en", "estimate", *keys)
    assert arabic.returncode == english.returncode == 1
    # Too few victims to link: said so, not "run linkage first" (which refuses them).
    assert "لم تُسجَّل أي ضحية" in arabic.stderr, arabic.stderr
    assert "dhakira link" not in arabic.stderr and "victim" not in arabic.stderr
    assert "Only 0 victims are recorded: too few to link or to estimate from" in english.stderr


def test_too_few_lists_are_refused_in_the_readers_language(dossier: dict[str, Path]) -> None:
    """Two sources, so two lists: LCMCR and DGA need three; by network, no list at all."""
    base, vault = dossier["base"], dossier["vault"]
    keys = ["--vault", str(vault), "--passphrase-file", str(base / "pass")]
    for method in ("lcmcr", "dga"):
        arabic = _in("ar", "estimate", *keys, "--method", method, "--lists", "organisation")
        assert arabic.returncode != 0 and not arabic.stdout
        assert "يحتاج إلى ثلاث قوائم على الأقل" in arabic.stderr, arabic.stderr
        assert "needs at least three" not in arabic.stderr
    english = _in("en", "estimate", *keys, "--method", "lcmcr", "--lists", "organisation")
    assert "needs at least three lists, and there are only 2" in english.stderr
    arabic = _in("ar", "estimate", *keys, "--method", "independence")
    assert "لم تسجّل أي قائمة ضحيةً" in arabic.stderr and "شبكة المصدر" in arabic.stderr
    assert "recorded any victim" not in arabic.stderr
    english = _in("en", "estimate", *keys, "--method", "independence")
    assert "no list recorded any victim when a list is each report's source's " \
           "network" in english.stderr, english.stderr


@pytest.mark.parametrize(("lang", "said"), [("en", "0 results"), ("ar", "لا نتائج")])
def test_a_search_without_a_hit_says_so_on_stderr(dossier: dict[str, Path], lang: str,
                                                  said: str) -> None:
    """stdout stays JSON lines (empty); stderr says how many, where it said nothing at all."""
    base, vault = dossier["base"], dossier["vault"]
    keys = ["--vault", str(vault), "--passphrase-file", str(base / "pass")]
    none = _in(lang, "search", *keys, "no such word anywhere")
    assert none.returncode == 0 and none.stdout == ""
    assert none.stderr.strip() == said
    found = _in(lang, "search", *keys, "شهادة")
    lines = found.stdout.splitlines()
    assert lines and all(json.loads(line) for line in lines)
    assert found.stderr.strip() != said and str(len(lines)) in found.stderr
    assert "stderr" in _in("en", "search", "--help").stdout
