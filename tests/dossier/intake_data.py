"""A valid intake POST (synthetic names) that tests alter one field at a time."""

from __future__ import annotations


def post_data(**overrides: str) -> dict[str, str]:
    data = {
        "r-source_code": "NINAWA-07", "r-new_source": "on", "r-source_kind": "informant",
        "r-source_reliability": "b",
        "r-received_at": "2014-11-02T10:30", "r-channel": "phone_call", "r-language": "ar",
        "r-credibility": "2", "r-event_title": "Execution in the square",
        "r-date_text": "late October 2014", "r-place_text": "Mosul",
        "r-text": "قال المخبر إنهم أُعدموا أمام الناس", "r-consent_decision": "granted",
        "r-consent_scopes": "share_icc",
        "v-TOTAL_FORMS": "2", "v-INITIAL_FORMS": "0", "v-MIN_NUM_FORMS": "0", "v-MAX_NUM_FORMS": "20",
        "v-0-name": "محمّد علي حسين", "v-0-other_name": "Mohammed Ali Hussein", "v-0-age": "31",
        "v-0-sex": "male",
        "v-1-name": "Khalid Saleh Omar", "v-1-age": "", "v-1-sex": "male",
        "a-TOTAL_FORMS": "1", "a-INITIAL_FORMS": "0", "a-MIN_NUM_FORMS": "0", "a-MAX_NUM_FORMS": "20",
        "a-0-victim": "", "a-0-act_type": "killing", "a-0-method": "shooting", "a-0-result": "killed",
        "a-0-stated_reason": "الردة",
        "p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0", "p-MAX_NUM_FORMS": "10",
        "p-0-name": "أبو عمر الشامي", "p-0-degree": "directly_carried_out",
        "p-0-perpetrator_type": "isis_member", "p-0-certainty": "probable",
    }
    data.update(overrides)
    return data
