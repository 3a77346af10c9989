"""Named errors of :mod:`dhakira.core.linkage`."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class LinkageError(DhakiraError):
    """Base class of errors raised by dhakira.core.linkage."""


class SettingsError(LinkageError, ValueError):
    """Linkage settings are invalid or from an unknown version."""


class TruthError(LinkageError, ValueError):
    """A truth mapping cannot be used for evaluation (empty, or shares no record with the run)."""


class NoRecordsError(LinkageError):
    """There are too few mention records to link (at least two are needed)."""

    def __init__(self, count: int) -> None:
        records = "mention record" if count == 1 else "mention records"
        super().__init__(f"only {count:,} {records} to link; add reports first "
                         "(at least two mentions are needed)", code="too_few_mentions",
                         params={"count": count})
        self.count = count


class LinkageMemoryError(LinkageError, MemoryError):
    """The in-process database ran out of its memory limit (it never spills to disk)."""

    def __init__(self, limit: str, detail: str) -> None:
        super().__init__(f"linkage needed more than its memory limit of {limit} ({detail}); "
                         "raise LinkageSettings.memory_limit or narrow the blocking rules "
                         "(add the district or place to each)", code="linkage_memory",
                         params={"limit": limit, "detail": detail})
        self.limit = limit
