"""Vocabulary codes the generator uses, in one place.

They must be terms of the lists in ``dhakira/core/vocabularies/data``; a test full_clean()s a
sample of every generated model so that a renamed term fails loudly.
"""

from __future__ import annotations

# act type -> (method choices, result) ; the method is drawn uniformly from the tuple.
KILLING = "killing"
EXECUTION = "execution"
FLOGGING = "beating_flogging"
DETENTION = "detention_imprisonment"
TORTURE = "torture"
FORCED_MARRIAGE = "forced_marriage"
SEXUAL_VIOLENCE = "rape"
ENSLAVEMENT = "enslavement"
AMPUTATION = "amputation"
SENTENCING = "unfair_trial_sentencing"

KILLING_METHODS = ("shooting", "beheading", "stoning", "thrown_from_height", "burning")
SOGI_METHODS = ("thrown_from_height", "stoning")

METHOD_OF = {
    DETENTION: ("", ),
    TORTURE: ("beating", "suspension_stress_positions", "electric_shock"),
    FLOGGING: ("flogging",),
    FORCED_MARRIAGE: ("",),
    SEXUAL_VIOLENCE: ("",),
    ENSLAVEMENT: ("",),
    AMPUTATION: ("amputation",),
    SENTENCING: ("",),
}
RESULT_OF = {
    KILLING: "killed",
    EXECUTION: "killed",
    FLOGGING: "injured",
    DETENTION: "detained",
    TORTURE: "injured",
    FORCED_MARRIAGE: "",
    SEXUAL_VIOLENCE: "injured",
    ENSLAVEMENT: "",
    AMPUTATION: "injured",
    SENTENCING: "",
}
RIGHTS_OF = {
    KILLING: ["life"],
    EXECUTION: ["life", "fair_trial"],
    FLOGGING: ["bodily_integrity"],
    DETENTION: ["liberty"],
    TORTURE: ["bodily_integrity"],
    FORCED_MARRIAGE: ["liberty", "bodily_integrity"],
    SEXUAL_VIOLENCE: ["bodily_integrity"],
    ENSLAVEMENT: ["liberty"],
    AMPUTATION: ["bodily_integrity"],
    SENTENCING: ["fair_trial"],
}

GROUND_SOGI = "attributed_sexual_orientation"
GROUND_RELIGION = "religion"
GROUND_POLITICAL = "political"
GROUND_GENDER = "gender"
GROUND_ETHNICITY = "ethnicity"

SEX_MALE, SEX_FEMALE, SEX_UNKNOWN = "male", "female", "unknown"

CHAIN_LEADS_TO = "precedes"

CHANNELS = ("in_person_interview", "phone_call", "messaging_app")
CHANNEL_EMAIL, CHANNEL_DOCUMENT, CHANNEL_MEDIA = "email", "document", "video_social_media"
CONNECTION_WITNESS = "involved_witness"
CONNECTION_VICTIM = "involved_victim"
CONNECTION_HEARSAY = "third_party"
CONNECTION_DOCUMENT = "perpetrator_publication"
CONNECTION_MEDIA = "third_party"
MATERIAL_TESTIMONY = "witness_testimony"
MATERIAL_VICTIM = "victim_testimony"
MATERIAL_DOCUMENT = "captured_isis_document"
MATERIAL_MEDIA = "media_report"
MATERIAL_EMAIL = "email"

DEGREE_DIRECT = "directly_carried_out"
DEGREE_ORDERED = "gave_orders"
DEGREE_SENTENCED = "sentenced"
DEGREE_UNIT = "directly_carried_out"
PERP_NON_STATE = "non_state_armed_group"
PERP_MEMBER, PERP_OFFICIAL, PERP_HISBA = "isis_member", "isis_official", "hisba_member"

UNIT_KINDS = ("wilayah", "diwan", "office", "court", "brigade_katiba", "hisba")
PLACE_GOVERNORATE = "governorate"
PLACE_DISTRICT = "district"
PLACE_CITY = "city"
PLACE_TOWN = "town"
PLACE_VILLAGE = "village"
PLACE_NEIGHBOURHOOD = "neighbourhood"
PLACE_SITE = "site"

VIOLATION_ALLEGED = "alleged"
COUNTING_INDIVIDUAL = "individual"
RELIABILITY = ("a", "b", "c", "d", "e", "f")

CONSENT_SCOPES = ("share_un_investigators", "share_icc", "share_national_prosecutor",
                  "share_ngo", "media_anonymised", "public_reporting", "statistical_only",
                  "recontact")

KILLINGS = frozenset({KILLING, EXECUTION})

# Charges ISIS gave for other executions: (grounds code, Arabic, English).
CHARGES = (
    ("apostasy", "الردة", "apostasy"),
    ("spying", "التجسس", "spying"),
    ("former_security_forces", "العمل في الأجهزة الأمنية", "serving in the security forces"),
    ("collaboration", "التعاون مع الحكومة", "collaborating with the government"),
    ("blasphemy", "سب الذات الإلهية", "blasphemy"),
)
