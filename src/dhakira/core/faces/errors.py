"""Named errors of the faces core."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class FacesError(DhakiraError):
    """Faces cannot be looked for or blurred in this picture; the message says why."""


class TooLarge(FacesError):
    """The picture is larger than faces are looked for in (a decompression bomb, or a scan
    far beyond a photograph's size)."""
