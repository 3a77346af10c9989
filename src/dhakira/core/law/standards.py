"""The ladder of standards of proof an assessment may claim.

Dhakira records analysts' findings, never verdicts: "beyond reasonable doubt" (Rome Statute
art. 66(3)) is for a court alone, so claiming it raises :class:`BeyondReasonableDoubtRefused`.
"""

from __future__ import annotations

from enum import StrEnum

from dhakira.core.law.errors import BeyondReasonableDoubtRefused, StandardOfProofError


class StandardOfProof(StrEnum):
    """Standards an NGO finding may claim, lowest first (reference §2.1)."""

    UNVERIFIED_ALLEGATION = "unverified_allegation"
    CREDIBLE_ALLEGATION = "credible_allegation"
    REASONABLE_GROUNDS = "reasonable_grounds"
    BALANCE_OF_PROBABILITIES = "balance_of_probabilities"
    CLEAR_AND_CONVINCING = "clear_and_convincing"

    @property
    def rank(self) -> int:
        """Position on the ladder, 0 for the lowest."""
        return _RANKS[self]


_RANKS = {s: i for i, s in enumerate(StandardOfProof)}  # asked thousands of times a page
_BY_VALUE = {s.value: s for s in StandardOfProof}
_REFUSED = frozenset({"beyond_reasonable_doubt", "beyond_a_reasonable_doubt", "brd"})


def parse_standard(value: str | StandardOfProof) -> StandardOfProof:
    """Return the standard named by ``value`` (spaces, hyphens and case are forgiven).

    Args:
        value: e.g. ``"reasonable_grounds"`` or ``"Reasonable grounds"``.

    Returns:
        The :class:`StandardOfProof`.

    Raises:
        BeyondReasonableDoubtRefused: for "beyond reasonable doubt" in any spelling.
        StandardOfProofError: for any other unknown standard.
    """
    if isinstance(value, StandardOfProof):
        return value
    if isinstance(value, str) and (exact := _BY_VALUE.get(value)) is not None:  # as stored
        return exact
    key = "_".join(str(value).strip().lower().replace("-", " ").replace("_", " ").split())
    if key in _REFUSED:
        raise BeyondReasonableDoubtRefused(
            "'beyond reasonable doubt' is the standard for a court's conviction (Rome Statute "
            "art. 66(3)); an assessment may claim at most 'clear_and_convincing'"
        )
    try:
        return StandardOfProof(key)
    except ValueError:
        allowed = ", ".join(s.value for s in StandardOfProof)
        raise StandardOfProofError(
            f"unknown standard of proof {value!r}; use one of: {allowed}"
        ) from None
