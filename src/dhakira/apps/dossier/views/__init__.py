"""Dossier pages: browsing, the report intake, reveals and the JSON API.

Protected values are read only through :mod:`dhakira.apps.dossier.protected`.
"""

from dhakira.apps.dossier.views.api import api_person_detail, api_person_list
from dhakira.apps.dossier.views.browse import (
    event_detail,
    event_list,
    map_view,
    person_detail,
    person_list,
    report_detail,
    report_list,
    source_list,
    timeline,
)
from dhakira.apps.dossier.views.consent import (
    person_consent,
    recipient_edit,
    recipient_list,
    recipient_new,
)
from dhakira.apps.dossier.views.intake import (
    date_preview,
    draft_discard,
    draft_save,
    name_suggestions,
    report_new,
)
from dhakira.apps.dossier.views.protect import reveal
from dhakira.apps.dossier.views.same import person_same, person_unlink

__all__ = [
    "api_person_detail",
    "api_person_list",
    "date_preview",
    "draft_discard",
    "draft_save",
    "event_detail",
    "event_list",
    "map_view",
    "name_suggestions",
    "person_detail",
    "person_consent",
    "person_list",
    "recipient_edit",
    "recipient_list",
    "recipient_new",
    "person_same",
    "person_unlink",
    "report_detail",
    "report_list",
    "report_new",
    "reveal",
    "source_list",
    "timeline",
]
