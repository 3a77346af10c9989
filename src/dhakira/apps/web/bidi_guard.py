"""Bidirectional controls kept out of records and out of every page (issue 13, Low).

Input: every record saved through the ORM loses the controls from its text fields, whatever
wrote it (a web form, the API, the CLI, an import), except the rows that must stay exactly as
written: signed custody entries and what was extracted from an evidence file (its original
is immutable, and its text a faithful copy of it). Output: HTML and JSON responses never carry
a control, so text stored before this check, or kept on purpose, cannot spoof the display.
Downloads (attachments, streamed files) are never touched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from dhakira.core.bidi import has_controls, strip_controls

# Rows written exactly as given: signed, or copies of what an evidence file holds.
KEPT = frozenset({"ledger.ledgerentry", "evidence.derivedcopy", "evidence.metadata",
                  "search.searchdocument"})
_TEXT_TYPES = ("text/html", "application/json")
# The controls in UTF-8: U+202A–U+202E are E2 80 AA–AE, U+2066–U+2069 are E2 81 A6–A9.
_RAW = re.compile(rb"\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
_JSON_ESCAPED = re.compile(rb"\\u(202[a-e]|206[6-9])", re.IGNORECASE)  # JSON's \u202e form


def clean_instance(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    """A ``pre_save`` receiver: strip the controls from every text field of ``instance``."""
    if sender._meta.label_lower in KEPT:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, strip_controls(value))


class BidiOutputMiddleware:
    """Remove bidirectional controls from HTML and JSON responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if (response.streaming or kind not in _TEXT_TYPES
                or "attachment" in response.get("Content-Disposition", "")):
            return response
        body, charset = response.content, response.charset or "utf-8"
        if kind == "application/json" and _JSON_ESCAPED.search(body):
            body = json.dumps(_strip_all(json.loads(body)), ensure_ascii=False).encode(charset)
        if charset.lower().replace("-", "") == "utf8":
            body = _RAW.sub(b"", body)  # one pass over the bytes, no decoding
        elif has_controls(body.decode(charset)):
            body = strip_controls(body.decode(charset)).encode(charset)
        if body != response.content:
            response.content = body
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(body))
        return response


def _strip_all(value: Any) -> Any:
    """Every string in a decoded JSON document without the controls (keys too)."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_strip_all(v) for v in value]
    if isinstance(value, dict):
        return {strip_controls(k): _strip_all(v) for k, v in value.items()}
    return value
