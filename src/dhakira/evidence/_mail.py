"""E-mail messages and mailboxes, read with the standard library only."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from typing import BinaryIO

from dhakira.evidence.extract import Unreadable
from dhakira.vault.codes import keyed_code

MAX_MESSAGE_BYTES = 256 * 1024 * 1024
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

    def source_code(self, data_key: bytes) -> str:
        """The sender's code name in this vault: keyed, so a list of suspects' addresses
        cannot be checked against it (:mod:`dhakira.vault.codes`)."""
        return keyed_code(data_key, self.sender, prefix="MAIL")


def parse(raw: bytes, name: str = "message") -> Mail:
    """Parse one message.

    Raises:
        Unreadable: the bytes carry no e-mail headers.
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not any(message.get(h) for h in HEADERS):
        raise Unreadable(f"{name} has no e-mail headers")
    headers = {h: str(message.get(h)) for h in HEADERS if message.get(h) is not None}
    addresses = getaddresses([headers.get("From", "")])
    sender = addresses[0][1] if addresses and addresses[0][1] else headers.get("From", "unknown")
    sender_name = addresses[0][0] if addresses else ""
    return Mail(headers=headers, sender=sender, sender_name=sender_name, subject=headers.get("Subject", ""),
                sent_at=_date(headers.get("Date")), body=_body(message),
                attachments=tuple(_attachments(message)))


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return str(part.get_content())
    except (LookupError, ValueError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def _attachments(message: EmailMessage) -> Iterator[Attachment]:
    for index, part in enumerate(message.iter_attachments(), start=1):
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            yield Attachment(part.get_filename() or f"attachment-{index}", data)


def read_mbox(stream: BinaryIO) -> list[bytes]:
    """The raw bytes of each message in an mbox stream, in order (mboxo/mboxrd).

    A line starting ``From `` opens a message, as in :mod:`mailbox`; ``>From`` quoting
    is left as received.

    Raises:
        Unreadable: the mailbox holds no message, a message is too large, or a message
            has no headers.
    """
    stream.seek(0)
    messages: list[bytes] = []
    current: list[bytes] | None = None
    size = 0
    for line in stream:
        if line.startswith(b"From "):
            if current is not None:
                messages.append(b"".join(current))
            current, size = [], 0
            continue
        if current is None:
            raise Unreadable("malformed mbox: it does not start with a 'From ' line")
        size += len(line)
        if size > MAX_MESSAGE_BYTES:
            raise Unreadable(f"malformed mbox: message {len(messages) + 1} is larger than 256 MiB")
        current.append(line)
    if current is not None:
        messages.append(b"".join(current))
    if not messages:
        raise Unreadable("malformed mbox: no messages found")
    for number, raw in enumerate(messages, start=1):
        parse(raw, f"malformed mbox: message {number}")
    return messages
