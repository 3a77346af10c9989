"""Words a new user's walk of the demo in Arabic found in English: a search hit's kind, a
source's list given as a code, and a system account offered as an assignee."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.cast import make_cast
from tests.dossier import scenario

from dhakira.apps.demo.load import GENERATOR_USER, generator_user
from dhakira.apps.search import services as search
from dhakira.apps.vetting.forms import TaskForm


@pytest.fixture
def s(settings, db):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    return scenario.build()


def _get(url: str, username: str, lang: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(("lang", "word"), [("ar", "بلاغ"), ("en", "report")])
def test_a_search_hit_on_a_report_says_report_in_the_readers_language(s, lang, word) -> None:  # type: ignore[no-untyped-def]
    search.index_information(s.information)
    page = _get("/evidence/search/?q=المخبر", "amal", lang)
    hit = re.search(r'<ol class="results">.*?<li>(.*?)</li>', page, re.S)
    assert hit is not None and s.information.uid in hit.group(1)
    kind = re.search(r'</span> · (.*?) · <bdi>NINAWA-07</bdi>', hit.group(1))
    assert kind is not None and kind.group(1) == word, hit.group(1)


@pytest.mark.parametrize(("lang", "label"), [("ar", "شبكة المخبرين"), ("en", "Informant network")])
def test_a_sources_list_given_as_a_code_is_shown_by_its_label(s, lang, label) -> None:  # type: ignore[no-untyped-def]
    s.source.network = "informant_network"  # the demo's lists are codes of source_networks
    s.source.save()
    page = _get("/sources/", "amal", lang)
    assert f"<td><bdi>{label}</bdi></td>" in page
    assert "informant_network" not in page.replace("?source=", "")
    s.source.network = "قائمة المكتب"  # a list named in words: as typed
    s.source.save()
    assert "<td><bdi>قائمة المكتب</bdi></td>" in _get("/sources/", "amal", lang)


def test_a_system_account_is_never_offered_as_an_assignee(s) -> None:  # type: ignore[no-untyped-def]
    generator_user()  # the demo generator's account: a documenter that cannot log in
    offered = {u.get_username() for u in TaskForm(people=[(1, "P-000001")])
               .fields["assignee"].queryset}
    assert "rana" in offered and GENERATOR_USER not in offered
    s.information.persons.add(s.victim)
    page = _get(f"/vetting/reports/{s.information.pk}/", "amal", "ar")
    assert 'name="assignee"' in page and GENERATOR_USER not in page
