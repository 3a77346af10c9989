"""Redaction of derived copies: names, source identities, addresses, coordinates, metadata.

Redaction acts on derived copies only; originals in the vault are never touched. Policies:

* ``full`` (a court under protective measures): names stay; source identities, exact
  addresses and embedded metadata go.
* ``pseudonymised``: every protected person's names, in every variant and script, become a
  stable per-package code such as ``V-7F3A`` (HMAC of the package secret and the person id).
* ``anonymised`` (advocacy): names become a generic token (``[victim]`` / ``[ضحية]``) and
  coordinates are coarsened to the policy precision.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from dhakira.core.handover._arabic import is_arabic
from dhakira.core.handover._matcher import NameMatcher
from dhakira.core.handover.errors import RedactionError


class Level(StrEnum):
    """How much of a person's identity leaves the vault."""

    FULL = "full"
    PSEUDONYMISED = "pseudonymised"
    ANONYMISED = "anonymised"


@dataclass(frozen=True)
class RedactionPolicy:
    """A redaction policy as data.

    Attributes:
        level: which identities are replaced and by what.
        coordinate_precision: grid size in degrees for coordinates, or None to keep them.
        version: bump when the behaviour of a policy changes; recorded in manifests.
    """

    level: Level
    coordinate_precision: float | None = None
    version: int = 1

    @property
    def name(self) -> str:
        return self.level.value


FULL = RedactionPolicy(Level.FULL)
PSEUDONYMISED = RedactionPolicy(Level.PSEUDONYMISED)
ANONYMISED = RedactionPolicy(Level.ANONYMISED, coordinate_precision=0.1)
POLICIES = {p.name: p for p in (FULL, PSEUDONYMISED, ANONYMISED)}

# Role -> (code letter, English token, Arabic token).
ROLES: Mapping[str, tuple[str, str, str]] = {
    "victim": ("V", "[victim]", "[ضحية]"),
    "witness": ("W", "[witness]", "[شاهد]"),
    "perpetrator": ("A", "[perpetrator]", "[مرتكب]"),
    "source": ("S", "[source]", "[مصدر]"),
    "person": ("P", "[person]", "[شخص]"),
}
_ADDRESS = ("[address]", "[عنوان]")
_MARKED = ("[redacted]", "[محجوب]")
_COORDS = re.compile(r"(?<![\d.])(-?\d{1,2}\.\d{2,})\s*[,،]\s*(-?\d{1,3}\.\d{2,})(?![\d])")
_PHONE = ("[phone]", "[هاتف]")
# Seven digits or more, as a phone number is written: Western, Arabic-Indic or Persian digits,
# perhaps after a +, with spaces, dashes, dots, slashes or brackets between them.
_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_PHONE_RUN = re.compile(rf"\+?\(?{_DIGIT}(?:[\s\-./()]{{0,2}}{_DIGIT}){{6,}}")
_TO_ASCII = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                          "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
                          "01234567890123456789")
PHONE_KEY_DIGITS = 9


def _digits(run: str) -> str:
    return re.sub(r"[^0-9]", "", run.translate(_TO_ASCII))


def _numbers(run: str) -> list[str]:
    """The phone numbers in one run of digits and separators: a group of seven digits or
    more stands alone ("07745580464 07701234567" is two numbers); shorter groups go with
    their neighbours ("+964 774 558 0464" is one)."""
    numbers: list[str] = []
    current = ""
    for group in (_digits(g) for g in re.split(r"[\s\-./()+]+", run)):
        if not group:
            continue
        if len(group) >= 7:
            if current:
                numbers.append(current)
            numbers.append(group)
            current = ""
        else:
            current += group
    if current:
        numbers.append(current)
    return numbers


def phone_keys(value: str) -> tuple[str, ...]:
    """The phone numbers a contact holds, each as the digits that tell it apart however it is
    written: its last nine digits (a country code, a leading 0 and the separators dropped), or
    all of them when it has fewer. A number of fewer than seven digits is not taken for one.

    >>> phone_keys("+964 7745580464 (Signal), office 0770-123-4567")
    ('745580464', '701234567')
    >>> phone_keys("07745580464 07701234567")
    ('745580464', '701234567')
    >>> phone_keys("born 1987")
    ()
    """
    return tuple(dict.fromkeys(n[-PHONE_KEY_DIGITS:] for m in _PHONE_RUN.finditer(value)
                               for n in _numbers(m.group()) if len(n) >= 7))


def _phone_cuts(text: str, keys: Sequence[str]) -> list[tuple[int, int, str]]:
    """Where ``text`` writes one of the numbers ``keys`` stand for: a run of digits holding
    a key, cut from the run's start to the key's last digit (a country code or a leading 0
    before it goes too; a figure after it, "0774 558 0464 2015", stays)."""
    cuts = []
    for m in _PHONE_RUN.finditer(text):
        run = m.group()
        where = [i for i, ch in enumerate(run) if ch.translate(_TO_ASCII).isascii()
                 and ch.translate(_TO_ASCII).isdigit()]
        digits = "".join(run[i].translate(_TO_ASCII) for i in where)
        ends = [digits.rfind(key) + len(key) for key in keys if key in digits]  # the last
        if not ends:
            continue
        arabic = re.search("[\u0660-\u0669\u06f0-\u06f9]", run) is not None
        cuts.append((m.start(), m.start() + where[max(ends) - 1] + 1,
                     _PHONE[1] if arabic else _PHONE[0]))
    return cuts


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text with counts; ``ambiguous`` lists persons sharing a matched variant."""

    text: str
    replacements: int
    persons: tuple[str, ...] = ()
    ambiguous: bool = False
    policy: str = ""
    policy_version: int = 1
    by_kind: Mapping[str, int] = field(default_factory=dict)


def policy_named(name: str | RedactionPolicy) -> RedactionPolicy:
    """Return the policy called ``name`` (``full``, ``pseudonymised`` or ``anonymised``).

    Raises:
        RedactionError: the name is not a known policy.
    """
    if isinstance(name, RedactionPolicy):
        return name
    try:
        return POLICIES[name]
    except KeyError:
        raise RedactionError(
            f"unknown redaction policy {name!r}; use one of {', '.join(POLICIES)}"
        ) from None


def pseudonym_code(person_id: str, *, package_secret: bytes, role: str = "person") -> str:
    """Return the stable per-package code of a person, e.g. ``V-7F3A``.

    The code is HMAC-SHA-256(package secret, person id): stable within one package, unlinkable
    across packages with different secrets. Use :func:`pseudonym_codes` to avoid collisions.

    Raises:
        RedactionError: the package secret is shorter than 16 bytes.
    """
    return _code(person_id, package_secret, role, 0)


def _code(person_id: str, secret: bytes, role: str, attempt: int) -> str:
    if len(secret) < 16:
        raise RedactionError("package secret must be at least 16 random bytes")
    message = person_id.encode() + (b"\x00" + str(attempt).encode() if attempt else b"")
    digest = hmac.new(secret, message, hashlib.sha256).hexdigest().upper()
    return f"{ROLES.get(role, ROLES['person'])[0]}-{digest[:4]}"


def pseudonym_codes(
    person_ids: Sequence[str], *, package_secret: bytes, roles: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Return collision-free codes for every person of a package.

    Build this once per package and pass it to :func:`redact_text` as ``codes=`` so every
    document in the package uses the same codes.
    """
    roles = roles or {}
    codes: dict[str, str] = {}
    taken: set[str] = set()
    for pid in sorted(set(person_ids)):
        attempt = 0
        code = _code(pid, package_secret, roles.get(pid, "person"), attempt)
        while code in taken:  # rare: 4 hex digits collide; re-derive deterministically
            attempt += 1
            code = _code(pid, package_secret, roles.get(pid, "person"), attempt)
        codes[pid] = code
        taken.add(code)
    return codes


def coarsen(lat: float, lon: float, policy: RedactionPolicy | str) -> tuple[float, float]:
    """Round a coordinate to the policy's grid (e.g. 0.1° ≈ 11 km under ``anonymised``).

    Returns the coordinate unchanged when the policy keeps exact coordinates.
    """
    step = policy_named(policy).coordinate_precision
    if step is None:
        return lat, lon
    decimals = max(0, -math.floor(math.log10(step)))
    return (round(round(lat / step) * step, decimals), round(round(lon / step) * step, decimals))


def _replacement(pid: str, role: str, matched: str, policy: RedactionPolicy,
                 codes: Mapping[str, str], secret: bytes) -> str:
    """What a name becomes under the policy."""
    english, arabic = ROLES.get(role, ROLES["person"])[1:]
    if pid == "?" or policy.level is Level.ANONYMISED:
        return arabic if is_arabic(matched) else english
    return codes.get(pid) or _code(pid, secret, role, 0)


class Redactor:
    """Redact many texts of one package with matchers compiled once.

    Compiling the name matcher for a whole dossier takes seconds; a package holds thousands of
    texts. Build one :class:`Redactor` per package (and per set of names) and call
    :meth:`redact` for every text. Arguments as for :func:`redact_text`.

    Raises:
        RedactionError: unknown policy or short secret.
    """

    def __init__(
        self,
        *,
        names: Mapping[str, Sequence[str]],
        policy: RedactionPolicy | str,
        package_secret: bytes,
        roles: Mapping[str, str] | None = None,
        codes: Mapping[str, str] | None = None,
        addresses: Sequence[str] = (),
        phones: Sequence[str] = (),
    ) -> None:
        self.policy = policy_named(policy)
        self._phones = tuple(phones)
        self._secret = package_secret
        self._roles = dict(roles or {})
        self._codes = dict(codes) if codes else pseudonym_codes(
            list(names), package_secret=package_secret, roles=self._roles)
        if len(package_secret) < 16:  # also when codes were given: the secret keys fallbacks
            raise RedactionError("package secret must be at least 16 random bytes")
        if self.policy.level is Level.FULL:  # only sources are protected; match nobody else
            names = {pid: v for pid, v in names.items() if self._roles.get(pid) == "source"}
        self._names = NameMatcher(names)
        self._addresses = NameMatcher({"address": list(addresses)})

    def redact(self, text: str, *, spans: Sequence[tuple[int, int]] = ()) -> RedactionResult:
        """Redact one text (see :func:`redact_text`); ``spans`` are analyst-marked spans.

        Raises:
            RedactionError: a span outside the text.
        """
        pol = self.policy
        cuts = _marked_cuts(text, spans)
        kinds: dict[str, int] = {"marked": len(cuts)}
        persons: set[str] = set()
        for hit in self._names.find(text):
            role = self._roles.get(hit.key, "person")
            new = _replacement(hit.key, role, text[hit.start:hit.end], pol, self._codes,
                               self._secret)
            cuts.append((hit.start, hit.end, new))
            persons.add(hit.key)
            kinds["name"] = kinds.get("name", 0) + 1
        for hit in self._addresses.find(text):
            cuts.append((hit.start, hit.end, _pick(_ADDRESS, text[hit.start:hit.end])))
            kinds["address"] = kinds.get("address", 0) + 1
        for cut in _phone_cuts(text, self._phones) if self._phones else ():
            cuts.append(cut)
            kinds["phone"] = kinds.get("phone", 0) + 1
        if pol.coordinate_precision is not None:
            for m in _COORDS.finditer(text):
                lat, lon = coarsen(float(m.group(1)), float(m.group(2)), pol)
                cuts.append((m.start(), m.end(), f"{lat}, {lon}"))
                kinds["coordinate"] = kinds.get("coordinate", 0) + 1
        out, applied = _apply(text, cuts)
        return RedactionResult(
            text=out, replacements=applied, persons=tuple(sorted(persons - {"?"})),
            ambiguous="?" in persons, policy=pol.name, policy_version=pol.version,
            by_kind=kinds,
        )


def redact_text(
    text: str,
    *,
    names: Mapping[str, Sequence[str]],
    policy: RedactionPolicy | str,
    package_secret: bytes,
    roles: Mapping[str, str] | None = None,
    codes: Mapping[str, str] | None = None,
    addresses: Sequence[str] = (),
    spans: Sequence[tuple[int, int]] = (),
    phones: Sequence[str] = (),
) -> RedactionResult:
    """Redact protected names, addresses, marked spans and (per policy) coordinates.

    This compiles the matchers for one text; to redact many texts of a package, build a
    :class:`Redactor` once and call its :meth:`Redactor.redact`.

    Args:
        text: the text of a derived copy.
        names: person id -> every known variant of the person's names, any script.
        policy: a :class:`RedactionPolicy` or its name.
        package_secret: per-package random secret (≥ 16 bytes) keying the pseudonym codes.
        roles: person id -> ``victim``/``witness``/``perpetrator``/``source``/``person``.
        codes: precomputed :func:`pseudonym_codes` for the whole package.
        addresses: exact addresses to remove under every policy.
        spans: analyst-marked ``(start, end)`` spans of ``text`` to remove.
        phones: :func:`phone_keys` of protected contacts: a number ending in one, however it
            is written (+964 774 558 0464, 07745580464, Arabic-Indic digits), is removed under
            every policy.

    Returns:
        A :class:`RedactionResult`. Text outside replaced spans is preserved exactly.

    Raises:
        RedactionError: unknown policy, short secret or a span outside the text.
    """
    return Redactor(names=names, policy=policy, package_secret=package_secret, roles=roles,
                    codes=codes, addresses=addresses, phones=phones).redact(text, spans=spans)


def _pick(tokens: tuple[str, str], matched: str) -> str:
    return tokens[1] if is_arabic(matched) else tokens[0]


def _marked_cuts(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    cuts = []
    for start, end in spans:
        if not 0 <= start < end <= len(text):
            raise RedactionError(f"marked span ({start}, {end}) is outside the text")
        cuts.append((start, end, _pick(_MARKED, text[start:end])))
    return cuts


def _apply(text: str, cuts: list[tuple[int, int, str]]) -> tuple[str, int]:
    """Apply replacements; where two overlap, the union is removed with the first's token."""
    parts: list[str] = []
    pos = 0
    applied = 0
    for start, end, new in sorted(cuts, key=lambda c: (c[0], -c[1])):
        if start < pos:  # overlaps the previous cut: extend it so nothing leaks
            if end > pos:
                pos = end
            continue
        parts.append(text[pos:start])
        parts.append(new)
        pos = end
        applied += 1
    parts.append(text[pos:])
    return "".join(parts), applied


def strip_image_metadata(data: bytes) -> bytes:
    """Re-encode a JPEG or PNG from its pixels only: no EXIF, GPS, XMP, ICC or comments.

    The visible orientation is kept by applying the EXIF orientation before dropping it.

    Raises:
        RedactionError: the bytes are not a readable JPEG or PNG.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            if fmt not in ("JPEG", "PNG"):
                raise RedactionError(f"cannot strip metadata from {fmt} images; use JPEG or PNG")
            upright = ImageOps.exif_transpose(img)
    except (UnidentifiedImageError, OSError) as exc:
        raise RedactionError(f"unreadable image: {exc}") from exc
    mode = upright.mode
    if mode not in ("RGB", "L") and not (fmt == "PNG" and mode in ("RGBA", "LA")):
        mode = "RGBA" if fmt == "PNG" else "RGB"
    pixels = upright.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())  # fresh image: no .info
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=92)
    else:
        clean.save(out, "PNG", optimize=False)
    return out.getvalue()
