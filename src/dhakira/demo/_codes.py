"""Vocabulary codes the generator uses, in one place.

They must be terms of the lists in ``dhakira/vocabularies/data``; a test full_clean()s a
sample of every generated model so that a renamed term fails loudly.
"""

from __future__ import annotations

# act type -> (method choices, result) ; the method is drawn uniformly from the tuple.
KILLING = "killing"
DETENTION = "arbitrary_detention"
TORTURE = "torture"
FORCED_MARRIAGE = "forced_marriage"
SEXUAL_VIOLENCE = "sexual_violence"
ENSLAVEMENT = "enslavement"
AMPUTATION = "mutilation"
SENTENCING = "unfair_trial"

KILLING_METHODS = ("shooting", "beheading", "stoning", "thrown_from_height", "burning")
SOGI_METHODS = ("thrown_from_height", "stoning")

METHOD_OF = {
    DETENTION: ("", ),
    TORTURE: ("flogging", "beating", "suspension"),
    FORCED_MARRIAGE: ("",),
    SEXUAL_VIOLENCE: ("rape",),
    ENSLAVEMENT: ("",),
    AMPUTATION: ("amputation",),
    SENTENCING: ("",),
}
RESULT_OF = {
    KILLING: "killed",
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
    DETENTION: ["liberty"],
    TORTURE: ["bodily_integrity"],
    FORCED_MARRIAGE: ["liberty", "bodily_integrity"],
    SEXUAL_VIOLENCE: ["bodily_integrity"],
    ENSLAVEMENT: ["liberty"],
    AMPUTATION: ["bodily_integrity"],
    SENTENCING: ["fair_trial"],
}

GROUND_SOGI = "sexual_orientation"
GROUND_RELIGION = "religion"
GROUND_POLITICAL = "political"
GROUND_GENDER = "gender"
GROUND_ETHNICITY = "ethnicity"

SEX_MALE, SEX_FEMALE, SEX_UNKNOWN = "male", "female", "unknown"

CHAIN_LEADS_TO = "led_to"

CHANNELS = ("in_person", "phone", "messaging_app", "email", "document")
CONNECTION_WITNESS = "eyewitness"
CONNECTION_HEARSAY = "heard_from_others"
CONNECTION_DOCUMENT = "document"
CONNECTION_MEDIA = "media"
MATERIAL_TESTIMONY = "testimony"
MATERIAL_DOCUMENT = "official_document"
MATERIAL_MEDIA = "media_report"
MATERIAL_EMAIL = "email"

DEGREE_DIRECT = "direct"
DEGREE_ORDERED = "ordered"
DEGREE_UNIT = "unit_responsible"
PERP_NON_STATE = "non_state_armed_group"

UNIT_KINDS = ("wilayah", "diwan", "office", "court", "brigade")
PLACE_GOVERNORATE = "governorate"
PLACE_DISTRICT = "district"
PLACE_CITY = "city"
PLACE_TOWN = "town"
PLACE_VILLAGE = "village"
PLACE_NEIGHBOURHOOD = "neighbourhood"
PLACE_SITE = "site"

VIOLATION_ALLEGED = "alleged"
COUNTING_INDIVIDUAL = "individual"
RELIABILITY = ("A", "B", "C", "D", "E", "F")

CONSENT_SCOPES = ("share_un_investigators", "share_icc", "share_national_prosecutor",
                  "share_ngo", "media_anonymised", "public_reporting", "statistical_only",
                  "recontact")
