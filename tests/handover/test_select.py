"""The --select query language."""

from __future__ import annotations

import pytest
from django.utils import translation
from tests.handover import dossier

from dhakira.apps.handover import select
from dhakira.apps.handover.errors import BadQuery


@pytest.mark.parametrize("text,message,arabic", [
    ("", "empty", "التحديد فارغ"), ("Mosul", "“Mosul” is not a term", "«Mosul» ليس شرطًا"),
    ("colour:red", "unknown key “colour”", "مفتاح غير معروف «colour»"),
    ("event:12", "event:12 is not an id", "event:12 ليس معرّفًا"),
    ("event:E-²", "event:E-² is not an id", "event:E-² ليس معرّفًا"),  # int("²"): a traceback
    (f"event:E-{'9' * 30}", "is not an id", "ليس معرّفًا"),  # more than a database holds
    ("from:June", "from:June is not a date", "from:June ليس تاريخًا"),
    ("item:I-0000001 place:Mosul", "cannot be combined", "لا يمكن جمعها"),
    ('place:"Tal', "cannot read", "تعذّرت قراءة التحديد"),
])
def test_it_rejects_bad_queries_with_a_fix_in_the_readers_language(text: str, message: str,
                                                                    arabic: str) -> None:
    """The web's package check shows these under the field: the walk of issue 17 found them
    in English on the Arabic page."""
    with translation.override("en"), pytest.raises(BadQuery, match=message):
        select.parse(text)
    with translation.override("ar"), pytest.raises(BadQuery, match=arabic):
        select.parse(text)


def test_it_parses_quoted_values() -> None:
    assert select.parse('place:"Tal Afar" from:2014-06-01').terms == (
        ("place", "Tal Afar"), ("from", "2014-06-01"))


@pytest.mark.django_db
def test_filters_are_combined_with_and(vault, cast) -> None:  # type: ignore[no-untyped-def]
    d = dossier.build()
    both = {d.base.act.pk, d.refuser_act.pk}
    assert set(select.select("place:Mosul").acts) == both
    assert set(select.select("place:الموصل act_type:killing").acts) == both
    assert select.select(f"person:{d.refuser.uid} place:Mosul").acts == (d.refuser_act.pk,)
    assert select.select("from:2014-10-01 to:2014-11-30").acts != ()
    assert select.select("from:2015-01-01").empty
    assert select.select("place:Raqqa").empty
    sel = select.select(f"act:{d.base.act.uid}")
    assert sel.reports == (d.base.information.pk,)
    assert set(sel.evidence) == {d.evidence[0].pk, d.evidence[1].pk}


@pytest.mark.django_db
def test_items_are_named_directly(vault, cast) -> None:  # type: ignore[no-untyped-def]
    d = dossier.build()
    sel = select.select(f"item:{d.refuser_report.uid} item:{d.evidence[0].uid}")
    assert (sel.acts, sel.reports, sel.evidence) == ((), (d.refuser_report.pk,),
                                                      (d.evidence[0].pk,))


@pytest.mark.django_db
def test_a_charge_selects_every_assessed_item(vault, cast) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from dhakira.apps.law.models import Charge, ElementAssessment

    d = dossier.build(with_evidence=False)
    charge = Charge.objects.create(crime_id="cah_murder", title="Murder", created_by=cast["layla"])
    for uid, stance in ((d.base.act.uid, "supports"), (d.refuser_report.uid, "undermines")):
        ElementAssessment.objects.create(
            charge=charge, item_kind="act" if uid.startswith("A-") else "information",
            item_uid=uid, element_id="e1", stance=stance, standard_claimed="reasonable_grounds",
            reviewer=cast["layla"], reviewed_at=dt.date(2025, 1, 1))
    sel = select.select_charge(charge.uid)
    assert (sel.acts, sel.reports) == ((d.base.act.pk,), (d.refuser_report.pk,))
    with translation.override("en"), pytest.raises(BadQuery, match="no charge “CH-9999”"):
        select.select_charge("CH-9999")
