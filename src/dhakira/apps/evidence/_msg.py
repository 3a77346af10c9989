"""Outlook ``.msg`` messages, read with ``olefile`` into the same :class:`~._mail.Mail` as an
e-mail, so that intake treats both alike (a report from the sender's source, attachments as
family members).

A ``.msg`` is a compound file (OLE2) whose streams hold MAPI properties ([MS-OXMSG]): the
subject in ``__substg1.0_0037001F``, the body in ``…1000…``, the HTML body in ``…1013…``,
each attachment in a ``__attach_version1.0_#N`` storage. ``olefile`` (BSD, no dependencies,
maintained by the author of oletools) reads the container; the few properties read here are
named below. ``extract-msg`` was not used: it is GPL-3.0 and brings fourteen more packages
(oletools, msoffcrypto-tool, pcodedmp, easygui, an RTF decoder, BeautifulSoup …) for what
intake needs of a message.

8-bit string properties (``001E``) are decoded by the message's code page
(PidTagInternetCodepage, PidTagMessageCodepage) when it declares one, else by detection
(:mod:`dhakira.apps.evidence.decoding`): Outlook in Arabic writes Windows-1256.

No Django here.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from dhakira.apps.evidence import decoding
from dhakira.apps.evidence._mail import Attachment, Mail, html_text
from dhakira.apps.evidence.extract import Unreadable

__all__ = ["MSG", "OLE_MAGIC", "is_msg", "parse"]

MSG = "application/vnd.ms-outlook"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
MAX_ATTACHMENTS = 2000
_PROPERTIES = "__properties_version1.0"
_SUBJECT, _BODY, _HTML = 0x0037, 0x1000, 0x1013
_SENDER_NAME, _SENDER_ADDRESS, _SENDER_SMTP = 0x0C1A, 0x0C1F, 0x5D01
_TO, _CC, _MESSAGE_ID = 0x0E04, 0x0E03, 0x1035
_SUBMIT_TIME, _DELIVERY_TIME = 0x0039, 0x0E06
_INTERNET_CODEPAGE, _MESSAGE_CODEPAGE = 0x3FDE, 0x3FFD
_ATTACH_DATA, _ATTACH_LONG_NAME, _ATTACH_NAME = 0x3701, 0x3707, 0x3704
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def is_msg(stream: BinaryIO) -> bool:
    """Whether a compound file is an Outlook message (it has the message's property stream
    and property streams).

    Raises:
        Unreadable: the compound file itself is corrupt.
    """
    ole = _open(stream)
    try:
        names = {"/".join(e) for e in ole.listdir(streams=True, storages=False)}
    finally:
        ole.close()
    return _PROPERTIES in names and any(n.startswith("__substg1.0_") for n in names)


def _open(stream: BinaryIO):  # type: ignore[no-untyped-def]  # olefile has no types
    import olefile

    stream.seek(0)
    try:
        return olefile.OleFileIO(stream, raise_defects=olefile.DEFECT_INCORRECT)
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError … on junk
        raise Unreadable(f"corrupt Outlook message or Office compound file "
                         f"({type(exc).__name__})") from None
    finally:
        stream.seek(0)


def parse(stream: BinaryIO, name: str = "message") -> Mail:
    """Read one ``.msg``.

    Raises:
        Unreadable: the compound file or a property stream in it is corrupt.
    """
    ole = _open(stream)
    try:
        return _read(ole)
    except Unreadable:
        raise
    except Exception as exc:
        raise Unreadable(f"{name}: corrupt Outlook message ({type(exc).__name__})") from None
    finally:
        ole.close()
        stream.seek(0)


def _read(ole) -> Mail:  # type: ignore[no-untyped-def]
    fixed = _fixed(ole, _PROPERTIES, header=32)
    codepage = fixed.get(_INTERNET_CODEPAGE) or fixed.get(_MESSAGE_CODEPAGE)
    declared = f"cp{codepage}" if isinstance(codepage, int) and codepage else None

    def text(prop: int, where: str = "") -> str:
        return _string(ole, where, prop, declared)

    subject = text(_SUBJECT)
    sender = text(_SENDER_SMTP) or text(_SENDER_ADDRESS)
    sender_name = text(_SENDER_NAME)
    body_read: dict[str, str] = {}
    body = ""
    raw = _stream(ole, f"__substg1.0_{_BODY:04X}001E")
    if ole.exists(f"__substg1.0_{_BODY:04X}001F"):
        body = text(_BODY)
        body_read = {"type": "text/plain", "encoding": "utf-16-le", "decoded": "MAPI Unicode"}
    elif raw is not None:
        decoded = decoding.decode(raw, declared)
        body = decoded.text.rstrip("\0")
        body_read = {"type": "text/plain", "encoding": decoded.encoding,
                     "decoded": decoded.label}
    else:
        html = _stream(ole, f"__substg1.0_{_HTML:04X}0102")
        if html:
            decoded = decoding.decode(html.rstrip(b"\0"), declared)
            body = html_text(decoded.text)
            body_read = {"type": "text/html", "encoding": decoded.encoding,
                         "decoded": decoded.label}
    when = fixed.get(_SUBMIT_TIME) or fixed.get(_DELIVERY_TIME)
    sent_at = (_FILETIME_EPOCH + timedelta(microseconds=when // 10)
               if isinstance(when, int) and when else None)
    headers = {"From": f"{sender_name} <{sender}>" if sender_name and sender else sender,
               "To": text(_TO), "Cc": text(_CC), "Subject": subject,
               "Date": sent_at.isoformat() if sent_at else "", "Message-ID": text(_MESSAGE_ID)}
    return Mail(headers={k: v for k, v in headers.items() if v}, sender=sender or "unknown",
                sender_name=sender_name, subject=subject, sent_at=sent_at, body=body,
                attachments=tuple(_attachments(ole, declared)), body_read=body_read)


def _stream(ole, path: str) -> bytes | None:  # type: ignore[no-untyped-def]
    if not ole.exists(path):
        return None
    data: bytes = ole.openstream(path).read()
    return data


def _string(ole, where: str, prop: int, declared: str | None) -> str:  # type: ignore[no-untyped-def]
    """A string property: Unicode (001F, UTF-16LE) or 8-bit (001E, in the message's code
    page, else detected)."""
    wide = _stream(ole, f"{where}__substg1.0_{prop:04X}001F")
    if wide is not None:
        return wide.decode("utf-16-le", "replace").rstrip("\0")
    narrow = _stream(ole, f"{where}__substg1.0_{prop:04X}001E")
    if narrow is not None:
        return decoding.decode(narrow.rstrip(b"\0"), declared).text
    return ""


def _fixed(ole, path: str, *, header: int) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """The fixed-size integer and time properties of a property stream, by property id."""
    data = _stream(ole, path) or b""
    found: dict[int, int] = {}
    for offset in range(header, len(data) - 15, 16):
        tag, _flags, value = struct.unpack_from("<IIQ", data, offset)
        kind, prop = tag & 0xFFFF, tag >> 16
        if kind == 0x0003:  # PT_LONG
            found[prop] = value & 0xFFFFFFFF
        elif kind in (0x0040, 0x0014):  # PT_SYSTIME, PT_I8
            found[prop] = value
    return found


def _attachments(ole, declared: str | None) -> list[Attachment]:  # type: ignore[no-untyped-def]
    storages = sorted({entry[0] for entry in ole.listdir(streams=True, storages=True)
                       if entry and entry[0].startswith("__attach_version1.0_#")})
    if len(storages) > MAX_ATTACHMENTS:
        raise Unreadable(f"the message claims {len(storages)} attachments, more than "
                         f"{MAX_ATTACHMENTS}")
    out = []
    for index, storage in enumerate(storages, start=1):
        where = storage + "/"
        data = _stream(ole, f"{where}__substg1.0_{_ATTACH_DATA:04X}0102")
        if not data:
            # An embedded message (3701000D) or a link: not a file to keep on its own.
            continue
        name = (_string(ole, where, _ATTACH_LONG_NAME, declared)
                or _string(ole, where, _ATTACH_NAME, declared) or f"attachment-{index}")
        out.append(Attachment(name, data))
    return out
