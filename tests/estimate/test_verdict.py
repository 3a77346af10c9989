"""Not usable, because ...: the guards on an estimate, from the object or its saved form."""

from __future__ import annotations

import math

from dhakira.core.counting import Estimate
from dhakira.core.counting import verdict as v

NOT_SETTLED = ("NOT_CONVERGED: the sampler has not settled (split R-hat 1.02, effective sample "
               "size 57); run more iterations or chains before relying on it")


def total(**changes):  # type: ignore[no-untyped-def]
    base = {"method": "lcmcr", "model": "LCMCR K*=10", "observed": 1000, "estimate": 1300.0,
            "interval": [1150.0, 1600.0], "warnings": [], "diagnostics": {}}
    return {**base, **changes}


def codes(found: v.Verdict) -> list[str]:
    return [r.code for r in found.reasons]


def test_a_tight_estimate_near_the_observed_count_is_usable():
    found = v.judge(total())
    assert found.usable and found.reasons == ()


def test_issue_14_the_demo_s_4_6_million_from_7758_is_not_usable():
    found = v.judge(total(observed=7758, estimate=4_622_463.0,
                          interval=[2_400_000.0, 9_400_000.0]))
    assert not found.usable
    assert codes(found) == [v.WIDE_INTERVAL, v.MANY_TIMES_OBSERVED]
    many = found.reasons[1]
    assert math.floor(many.params["factor"]) == 595
    assert "596 times the 7,758 people" in many.text


def test_the_factor_limit_is_five_times_observed():
    assert v.judge(total(estimate=5000.0, interval=[4900.0, 5100.0])).usable
    found = v.judge(total(estimate=5001.0, interval=[4900.0, 5100.0]))
    assert codes(found) == [v.MANY_TIMES_OBSERVED]


def test_a_sampler_that_did_not_settle_is_not_usable_even_in_one_stratum():
    found = v.judge(total(warnings=["[2016] " + NOT_SETTLED]))
    assert codes(found) == [v.NOT_CONVERGED]
    assert found.reasons[0].params == {"stratum": "2016", "rhat": 1.02, "ess": 57.0}


def test_an_unbounded_interval_or_estimate_is_not_usable():
    assert codes(v.judge(total(interval=[1100.0, None]))) == [v.UNBOUNDED]
    assert codes(v.judge(total(estimate=None, interval=[1100.0, None]))) == [v.UNBOUNDED]


def test_stale_linkage_is_named():
    found = v.judge(total(), linkage={"run": "R-00003", "threshold": 0.99, "stale": True})
    assert codes(found) == [v.LINKAGE_STALE]
    assert found.reasons[0].params == {"run": "R-00003"}
    assert v.judge(total(), linkage={"run": "R-00003", "stale": False}).usable


def test_a_stale_linkage_warning_is_enough():
    stale = ("LINKAGE_STALE: the linkage run is older than the newest report: victims recorded "
             "since are each counted as a person of their own; run linkage again")
    found = v.judge(total(warnings=[stale]))
    assert codes(found) == [v.LINKAGE_STALE]
    assert found.reasons[0].text == "reports were added after the linkage run; run linkage again"


def test_it_judges_the_estimate_object_as_it_judges_its_saved_form():
    result = Estimate(method="lcmcr", model="LCMCR K*=10", observed=1896, estimate=11077.0,
                      interval=(9369.0, math.inf), warnings=(NOT_SETTLED,))
    assert codes(v.judge(result)) == [v.NOT_CONVERGED, v.UNBOUNDED, v.MANY_TIMES_OBSERVED]
    assert v.judge(result) == v.judge(result.to_dict())
