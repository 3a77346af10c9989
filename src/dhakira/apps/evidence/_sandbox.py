"""Reading untrusted files in separate processes, with their memory, processor time and wall
time bounded.

Metadata and text come from parsers (pypdf, python-docx, Pillow) that a crafted file can
drive into gigabytes of memory, minutes of work or an unexpected exception. They run in
``python -I -c …`` workers that limit themselves before they read a byte: address space
(``RLIMIT_AS``), no core dump and no file they may write (``RLIMIT_CORE``, ``RLIMIT_FSIZE``
of 0), and, for each file, processor seconds (``RLIMIT_CPU``). The file goes in through a
pipe and the answer (JSON) comes back through one: plaintext never touches the disk. The
parent kills a worker that has not answered within the wall-clock limit. Whatever goes
wrong becomes :class:`~dhakira.apps.evidence.extract.Unreadable` with a one-line reason.

Starting Python and importing the parsers costs far more than reading a typical file, so
workers are kept and reused: at most one per processor, each for up to
:data:`MAX_SERVED` files; a worker that refused a file, went over a limit or crashed is
never reused. A file larger than :data:`POOL_FILE_BYTES` gets a worker of its own, with
room for its size.

No Django here: the worker imports this module and :mod:`dhakira.apps.evidence.extract` only.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, BinaryIO

from dhakira.apps.evidence.extract import MAX_TEXT_BYTES, Extracted, Unreadable

__all__ = ["MAX_SERVED", "POOL_FILE_BYTES", "Limits", "read", "shutdown"]

MIB = 1024 * 1024
POOL_FILE_BYTES = 64 * MIB
MAX_SERVED = 200
MAX_WORKERS = max(2, os.cpu_count() or 2)
# The answer: metadata and at most MAX_TEXT_BYTES of text, JSON-escaped (up to 6 bytes a
# character); anything longer is not an honest answer.
_MAX_ANSWER = 6 * MAX_TEXT_BYTES + 16 * MIB
_LENGTH = struct.Struct("!Q")


@dataclass(frozen=True)
class Limits:
    """What reading one file may use. ``memory`` is the worker's whole address space,
    interpreter and parsers included; the file itself is held in it once."""

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


class _Died(Exception):
    def __init__(self, code: int | None) -> None:
        super().__init__(code)
        self.code = code


class _Worker:
    """One worker process and its pipes (unbuffered: the parent reads with a deadline)."""

    def __init__(self, memory: int) -> None:
        self.memory = memory
        self.served = 0
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", _BOOT, str(memory)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=child_env(), bufsize=0,
            close_fds=True)

    def ask(self, op: str, mime: str, stream: BinaryIO, size: int, limits: Limits) -> bytes:
        """Send one file, return the raw answer.

        Raises:
            _Died: the worker ended (killed at the deadline: ``code`` None) without an answer.
        """
        self.served += 1
        head = json.dumps({"op": op, "mime": mime, "size": size, "cpu": limits.cpu_seconds})
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            # A worker that stops reading (the file does not fit in its memory) has either
            # answered why or died: the answer, or its end, tells which.
            self._send(head.encode() + b"\n", stream, size)
        return self._answer(limits.wall_seconds)

    def _send(self, head: bytes, stream: BinaryIO, size: int) -> None:
        pipe = self.process.stdin
        assert pipe is not None  # asked for above
        _write_all(pipe.fileno(), head)
        left = size
        stream.seek(0)
        while left > 0:
            chunk = stream.read(min(MIB, left))
            if not chunk:  # shorter than it said: pad, the reader sees a damaged file
                chunk = b"\0" * min(MIB, left)
            _write_all(pipe.fileno(), chunk)
            left -= len(chunk)

    def _answer(self, wall: float) -> bytes:
        out = self.process.stdout
        assert out is not None
        poller = select.poll()
        poller.register(out.fileno(), select.POLLIN)
        deadline = time.monotonic() + wall
        raw = bytearray()
        want: int | None = None
        while want is None or len(raw) < want:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(remaining * 1000):
                self.kill()
                raise _Died(None)
            chunk = os.read(out.fileno(), MIB)
            if not chunk:
                raise _Died(self.process.wait())
            raw += chunk
            if want is None and len(raw) >= _LENGTH.size:
                want = _LENGTH.size + _LENGTH.unpack_from(raw)[0]
                if want > _MAX_ANSWER:
                    self.kill()
                    return b'{"unreadable": "its text is larger than can be kept"}'
        return bytes(raw[_LENGTH.size:want])

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _Pool:
    """Idle workers for files up to POOL_FILE_BYTES, at most MAX_WORKERS reading at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.slots = threading.BoundedSemaphore(MAX_WORKERS)
        self.memory = Limits.for_size(POOL_FILE_BYTES).memory

    def take(self) -> _Worker:
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.process.poll() is None:
                    return worker
        return _Worker(self.memory)

    def give_back(self, worker: _Worker) -> None:
        with self.lock:
            if worker.served < MAX_SERVED and len(self.idle) < MAX_WORKERS:
                self.idle.append(worker)
                return
        worker.kill()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.kill()


_POOL = _Pool()
atexit.register(_POOL.close)


def shutdown() -> None:
    """End every idle worker (on lock: nothing that has read evidence stays running)."""
    _POOL.close()


def read(op: str, stream: BinaryIO, mime: str, size: int, limits: Limits | None = None
         ) -> Extracted:
    """Metadata (``op="meta"``) or text (``op="text"``) of a seekable stream, read by a
    limited worker process.

    Args:
        limits: for this file; by default :meth:`Limits.for_size` (a file of up to
            POOL_FILE_BYTES is read by a reused worker with room for that size).

    Raises:
        Unreadable: the file is refused by its parser, or its reading went over a limit or
            crashed; the message says which.
    """
    stream.seek(0, os.SEEK_END)
    length = stream.tell()  # what is sent, whatever the caller believes
    pooled = limits is None and length <= POOL_FILE_BYTES
    limits = limits or Limits.for_size(length)
    with _POOL.slots:
        worker = _POOL.take() if pooled else _Worker(limits.memory)
        try:
            raw = worker.ask(op, mime, stream, length, limits)
        except _Died as died:
            worker.kill()
            raise Unreadable(_death(died.code, limits)) from None
        except BaseException:
            worker.kill()
            raise
        finally:
            stream.seek(0)
        answer = _parse(raw)
        if pooled and "unreadable" not in answer:
            _POOL.give_back(worker)
        else:
            worker.kill()  # a worker that met a hostile file is not trusted again
    if "unreadable" in answer:
        raise Unreadable(str(answer["unreadable"]))
    return Extracted(metadata=answer["metadata"], text=answer["text"],
                     extractor=answer["extractor"])


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(raw)
    except ValueError:
        return {"unreadable": "its reader gave no answer"}
    return answer if isinstance(answer, dict) else {"unreadable": "its reader gave no answer"}


def _death(code: int | None, limits: Limits) -> str:
    if code is None:
        return (f"reading it took longer than {int(limits.wall_seconds)} s; refused as a "
                "possible attack")
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return (f"reading it used more than {limits.cpu_seconds} s of processor time; refused "
                "as a possible attack")
    why = f"signal {-code}" if code < 0 else f"exit status {code}"
    return f"its reader stopped without an answer ({why})"


def child_env() -> dict[str, str]:
    """Only what a child interpreter needs to find Dhakira (and PATH for the tools it may
    run); nothing else of the parent's. Shared with :mod:`dhakira.apps.evidence.render`."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
            "DHAKIRA_SANDBOX_PATH": os.pathsep.join(p for p in sys.path if p)}


# -I (isolated) ignores PYTHON* variables and the working directory (the import path is
# handed over explicitly instead); -B writes no bytecode.
_BOOT = ("import os, sys; sys.path[:0] = os.environ['DHAKIRA_SANDBOX_PATH'].split(os.pathsep); "
         "from dhakira.apps.evidence._sandbox import worker_main; worker_main(int(sys.argv[1]))")


def _limit_self(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it may write no file at all
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _limit_cpu(seconds: int) -> None:
    """Allow ``seconds`` more of processor time from now (the limit counts from the start)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = used + seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def worker_main(memory: int) -> None:
    """The worker: limit itself, then answer one request after another until stdin closes."""
    _limit_self(memory)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when it ends
    from PIL import Image

    from dhakira.apps.evidence import extract

    # No pixel is decoded here: Pillow's pixel-count guard would only refuse large scans.
    Image.MAX_IMAGE_PIXELS = None
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while head := source.readline():
        request = json.loads(head)
        try:
            data = io.BytesIO(source.read(request["size"]))
        except MemoryError:  # not even the file fits: answer, and end (the pipe is mid-file)
            _reply(sink, {"unreadable": _too_big(memory)})
            return
        _limit_cpu(request["cpu"])
        answer = _serve(extract, request, data, memory)
        del data
        try:
            _reply(sink, answer)
        except MemoryError:
            _reply(sink, {"unreadable": "its text is too large to keep"})


def _reply(sink: BinaryIO, answer: dict[str, Any]) -> None:
    out = json.dumps(answer).encode()
    sink.write(_LENGTH.pack(len(out)) + out)
    sink.flush()


def _too_big(memory: int) -> str:
    return (f"reading it needs more than {memory // MIB} MiB of memory; refused as a possible "
            "attack")


def _serve(extract: Any, request: dict[str, Any], data: BinaryIO, memory: int
           ) -> dict[str, Any]:
    mime, size = request["mime"], request["size"]
    try:
        reader = extract.read_metadata if request["op"] == "meta" else extract.read_text
        got = reader(data, mime, size)
        return {"metadata": got.metadata, "text": got.text, "extractor": got.extractor}
    except Unreadable as exc:
        return {"unreadable": str(exc)}
    except MemoryError:
        return {"unreadable": _too_big(memory)}
    except RecursionError:
        return {"unreadable": "it is nested too deeply to read; refused as a possible attack"}
    except Exception as exc:  # a parser's own bug on hostile input: say which
        return {"unreadable": f"its {extract.kind_of(mime)} reader failed on it "
                              f"({type(exc).__name__})"}
