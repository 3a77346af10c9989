"""Named errors of the legal core."""

from dhakira.errors import DhakiraError


class LawError(DhakiraError):
    """Base class of every error raised by :mod:`dhakira.core.law`."""


class CatalogueError(LawError):
    """The element catalogue data is inconsistent (dangling id, cycle, bad field)."""


class UnknownElementError(LawError):
    """An element id is not in the catalogue."""


class UnknownCrimeError(LawError):
    """A crime id is not in the catalogue."""


class UnknownLiabilityModeError(LawError):
    """A mode-of-liability id is not in the catalogue."""


class StandardOfProofError(LawError):
    """A standard of proof is not one Dhakira lets an assessment claim."""


class BeyondReasonableDoubtRefused(StandardOfProofError):
    """An assessment claimed "beyond reasonable doubt", which only a court can find."""


class InvalidItemError(LawError):
    """An item handed to the proof matrix is malformed."""


class InvalidAssessmentError(LawError):
    """An assessment is malformed or points at an item that was not supplied."""


class InvalidChargeError(LawError):
    """A charge is malformed (empty id, inverted date range, unknown ground tag)."""


class InvalidActFactError(LawError):
    """An act fact handed to the pattern summary is malformed."""


class UnknownGroundTagError(LawError):
    """A ground tag is not one the catalogue knows (check spelling: sexual_orientation)."""
