"""Issue 13, Low: sealed cases showed their status and risk on the dashboard and its API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.protection.conftest import World

from dhakira.apps.protection import sealing

pytestmark = pytest.mark.django_db


def _api_row(username: str, code: str) -> dict[str, Any]:
    rows = client_for(username).get(reverse("protection:api_cases")).json()["results"]
    return next(r for r in rows if r["code"] == code)


def _case_row(username: str, code: str) -> str:
    body = client_for(username).get(reverse("protection:dashboard")).content.decode()
    table = body[body.index('id="cases"'):]
    return table[table.index(code):].split("</tr>")[0]


def test_low_a_sealed_case_shows_neither_status_nor_risk_until_opened(world: World) -> None:
    case = world.case
    assert "critical" in _case_row("amal", case.code).lower()
    sealing.seal(world.users["amal"], case)
    assert _api_row("amal", case.code) == {"code": case.code, "sealed": True, "status": None,
                                           "risk_level": None}
    row = _case_row("amal", case.code)
    assert "critical" not in row.lower() and "sealed case" in row
    # Opened by two people, the requester sees them again.
    request = sealing.request_open(world.users["amal"], case)
    sealing.approve_open(world.users["nadia"], request)
    assert _api_row("amal", case.code)["risk_level"] == "critical"
    assert "critical" in _case_row("amal", case.code).lower()
    assert _api_row("nadia", case.code)["risk_level"] is None
