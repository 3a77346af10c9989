"""Loading the dossier through the models: counts, vocabularies, protection and the truth file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import transaction

from dhakira.apps.demo import load
from dhakira.apps.demo.errors import DemoError
from dhakira.apps.demo.truth import read_truth
from dhakira.apps.dossier import models as m

VICTIMS = 50


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):  # noqa: ANN001
    """One small dossier for the whole module, rolled back afterwards."""
    truth = tmp_path_factory.mktemp("truth") / "truth.json"
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load.build(victims=VICTIMS, perpetrators=60, informants=12, seed=4,
                             truth_out=truth)
        yield summary, truth
        transaction.set_rollback(True)


def test_it_documents_the_requested_victims_and_says_so(db, built):
    summary, truth_path = built
    truth = read_truth(truth_path)
    assert truth.documented == VICTIMS
    assert truth.true_total > VICTIMS
    assert f"{VICTIMS:,} documented victims" in summary
    victims_with_reports = set(truth.victim_mentions.values())
    assert len(victims_with_reports) == VICTIMS


def test_truth_maps_every_victim_mention_and_every_report_person(db, built):
    truth = read_truth(built[1])
    mentioned = {f"P-{pk:06d}" for pk in m.Act.objects.values_list("victim_id", flat=True)}
    assert mentioned == set(truth.victim_mentions)
    perps = {f"P-{pk:06d}" for pk in m.Involvement.objects.exclude(perpetrator=None)
             .values_list("perpetrator_id", flat=True)}
    assert perps <= set(truth.perpetrator_mentions)
    assert m.Information.objects.count() == truth.raw["reports"]


def test_the_same_victim_appears_in_several_reports_under_different_spellings(db, built):
    truth = read_truth(built[1])
    by_victim: dict[int, set[str]] = {}
    for uid, victim in truth.victim_mentions.items():
        names = m.NameVariant.objects.filter(person_id=int(uid[2:])).values_list("text", flat=True)
        by_victim.setdefault(victim, set()).update(names)
    counts: dict[int, int] = {}
    for victim in truth.victim_mentions.values():
        counts[victim] = counts.get(victim, 0) + 1
    assert sum(1 for n in counts.values() if n >= 2) >= 5
    assert sum(1 for v, n in counts.items() if n >= 2 and len(by_victim[v]) > 1) >= 3


def test_no_self_identified_sogi_is_ever_written(db, built):
    assert not m.ProtectedValue.objects.filter(compartment="sogi").exists()
    assert not m.ProtectedValue.objects.filter(field="self_identified_sogi").exists()


def test_source_identities_are_protected_values_in_the_sources_compartment(db, built):
    sources = list(m.Source.objects.all())
    owners = set(m.ProtectedValue.objects.filter(compartment="sources")
                 .values_list("owner", flat=True))
    assert {s.uid for s in sources} == owners
    assert all(s.code_name.startswith("NINAWA-") for s in sources)


def test_every_generated_model_passes_full_clean(db, built):
    models = [m.Place, m.Unit, m.Person, m.NameVariant, m.UnitMembership, m.CommandLink, m.Event,
              m.EventChain, m.Act, m.Involvement, m.Source, m.Information, m.Consent,
              m.ProtectedValue]
    for model in models:
        sample = list(model.objects.order_by("pk")[:40]) + list(model.objects.order_by("-pk")[:40])
        assert sample, f"no {model.__name__} rows generated"
        for obj in sample:
            obj.full_clean(validate_unique=False, validate_constraints=False)


def test_consent_is_recorded_by_the_generator_account_and_some_is_withdrawn(db, built):
    consents = m.Consent.objects.all()
    assert consents.exists()
    assert set(consents.values_list("recorded_by__username", flat=True)) == {"demo-generator"}
    user = m.Profile.objects.get(user__username="demo-generator")
    assert user.role == m.Role.DOCUMENTER and not user.user.has_usable_password()


def test_sogi_persecution_acts_carry_the_attributed_ground(db, built):
    acts = m.Act.objects.filter(stated_reason__in=["اللواط", "sodomy"])
    for act in acts:
        assert "attributed_sexual_orientation" in act.grounds or act.grounds == []
        assert act.method in ("thrown_from_height", "stoning")


def test_it_refuses_to_build_twice_into_one_vault(db, built, tmp_path):
    with pytest.raises(DemoError):
        load.build(victims=5, perpetrators=10, informants=12, seed=4,
                   truth_out=tmp_path / "again.json")


def test_the_truth_file_is_compact_json_with_the_list_names(db, built):
    raw = json.loads(Path(built[1]).read_text(encoding="utf-8"))
    assert raw["format"] == "dhakira-demo-truth-1"
    assert raw["networks"] and raw["seed"] == 4
    assert raw["victims"]["columns"][-1] == "lists"


def test_capture_histories_from_the_truth_count_every_documented_victim_once(db, built):
    truth = read_truth(built[1])
    histories = truth.capture_histories()
    assert sum(histories.values()) == truth.documented
    assert all(len(h) == len(truth.networks) and any(h) for h in histories)
