"""Issue 21, keyed marks: vetting reasons and comments reach custody and packages as an
HMAC under a vault sub-key (a guessed short reason cannot be confirmed by hashing it), with
the scheme named; entries written before stay as they were."""

from __future__ import annotations

import hashlib

import pytest

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.vetting import comments, texts
from dhakira.apps.vetting.record import package_record
from dhakira.apps.vetting.status import set_status
from dhakira.core.custody.verify import verify_chain

pytestmark = pytest.mark.django_db

SHORT = "confirmed by her brother"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_step_carries_a_keyed_mark_of_its_reason_not_a_bare_hash(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    set_status(cast["layla"], [r1.pk], "under_review", reason=SHORT)
    entry = LedgerEntry.objects.filter(subject=r1.uid, action="decision").last()
    assert entry.detail["hmac_scheme"] == "hmac-sha256:dhakira vetting text v1"
    mark = entry.detail["reason_hmac"]
    # Guessing: hashing the candidate finds nothing anywhere in the entry.
    assert _sha(SHORT) not in str(entry.detail) and SHORT not in str(entry.detail)
    # The vault's holder can still tell which text the entry marks.
    assert texts.matches(SHORT, mark) and texts.matches(f"  {SHORT}\n", mark)
    assert not texts.matches("confirmed by her sister", mark)


def test_a_comment_carries_a_keyed_mark_of_its_text(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    comments.add(cast["layla"], r1.uid, SHORT)
    entry = LedgerEntry.objects.filter(subject=r1.uid, action="decision").last()
    assert entry.detail["vetting"] == "comment" and "text_sha256" not in entry.detail
    assert texts.matches(SHORT, entry.detail["text_hmac"])
    assert entry.detail["hmac_scheme"] == texts.SCHEME


def test_the_package_record_carries_the_keyed_mark_and_no_bare_hash(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    set_status(cast["layla"], [r1.pk], "under_review", reason=SHORT)
    record = package_record([r1.uid])
    step = record["items"][r1.uid]["steps"][0]
    assert step["hmac_scheme"] == texts.SCHEME and texts.matches(SHORT, step["reason_hmac"])
    assert _sha(SHORT) not in str(record) and "reason_sha256" not in step


def test_entries_written_with_a_bare_hash_stay_as_they_were(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    old = store.record(actor="layla", action="decision", subject=r1.uid, detail={
        "vetting": "under_review", "from": "recorded", "reason_sha256": _sha(SHORT)})
    set_status(cast["layla"], [r1.pk], "under_review", reason=SHORT)
    kept = LedgerEntry.objects.get(seq=old.seq)
    assert kept.detail["reason_sha256"] == _sha(SHORT) and "reason_hmac" not in kept.detail
    assert verify_chain(list(store.entries()), store.public_keys()).ok
