"""Reading untrusted files in a separate process, with its memory, processor time and wall
time bounded.

Metadata and text come from parsers (pypdf, python-docx, Pillow) that a crafted file can
drive into gigabytes of memory, minutes of work or an unexpected exception. Each read runs
in a fresh ``python -m dhakira.evidence._sandbox`` that limits itself before it reads a
byte: address space (``RLIMIT_AS``), processor seconds (``RLIMIT_CPU``), no core dump and
no file it may write (``RLIMIT_CORE``, ``RLIMIT_FSIZE`` of 0). The file goes in through a
pipe and the result (JSON) comes back through one: plaintext never touches the disk. The
parent kills the child after a wall-clock timeout. Whatever goes wrong becomes
:class:`~dhakira.evidence.extract.Unreadable` with a one-line reason.

No Django here: the child imports this module and :mod:`dhakira.evidence.extract` only.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from dhakira.evidence.extract import MAX_TEXT_BYTES, Extracted, Unreadable

__all__ = ["Limits", "read"]

MIB = 1024 * 1024
_CHUNK = MIB
# The child's answer: metadata and at most MAX_TEXT_BYTES of text, JSON-escaped (up to 6
# bytes a character for escapes); anything longer is not an answer.
_MAX_ANSWER = 6 * MAX_TEXT_BYTES + 16 * MIB
_ERR_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one read may use. ``memory`` is the child's whole address space, interpreter
    included; the file itself is held in it once."""

    memory: int
    cpu_seconds: int
    wall_seconds: float

    @classmethod
    def for_size(cls, size: int) -> Limits:
        """Room for the interpreter and parsers, the file, and twice its size to work in;
        a minute of processor time plus two seconds a MiB; the wall clock allows for a
        loaded machine."""
        cpu = 60 + 2 * (size // MIB)
        return cls(memory=768 * MIB + 3 * size, cpu_seconds=cpu, wall_seconds=3 * cpu + 30)


def read(op: str, stream: BinaryIO, mime: str, size: int, limits: Limits | None = None
         ) -> Extracted:
    """Metadata (``op="meta"``) or text (``op="text"``) of a seekable stream, read in a
    limited child process.

    Raises:
        Unreadable: the file is refused by its parser, or its reading went over a limit or
            crashed; the message says which.
    """
    limits = limits or Limits.for_size(size)
    command = [sys.executable, "-I", "-c", _BOOT, op, mime, str(size), str(limits.memory),
               str(limits.cpu_seconds)]
    stream.seek(0)
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=_child_env(), close_fds=True) as child:
        assert child.stdin and child.stdout and child.stderr  # noqa: S101 (pipes were asked for)
        answer: list[bytes] = []
        errors: list[bytes] = []
        threads = [threading.Thread(target=_feed, args=(stream, child.stdin), daemon=True),
                   threading.Thread(target=_drain, args=(child.stdout, answer, _MAX_ANSWER,
                                                         child), daemon=True),
                   threading.Thread(target=_drain, args=(child.stderr, errors, _ERR_BYTES, None),
                                    daemon=True)]
        for thread in threads:
            thread.start()
        try:
            code = child.wait(timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise Unreadable(f"reading it took longer than {int(limits.wall_seconds)} s; "
                             "refused as a possible attack") from None
        finally:
            for thread in threads:
                thread.join()
            stream.seek(0)
    return _answer(b"".join(answer), code, limits)


def _answer(raw: bytes, code: int, limits: Limits) -> Extracted:
    if code in (-signal.SIGXCPU, -signal.SIGKILL) and not raw:
        raise Unreadable(f"reading it used more than {limits.cpu_seconds} s of processor time; "
                         "refused as a possible attack")
    try:
        answer = json.loads(raw)
    except ValueError:
        why = f"signal {-code}" if code < 0 else f"exit status {code}"
        raise Unreadable(f"its reader stopped without an answer ({why})") from None
    if "unreadable" in answer:
        raise Unreadable(str(answer["unreadable"]))
    return Extracted(metadata=answer["metadata"], text=answer["text"],
                     extractor=answer["extractor"])


def _feed(stream: BinaryIO, sink: IO[bytes]) -> None:
    try:
        while chunk := stream.read(_CHUNK):
            sink.write(chunk)
    except (BrokenPipeError, ValueError, OSError):
        pass  # the child stopped early (a limit, or a parser that read what it needed)
    finally:
        with contextlib.suppress(OSError):
            sink.close()


def _drain(source: IO[bytes], into: list[bytes], limit: int,
           child: subprocess.Popen[bytes] | None) -> None:
    taken = 0
    while chunk := source.read(_CHUNK):
        taken += len(chunk)
        if taken > limit:
            if child is not None:
                child.kill()  # an answer larger than any honest one
                into[:] = [b'{"unreadable": "its text is larger than can be kept"}']
            else:
                into.clear()
            continue
        into.append(chunk)


def _child_env() -> dict[str, str]:
    """Only what the interpreter needs to find Dhakira; nothing else of the parent's."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
            "DHAKIRA_SANDBOX_PATH": os.pathsep.join(p for p in sys.path if p)}


# -I (isolated) ignores PYTHON* variables and the working directory; the import path is
# handed over explicitly instead.
_BOOT = ("import os, sys; sys.path[:0] = os.environ['DHAKIRA_SANDBOX_PATH'].split(os.pathsep); "
         "from dhakira.evidence._sandbox import child_main; child_main(sys.argv[1:])")


def _limit_self(memory: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it may write no file at all
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def child_main(argv: list[str]) -> None:
    """The child: limit itself, read the file from stdin, write one JSON answer to stdout."""
    op, mime, size, memory, cpu = argv[0], argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    _limit_self(memory, cpu)
    from PIL import Image

    from dhakira.evidence import extract

    # No pixel is decoded here: Pillow's pixel-count guard would only refuse large scans.
    Image.MAX_IMAGE_PIXELS = None

    answer: dict[str, Any]
    try:
        data = io.BytesIO(sys.stdin.buffer.read())
        reader = extract.read_metadata if op == "meta" else extract.read_text
        got = reader(data, mime, size)
        answer = {"metadata": got.metadata, "text": got.text, "extractor": got.extractor}
    except Unreadable as exc:
        answer = {"unreadable": str(exc)}
    except MemoryError:
        answer = {"unreadable": f"reading it needs more than {memory // MIB} MiB of memory; "
                                "refused as a possible attack"}
    except RecursionError:
        answer = {"unreadable": "it is nested too deeply to read; refused as a possible attack"}
    except Exception as exc:  # a parser's own bug on hostile input: say which
        answer = {"unreadable": f"its {extract.kind_of(mime)} reader failed on it "
                                f"({type(exc).__name__})"}
    try:
        out = json.dumps(answer).encode()
    except MemoryError:
        out = json.dumps({"unreadable": "its text is too large to keep"}).encode()
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
