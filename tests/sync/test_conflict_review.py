"""Issue 19, field-kit conflicts reviewed at the office: both versions side by side, and each
decision (keep newer, keep older, both stand) a custody entry, never an edit in place."""

from __future__ import annotations

import pytest
from tests.cast import client_for
from tests.sync.fakekit import FakeKit
from tests.sync.test_receive import hq, kit  # noqa: F401 - the office and its enrolled kit

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Person, ProtectedValue
from dhakira.apps.fieldkit import office, review
from dhakira.apps.fieldkit.models import Decision, Origin
from dhakira.apps.fieldkit.records import content_hash

ADDRESS = "7 Synthetic Lane, Nowhere"  # a protected value: never on the review page


def _conflict(hq, kit: FakeKit) -> Origin:  # type: ignore[no-untyped-def]  # noqa: F811
    """Version 1 of a person, then version 2 from a kit copy that never saw version 1."""
    user, card = hq
    office.receive(kit.bundle(card, [kit.person(1, notes="first words")]), actor=user)
    stale = kit.person(1, notes="other words")
    stale["fields"]["protected"] = [["address", "", ADDRESS]]
    stale["hash"] = content_hash("person", stale["fields"])
    kit.log("P-000001")
    office.receive(kit.bundle(card, [stale], seq=2), actor=user)
    flagged = Origin.objects.get(conflict=True)
    assert flagged.version == 2 and not flagged.reviewed
    return flagged


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("Records from field kits with two versions", "notes", "Keep the newer version",
            "Keep the older version", "Both versions stand")),
    ("ar", ("سجلات من حقائب الميدان لها نسختان", "ملاحظات", "الإبقاء على النسخة الأحدث",
            "الإبقاء على النسخة الأقدم", "تبقى النسختان كلتاهما")),
])
def test_the_review_page_shows_both_versions_side_by_side(hq, kit, lang: str,  # noqa: F811
                                                          words: tuple[str, ...]) -> None:
    flagged = _conflict(hq, kit)
    assert ProtectedValue.objects.filter(value=ADDRESS).exists()  # stored, in its compartment
    body = client_for("amal", lang).get("/fieldkit/conflicts/").content.decode()
    for word in words:
        assert word in body, word
    row = body.split('data-field="notes"')[1].split("</tr>")[0]
    assert row.index("first words") < row.index("other words")  # older, then newer
    assert "differs" in row or "مختلف" in row
    assert f'id="conflict-{flagged.pk}"' in body
    assert ADDRESS not in body  # protected values stay off the page
    dashboard = client_for("amal", lang).get("/").content.decode()
    assert 'href="/fieldkit/conflicts/"' in dashboard


@pytest.mark.parametrize("choice", ["newer", "older", "both"])
def test_a_decision_is_a_custody_entry_and_changes_no_record(hq, kit, choice: str) -> None:  # noqa: F811
    flagged = _conflict(hq, kit)
    older = Origin.objects.get(gid=flagged.gid, version=1)
    notes = dict(Person.objects.values_list("pk", "notes"))
    entries = LedgerEntry.objects.count()
    page = client_for("amal").post(f"/fieldkit/conflicts/{flagged.pk}/decide/",
                                   {"choice": choice}, follow=True)
    assert page.status_code == 200 and "Decision recorded." in page.content.decode()
    made = Decision.objects.get()
    assert (made.newer_id, made.older_id, made.choice, made.decided_by) == (
        flagged.pk, older.pk, choice, "amal")
    assert LedgerEntry.objects.count() == entries + 1
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == "decision" and entry.actor == "amal"
    assert entry.detail["fieldkit_conflict"] == choice
    assert (entry.detail["older_version"], entry.detail["newer_version"]) == (1, 2)
    assert entry.subject == f"P-{flagged.local_pk:06d}"
    assert dict(Person.objects.values_list("pk", "notes")) == notes  # nothing edited
    assert Origin.objects.get(pk=flagged.pk).reviewed
    assert review.waiting() == 0
    # From now on a record that names the stable id is linked to the version that stands.
    expected = older.local_pk if choice == "older" else flagged.local_pk
    assert review.current_row(Origin.objects.get(pk=flagged.pk)) == expected
    again = client_for("amal").post(f"/fieldkit/conflicts/{flagged.pk}/decide/",
                                    {"choice": "both"}, follow=True)
    assert "Nothing was decided" in again.content.decode() and Decision.objects.count() == 1


def test_a_viewer_sees_but_may_not_decide_and_a_bad_choice_is_refused(hq, kit) -> None:  # noqa: F811
    flagged = _conflict(hq, kit)
    viewer = client_for("victor")
    assert 'class="decide-conflict"' not in viewer.get("/fieldkit/conflicts/").content.decode()
    assert viewer.post(f"/fieldkit/conflicts/{flagged.pk}/decide/",
                       {"choice": "newer"}).status_code == 403
    entries = LedgerEntry.objects.count()
    refused = client_for("amal").post(f"/fieldkit/conflicts/{flagged.pk}/decide/",
                                      {"choice": "merge them"}, follow=True)
    assert "Nothing was decided" in refused.content.decode()
    assert not Decision.objects.exists() and LedgerEntry.objects.count() == entries
    assert client_for(None).get("/fieldkit/conflicts/").status_code == 302  # to the login
