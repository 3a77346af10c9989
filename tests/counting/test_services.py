"""Saved runs, the brief summary, CSV and the linkage hook."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from dhakira.apps.counting import services
from dhakira.apps.counting.definitions import StrataDefinition
from dhakira.apps.counting.errors import NoResolutionError, ResolutionError


def test_a_run_keeps_the_tables_and_the_estimate(world):
    run = services.run_estimate(world.resolution, method="independence", seed=1, label="test")
    assert run.victims == 4 and run.unresolved == 1
    assert run.tables["all"]["observed"] == 4
    assert run.result["total"]["observed"] == 4
    assert run.result["lists"] == ["alpha", "beta", "gamma"]


def test_the_brief_summary_gives_numbers_and_plain_words_in_both_languages(world):
    assert services.summary_for_brief() is None
    run = services.run_estimate(world.resolution, method="independence", seed=1)
    en, ar = services.summary_for_brief(run), services.summary_for_brief(lang="ar")
    assert en is not None and ar is not None
    assert en["observed"] == ar["observed"] == 4
    assert en["estimate"] >= 4 and en["interval"][0] >= 4
    assert "documented 4 victims" in en["sentence"]
    assert "says nothing about being on another" in en["assumptions"]
    assert "لا يغيّر احتمال" in ar["assumptions"]


def test_strata_rows_end_with_a_total_that_adds_up(world):
    run = services.run_estimate(world.resolution, method="independence",
                                strata=StrataDefinition(by=("year",)))
    rows = services.stratum_rows(run)
    assert [r["stratum"] for r in rows] == ["2015", "2016", "total"]
    assert rows[-1]["observed"] == rows[0]["observed"] + rows[1]["observed"]


def test_the_csv_has_a_row_per_stratum(world):
    run = services.run_estimate(world.resolution, method="independence",
                                strata=StrataDefinition(by=("year",)))
    table = list(csv.reader(io.StringIO(services.csv_text(run))))
    assert table[0][:5] == ["stratum", "observed", "estimate", "low_95", "high_95"]
    assert [r[0] for r in table[1:]] == ["2015", "2016", "total"]
    # from a resolution file: no interval allowing for matching, the columns stay empty
    assert table[0][-2:] == ["low_95_with_matching", "high_95_with_matching"]
    assert all(r[-2:] == ["", ""] for r in table[1:])
    # with one (as a run from the vault's linkage saves it): on the total's row only
    run.result["total"]["with_matching"] = {"interval": [10.0, 99.5], "kind": "pooled"}
    table = list(csv.reader(io.StringIO(services.csv_text(run))))
    assert [r[-2:] for r in table[1:]] == [["", ""], ["", ""], ["10", "100"]]


def test_without_a_linkage_run_it_says_so(world):
    assert not services.has_linkage()
    with pytest.raises(NoResolutionError, match=re.escape(str(services.NO_LINKAGE))):
        services.run_with_current(method="independence")


def test_it_reads_a_demo_truth_file_as_a_resolution(tmp_path):
    path = tmp_path / "truth.json"
    path.write_text(json.dumps({"format": "dhakira-demo-truth-1",
                                "victim_mentions": {"P-000001": 0, "P-000002": 0}}))
    mapping, label = services.read_resolution(path)
    assert mapping == {"P-000001": 0, "P-000002": 0} and "truth" in label


def test_it_rejects_a_resolution_file_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("[1, 2]")
    with pytest.raises(ResolutionError):
        services.read_resolution(path)


@pytest.mark.parametrize("method", ["lcmcr", "dga"])
def test_lcmcr_and_dga_refuse_two_lists_in_the_readers_language(world, method):
    from django.utils import translation

    from dhakira.apps.counting.errors import DefinitionError
    from dhakira.apps.counting.models import EstimateRun
    from dhakira.apps.dossier.models import Information

    Information.objects.filter(source__network="gamma").delete()  # alpha and beta are left
    with translation.override("en"), pytest.raises(DefinitionError) as refused:
        services.run_estimate(world.resolution, method=method, seed=1)
    assert "needs at least three lists, and there are only 2" in str(refused.value)
    with translation.override("ar"), pytest.raises(DefinitionError) as refused:
        services.run_estimate(world.resolution, method=method, seed=1)
    assert "يحتاج إلى ثلاث قوائم على الأقل" in str(refused.value)
    assert not EstimateRun.objects.exists()  # no run, so no number reaches the brief
    assert services.run_estimate(world.resolution, method="independence").result["lists"] == [
        "alpha", "beta"]


@pytest.mark.parametrize("method", ["lcmcr", "dga"])
def test_lists_that_never_overlap_are_refused_rather_than_given_a_prior_made_number(world, method):
    """With no one linked across reports, no victim is on two lists: nothing can be said of
    the unseen, and a Bayesian model's number would be its priors' (found running the commands
    in a row on 300 imported reports: 1,303 printed for 300 people on 40 lists)."""
    from django.utils import translation

    from dhakira.apps.counting.errors import DefinitionError
    from dhakira.apps.counting.models import EstimateRun

    unlinked = {person: person for person in world.resolution}  # each mention its own person
    with translation.override("en"), pytest.raises(DefinitionError) as refused:
        services.run_estimate(unlinked, method=method, seed=1)
    assert refused.value.code == "no_overlap"
    assert "No victim is on more than one of the 3 lists" in str(refused.value)
    with translation.override("ar"), pytest.raises(DefinitionError) as refused:
        services.run_estimate(unlinked, method=method, seed=1)
    assert "لا تظهر أي ضحية في أكثر من قائمة واحدة" in str(refused.value)
    assert not EstimateRun.objects.exists()
    from dhakira.apps.counting.definitions import ListDefinition

    linked = services.capture_histories(world.resolution, ListDefinition(), StrataDefinition())
    assert any(p.count("1") > 1 for t in linked.tables.values() for p in t.counts)  # linked: overlap
