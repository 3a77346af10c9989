"""Logging filters: request lines are logged without their query strings.

A search for a person's name travels in a query string (``/people/?q=…``); the server's
access log must not keep it.
"""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?\S*")


class StripQueryString(logging.Filter):
    """Replace every ``?query`` in a log record's arguments and message by ``?…``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("?…", a) if isinstance(a, str) else a
                                for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?…", record.msg)
        return True
