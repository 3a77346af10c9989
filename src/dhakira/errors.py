"""The root of Dhakira's named errors.

Every core package defines its own ``errors.py`` with subclasses of :class:`DhakiraError`.
Messages say what is wrong and, where there is one, how to fix it. The CLI turns any
``DhakiraError`` into one line on stderr and a non-zero exit.
"""

from collections.abc import Mapping
from typing import Any


class DhakiraError(Exception):
    """Base class of every error Dhakira raises on purpose.

    The message is English where a core raised it (a core has no catalogue). An error a
    reader may meet also carries ``code`` and ``params``, plain values, so that a shell can
    say it again in the reader's language (the command line: ``dhakira.cli._words``; the
    counting refusals: ``dhakira.apps.counting.texts.refusal``). Without a code the message
    is said as it is.
    """

    exit_code: int = 1

    def __init__(self, *args: Any, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(*args)
        self.code = code
        self.params = dict(params or {})
