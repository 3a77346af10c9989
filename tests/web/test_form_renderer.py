"""The report form's widgets render the same HTML through the faster widget templates.

``dhakira.apps.web.renderers.FormRenderer`` replaces Django's ``select.html`` and
``multiple_input.html`` (two or three includes per option) with templates that write each
option in place; the page must not change by a byte. The speed is measured in
``bench/bench_pages.py`` ("new report (form)").
"""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from tests.cast import client_for, make_cast
from tests.dossier.intake_data import post_data

pytestmark = pytest.mark.django_db
MASKED = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
DJANGOS = "django.forms.renderers.DjangoTemplates"


def _page(lang: str, data: dict[str, str] | None) -> str:
    client = client_for("rana")
    client.cookies["django_language"] = lang
    answer = client.post("/reports/new/", data) if data is not None else client.get("/reports/new/")
    assert answer.status_code in (200, 400), answer.status_code
    return MASKED.sub("", answer.content.decode())


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("bound", [False, True], ids=["empty", "refused with choices made"])
def test_the_report_form_is_the_same_html_as_djangos_own_widgets_give(lang: str, bound: bool) -> None:
    make_cast()
    # A refused form keeps what was chosen: selected options and ticked boxes must survive.
    data = post_data(**{"r-event_title": "", "a-0-grounds": "attributed_sexual_orientation"}) \
        if bound else None
    ours = _page(lang, data)
    with override_settings(FORM_RENDERER=DJANGOS):
        theirs = _page(lang, data)
    assert ours.count("<option") > 100 and 'type="checkbox"' in ours
    if bound:
        assert " selected" in ours and " checked" in ours
    assert ours == theirs
