"""E-mail messages and mailboxes, read with the standard library; bodies decoded by their
declared charset, else by detection (:mod:`dhakira.apps.evidence.decoding`), and HTML bodies
turned to text by lxml's HTML parser."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from typing import BinaryIO

from dhakira.apps.evidence import decoding
from dhakira.apps.evidence.extract import Unreadable
from dhakira.core.vault.codes import code_for

MAX_MESSAGE_BYTES = 256 * 1024 * 1024
# Longer than any honest header (RFC 5322 allows 998 characters a line): kept as received,
# never parsed.
MAX_HEADER = 4000
HEADERS = ("From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To")


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Mail:
    """One parsed message: headers kept as metadata, body text, and attachments."""

    headers: dict[str, str]
    sender: str
    sender_name: str
    subject: str
    sent_at: datetime | None
    body: str
    attachments: tuple[Attachment, ...]
    # How the body was read: its type and the decoding used (recorded in the metadata).
    body_read: dict[str, str] = field(default_factory=dict)

    def source_code(self) -> str:
        """The sender's code name in the unlocked vault: keyed, so a list of suspects'
        addresses cannot be checked against it (:mod:`dhakira.core.vault.codes`)."""
        return code_for(self.sender, prefix="MAIL")


def parse(raw: bytes, name: str = "message") -> Mail:
    """Parse one message.

    Raises:
        Unreadable: the bytes carry no e-mail headers.
    """
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except RecursionError:
        raise Unreadable(f"{name}: its parts are nested too deeply to read") from None
    raw_headers = _raw_headers(message)
    if not isinstance(message, EmailMessage) or not any(v.strip() for v in raw_headers.values()):
        raise Unreadable(f"{name} has no e-mail headers")
    headers = {h: _header(message, h, raw_headers[h]) for h in HEADERS if h in raw_headers}
    sender, sender_name = _sender(headers.get("From", ""))
    try:
        (body, body_read), attachments = _body(message), tuple(_attachments(message))
    except RecursionError:
        raise Unreadable(f"{name}: its parts are nested too deeply to read") from None
    except Exception as exc:  # the email package's own bugs on odd input
        raise Unreadable(f"{name}: its body cannot be read ({type(exc).__name__})") from None
    return Mail(headers=headers, sender=sender, sender_name=sender_name,
                subject=headers.get("Subject", ""),
                sent_at=_date(headers.get("Date")), body=body, attachments=attachments,
                body_read=body_read)


def _raw_headers(message: email.message.Message) -> dict[str, str]:
    """The first value of each header, as received (unparsed), by its canonical name."""
    wanted = {h.lower(): h for h in HEADERS}
    found: dict[str, str] = {}
    for key, value in message.raw_items():
        canonical = wanted.get(key.lower())
        if canonical and canonical not in found:
            found[canonical] = str(value)
    return found


def _header(message: email.message.Message, name: str, raw: str) -> str:
    """A header's value decoded, or as received (unfolded, cut to MAX_HEADER characters)
    when the parser fails on it (``Message-ID: <>``, thousands of nested comments)."""
    if len(raw) <= MAX_HEADER:
        try:
            return str(message.get(name))
        except Exception:  # the parser's bugs on odd input, RecursionError too
            pass
    return " ".join(raw.split())[:MAX_HEADER]


def _sender(value: str) -> tuple[str, str]:
    """The sender's address and display name (both protected once stored)."""
    try:
        addresses = getaddresses([value])
    except Exception:  # as in _header
        addresses = []
    name = addresses[0][0] if addresses else ""
    return (addresses[0][1] if addresses and addresses[0][1] else (value or "unknown")), name


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _body(message: EmailMessage) -> tuple[str, dict[str, str]]:
    """The body's text (plain preferred, else HTML turned to text) and how it was read.

    The bytes are decoded here, not by the email package: it decodes an undeclared 8-bit
    body as US-ASCII with replacement characters, and an unknown charset not at all."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", {}
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload:
        return "", {}
    decoded = decoding.decode(payload, part.get_content_charset())
    kind = part.get_content_type()
    text = html_text(decoded.text) if kind == "text/html" else decoded.text
    return text, {"type": kind, "encoding": decoded.encoding, "decoded": decoded.label}


# Elements after which the text breaks a line (what a reader sees as separate lines).
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "pre", "table", "ul", "ol", "dl", "dt", "dd", "section", "article", "header",
           "footer", "address", "hr", "td", "th")


def html_text(markup: str) -> str:
    """The text a reader sees in an HTML body: scripts, styles, comments and the head left
    out, a line break after each block, runs of spaces collapsed.

    Parsed by lxml's HTML parser (libxml2), which reads broken markup as browsers do and
    fetches nothing (no network, no external entities).

    >>> html_text("<p>قُتل <b>ثلاثة</b></p><p>in Mosul<br>2014</p><script>x()</script>")
    'قُتل ثلاثة\\nin Mosul\\n2014'
    """
    import lxml.html
    from lxml import etree

    if not markup.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(
            markup.encode("utf-8", "surrogatepass"),
            parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True,
                                        remove_pis=True, no_network=True))
    except (etree.ParserError, ValueError):  # nothing but whitespace or comments
        return ""
    for bad in root.xpath("//script|//style|//head|//template|//noscript"):
        bad.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in str(root.text_content()).splitlines())
    return "\n".join(line for line in lines if line)


def _attachments(message: EmailMessage) -> Iterator[Attachment]:
    for index, part in enumerate(message.iter_attachments(), start=1):
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            yield Attachment(part.get_filename() or f"attachment-{index}", data)


def read_mbox(stream: BinaryIO) -> int:
    """Check an mbox stream, one message at a time; return how many messages it holds.

    Every message is parsed (and dropped) before any is stored, so a bad one refuses the
    mailbox whole; only one message is held in memory at a time.

    Raises:
        Unreadable: the mailbox holds no message, a message is too large, or a message
            has no headers.
    """
    count = 0
    for count, raw in enumerate(iter_mbox(stream), start=1):
        parse(raw, f"malformed mbox: message {count}")
    if not count:
        raise Unreadable("malformed mbox: no messages found")
    return count


def iter_mbox(stream: BinaryIO) -> Iterator[bytes]:
    """The raw bytes of each message in an mbox stream, in order (mboxo/mboxrd), one at a
    time, from the start of the stream.

    A line starting ``From `` opens a message, as in :mod:`mailbox`; ``>From`` quoting
    is left as received.

    Raises:
        Unreadable: the stream does not start with a ``From`` line, or a message is too
            large.
    """
    stream.seek(0)
    current: list[bytes] | None = None
    size = number = 0
    for line in stream:
        if line.startswith(b"From "):
            if current is not None:
                number += 1
                yield b"".join(current)
            current, size = [], 0
            continue
        if current is None:
            raise Unreadable("malformed mbox: it does not start with a 'From ' line")
        size += len(line)
        if size > MAX_MESSAGE_BYTES:
            raise Unreadable(f"malformed mbox: message {number + 1} is larger than 256 MiB")
        current.append(line)
    if current is not None:
        yield b"".join(current)
