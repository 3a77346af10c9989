"""Watch every byte a process tree writes to files, for canary tests.

``strace -f`` records each write-family system call with the file it goes to and (the first
``SNAPSHOT`` bytes of) its data, so a file that is written and deleted again, or never had a
name (``O_TMPFILE``), is seen as well as one left behind. Make the canary dense in the
material (a short line repeated) so every write of it shows one within the snapshot.

Calls that move bytes without showing them to strace (``sendfile``, ``copy_file_range``,
``splice``) into a file are reported as leaks too: what cannot be checked is not trusted.
Writes through ``mmap`` are not system calls; scan the files left afterwards for those
(:func:`files_holding`).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SNAPSHOT = 16 * 1024
_WRITES = "write,pwrite64,writev,pwritev,pwritev2"
_BLIND = "sendfile,sendfile64,copy_file_range,splice"
_CALL = re.compile(r"^\d+\s+(\w+)\((\d+)<([^>]*)>(\(deleted\))?,?(.*)$")
_STRING = re.compile(r'"((?:\\x[0-9a-f]{2})*)"')
_HEX = re.compile(r"\\x([0-9a-f]{2})")


def _unhex(text: str) -> bytes:
    return bytes(int(h, 16) for h in _HEX.findall(text))


@functools.cache
def available() -> str | None:
    """None if strace can trace here, else why not (for a skip reason)."""
    if shutil.which("strace") is None:
        return "strace is not installed (make system installs it)"
    probe = subprocess.run(command(Path("/dev/null"), ["true"]), capture_output=True,
                           text=True, check=False)
    if probe.returncode != 0:
        return f"strace cannot trace here: {probe.stderr.strip()[:200]}"
    return None


def command(log: Path, argv: Sequence[str]) -> list[str]:
    """``argv`` run under strace, its writes recorded in ``log``."""
    return ["strace", "-f", "-qq", "-y", "-xx", "-s", str(SNAPSHOT), "--seccomp-bpf",
            "-e", f"trace={_WRITES},{_BLIND}", "-o", str(log), *argv]


@dataclass
class Report:
    """What a trace shows: every file path written, and each write that carried a needle."""

    written: set[str] = field(default_factory=set)
    leaks: list[str] = field(default_factory=list)


def read(log: Path, needles: Iterable[bytes]) -> Report:
    """Every file written in ``log`` and every write to a file that carried a needle.

    A needle split across two writes to the same file is caught too (the end of the
    previous write is kept per file). Pipes, sockets and ``/dev`` are not files on disk.
    """
    needles = [n for n in needles if n]
    keep = max(len(n) for n in needles) - 1
    tails: dict[str, bytes] = {}
    report = Report()
    with log.open(encoding="ascii", errors="replace") as lines:
        for line in lines:
            match = _CALL.match(line)
            if not match:
                continue
            call, _fd, raw_path, deleted, rest = match.groups()
            path = _unhex(raw_path).decode("utf-8", "replace") + (" (deleted)" if deleted else "")
            if not path.startswith("/") or path.startswith(("/dev/", "/proc/")):
                continue
            report.written.add(path)
            if call in _BLIND.split(","):
                report.leaks.append(f"{call} into {path}: bytes strace cannot show")
                continue
            data = b"".join(_unhex(s) for s in _STRING.findall(rest))
            joined = tails.get(path, b"") + data
            for needle in needles:
                if needle in joined:
                    report.leaks.append(f"{needle[:40]!r} written to {path} ({call})")
            tails[path] = joined[-keep:] if keep else b""
    return report


def files_holding(folders: Iterable[Path], needles: Iterable[bytes]) -> list[str]:
    """Files under ``folders`` whose bytes contain a needle (what is left on disk)."""
    needles = list(needles)
    found = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found += [f"{path}: {n[:40]!r}" for n in needles if n in data]
    return found
