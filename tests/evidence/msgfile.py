"""Outlook .msg files made for the tests: a small writer of compound files ([MS-CFB] version
3) holding the property streams of [MS-OXMSG]. Synthetic content only.

No library writes new compound files (olefile reads them and can only overwrite streams in
place), so the tests build their own: 512-byte sectors, streams under 4,096 bytes in the mini
stream, each storage's children chained as right siblings (all black: a valid, if
unbalanced, red-black tree).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    start: int = END
    sid: int = 0


def _tree(streams: dict[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *dirs, name = path.split("/")
        for part in dirs:
            found = next((c for c in node.children if c.name == part), None)
            if found is None:
                found = _Entry(part, 1)
                node.children.append(found)
            node = found
        node.children.append(_Entry(name, 2, data))
    return root


def _walk(entry: _Entry) -> list[_Entry]:
    out = [entry]
    for child in entry.children:
        out += _walk(child)
    return out


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else END


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` (``"storage/stream": bytes``)."""
    root = _tree(streams)
    entries = _walk(root)
    for sid, entry in enumerate(entries):
        entry.sid = sid
    # The mini stream: small streams, 64 bytes a mini sector.
    mini = bytearray()
    minifat: list[int] = []
    big = []
    for entry in entries:
        if entry.kind != 2:
            continue
        if len(entry.data) < CUTOFF:
            count = -(-len(entry.data) // MINI)
            if count:
                entry.start = len(minifat)
                minifat += [0] * count
                _chain(minifat, entry.start, count)
                mini += entry.data + bytes(count * MINI - len(entry.data))
        else:
            big.append(entry)
    root.data = bytes(mini)
    # Sectors: big streams, the mini stream, the mini FAT, the directory, then the FAT.
    blobs: list[tuple[_Entry | str, bytes]] = [(e, e.data) for e in big]
    if mini:
        blobs.append((root, root.data))
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    directory = _directory(entries)
    layout: list[tuple[_Entry | str, int, bytes]] = []
    cursor = 0
    for owner, data in [*blobs, ("minifat", minifat_bytes), ("dir", directory)]:
        count = -(-len(data) // SECTOR)
        layout.append((owner, cursor, data))
        cursor += count
    fat_count = 1
    while fat_count * (SECTOR // 4) < cursor + fat_count:
        fat_count += 1
    fat = [FREE] * (fat_count * (SECTOR // 4))
    for owner, first, data in layout:
        count = -(-len(data) // SECTOR)
        if count:
            _chain(fat, first, count)
        if isinstance(owner, _Entry):
            owner.start = first if count else END
    for i in range(fat_count):
        fat[cursor + i] = FATSECT
    positions = {o if isinstance(o, str) else "": f for o, f, _ in layout}
    directory = _directory(entries)  # again, now that the starts are known
    body = bytearray()
    for owner, _, data in layout:
        data = directory if owner == "dir" else data
        body += data + bytes(-len(data) % SECTOR)
    body += b"".join(struct.pack("<I", v) for v in fat)
    difat = [cursor + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_count, positions["dir"], 0, CUTOFF,
                            positions["minifat"] if minifat else END,
                            -(-len(minifat_bytes) // SECTOR), END, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    assert len(header) == SECTOR
    return bytes(header + body)


def _directory(entries: list[_Entry]) -> bytes:
    right: dict[int, int] = {}
    child: dict[int, int] = {}
    for entry in entries:
        kids = sorted(entry.children, key=lambda c: (len(c.name), c.name.upper()))
        if kids:
            child[entry.sid] = kids[0].sid
            for a, b in zip(kids, kids[1:], strict=False):
                right[a.sid] = b.sid
    out = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-16-le") + b"\0\0"
        size = len(entry.data) if entry.kind in (2, 5) else 0
        start = entry.start if entry.kind in (2, 5) and size else (END if entry.kind == 5 else 0)
        out += (name + bytes(64 - len(name)) + struct.pack("<HBB", len(name), entry.kind, 1)
                + struct.pack("<III", NOSTREAM, right.get(entry.sid, NOSTREAM),
                              child.get(entry.sid, NOSTREAM))
                + bytes(16) + bytes(4) + bytes(16) + struct.pack("<IQ", start, size))
    out += bytes(-len(out) % SECTOR)
    return bytes(out)


def _prop(prop: int, kind: int) -> str:
    return f"__substg1.0_{prop:04X}{kind:04X}"


def msg_bytes(*, subject: str, body: str | None = None, html: bytes | None = None,
              sender: str = "informant7@example.org", sender_name: str = "Informant",
              to: str = "Desk", attachments: dict[str, bytes] | None = None,
              ansi_codepage: str | None = None, codepage_number: int = 1256) -> bytes:
    """An Outlook message: Unicode (PT_UNICODE) strings, or 8-bit strings in
    ``ansi_codepage`` with PidTagInternetCodepage set to ``codepage_number``."""
    streams: dict[str, bytes] = {}
    kind = 0x001E if ansi_codepage else 0x001F

    def text(prop: int, value: str, where: str = "") -> None:
        data = value.encode(ansi_codepage) if ansi_codepage else value.encode("utf-16-le")
        streams[where + _prop(prop, kind)] = data

    text(0x0037, subject)
    if body is not None:
        text(0x1000, body)
    if html is not None:
        streams[_prop(0x1013, 0x0102)] = html
    text(0x0C1A, sender_name)
    text(0x0C1F, sender)
    text(0x0E04, to)
    # Fixed-size properties: the client submit time (PT_SYSTIME) and the code page (PT_LONG).
    filetime = (1413268200 + 11644473600) * 10_000_000  # 2014-10-14 06:30 UTC
    props = struct.pack("<IIQ", (0x0039 << 16) | 0x0040, 6, filetime)
    props += struct.pack("<IIQ", (0x3FDE << 16) | 0x0003, 6, codepage_number)
    count = len(attachments or {})
    streams["__properties_version1.0"] = (bytes(8) + struct.pack("<IIII", 1, count, 1, count)
                                          + bytes(8) + props)
    streams["__nameid_version1.0/" + _prop(0x0002, 0x0102)] = b""
    streams["__recip_version1.0_#00000000/" + _prop(0x3001, 0x001F)] = to.encode("utf-16-le")
    streams["__recip_version1.0_#00000000/__properties_version1.0"] = bytes(8)
    for index, (name, data) in enumerate((attachments or {}).items()):
        where = f"__attach_version1.0_#{index:08X}/"
        streams[where + _prop(0x3707, 0x001F)] = name.encode("utf-16-le")
        streams[where + _prop(0x3701, 0x0102)] = data
        streams[where + "__properties_version1.0"] = bytes(8)
    return compound_file(streams)
