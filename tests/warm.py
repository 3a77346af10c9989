"""``python -m dhakira …`` (and the suite's other ``python`` runs), started warm.

A ``dhakira check`` spends about 0.4 s of CPU, nearly all of it importing some 750 modules
(Django, click, cryptography, …), before it does anything, and the suite runs many commands.
Each test process therefore keeps one helper process, the *zygote*, that imports the
libraries commands import before Django is set up (and the science stack that linking and
counting import), and forks a child for each command.

The child is a process of its own, as ``subprocess.run`` would make it: the environment,
working folder, standard input, output and error the test gave; it then runs the module's
``__main__`` as ``python -m`` does (or the ``-c`` code, or the script), sets Django up on its
own vault and exits with the command's status. What it skips is the import of the libraries,
nothing else: the zygote never reads Django's settings nor loads an app (it checks both), so
every child reads the settings of its own environment.

Tests about a process itself start a real one with ``subprocess``: what a command loads when
it starts (``tests/cli/test_startup.py``), what it holds in memory, signals and kills, and
servers.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, NoReturn

# What commands import before Django's set-up; none of it reads the settings.
PRELOAD = (
    "dhakira.cli",
    "django.db.models",
    "django.db.migrations",
    "django.db.backends.sqlite3.base",
    "django.forms",
    "django.template",
    "django.core.management",
    "django.core.serializers.json",
    "django.contrib.auth.hashers",
    "django.contrib.auth.password_validation",
    "email.mime.multipart",
    "sqlparse",
    "sqlcipher3",
    "psycopg",
    "argon2",
    "yaml",
    "filetype",
    "cryptography.hazmat.primitives.ciphers.aead",
    "cryptography.hazmat.primitives.kdf.hkdf",
    "cryptography.hazmat.primitives.asymmetric.ed25519",
    "cryptography.x509",
    # Dhakira's cores that opening a vault imports, and what Django imports after its set-up
    # for the migrations check and the first template.
    "dhakira.core.vault.keyslots",
    "dhakira.core.vault.blobs",
    "dhakira.core.custody.verify",
    "dhakira.core.law",
    "dhakira.core.lastuse",
    "django.db.migrations.executor",
    "django.template.defaulttags",
    "django.template.loader_tags",
    "django.templatetags.i18n",
    # The science stack (numpy, SciPy, pandas, Splink, DuckDB: about 1 s of CPU): every
    # `link`, `estimate`, `demo-data` and `brief` imports it, and the suite runs about 60.
    "dhakira.core.counting.api",
    "dhakira.core.linkage",
)

# The suite's CPU in this process's forked commands (tests/cputime.py adds it to a test's).
forked_cpu = 0.0

_zygote: list[subprocess.Popen[bytes]] = []
_lock = threading.Lock()


def python(*argv: str, env: dict[str, str] | None = None, input: str | None = None,
           cwd: Path | str | None = None, timeout: float | None = None,
           start_new_session: bool = False) -> subprocess.CompletedProcess[str]:
    """``python ARGV`` (``-m MODULE …``, ``-c CODE …`` or ``SCRIPT …``) as
    ``subprocess.run([sys.executable, *argv], capture_output=True, text=True, …)`` runs it,
    forked from this process's zygote. Standard input is ``input``, or empty.

    Raises:
        subprocess.TimeoutExpired: the command ran past ``timeout`` seconds (it was killed).
    """
    global forked_cpu
    if not argv or (argv[0] in ("-m", "-c") and len(argv) < 2) or (
            argv[0].startswith("-") and argv[0] not in ("-m", "-c")):
        raise ValueError(f"python {' '.join(argv)}: only -m MODULE, -c CODE or a script")
    env = dict(os.environ if env is None else env)
    with tempfile.TemporaryDirectory(prefix="warm-") as folder:
        files = {name: Path(folder) / name for name in ("stdin", "stdout", "stderr")}
        for path in files.values():
            path.touch(mode=0o600)
        if input is not None:
            files["stdin"].write_text(input, encoding="utf-8")
        request = {"argv": list(argv), "env": env, "cwd": str(cwd or os.getcwd()),
                   "timeout": timeout, "new_session": start_new_session,
                   "stdin": str(files["stdin"]) if input is not None else os.devnull,
                   "stdout": str(files["stdout"]), "stderr": str(files["stderr"])}
        with _lock:
            zygote = _started()
            assert zygote.stdin is not None and zygote.stdout is not None
            zygote.stdin.write(json.dumps(request).encode() + b"\n")
            zygote.stdin.flush()
            line = zygote.stdout.readline()
        if not line:
            raise RuntimeError("the suite's zygote ended; see its error output above")
        reply = json.loads(line)
        forked_cpu += reply["cpu"]
        out, err = (_text(files[name]) for name in ("stdout", "stderr"))
    command = [sys.executable, *argv]
    if reply["timed_out"]:
        raise subprocess.TimeoutExpired(command, timeout or 0, output=out, stderr=err)
    return subprocess.CompletedProcess(command, reply["status"], out, err)


def _text(path: Path) -> str:
    # As subprocess's text mode reads a pipe: UTF-8, universal newlines.
    return path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _started() -> subprocess.Popen[bytes]:
    if _zygote and _zygote[0].poll() is None:
        return _zygote[0]
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DHAKIRA_VAULT", "DHAKIRA_DATABASE_URL")}
    src = str(Path(__file__).resolve().parent.parent)  # for `tests.warm`; each child sets its own
    zygote = subprocess.Popen([sys.executable, "-c", f"import sys; sys.path[0] = {src!r}; "
                               "from tests import warm; warm.serve()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    _zygote[:] = [zygote]
    return zygote


@atexit.register
def stop() -> None:
    """End this process's zygote (its commands' CPU is then this process's children's)."""
    for zygote in _zygote:
        if zygote.poll() is None:
            assert zygote.stdin is not None
            zygote.stdin.close()
            zygote.wait()
    _zygote.clear()


# The zygote's side.

def serve() -> None:
    """Import :data:`PRELOAD`, then fork a child for each request read from standard input."""
    import importlib

    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    for name in PRELOAD:
        importlib.import_module(name)
    from django.apps import apps
    from django.conf import settings

    # A child must read the settings of its own environment: nothing here may have read them.
    assert not settings.configured and not apps.ready, "a preloaded module read Django's settings"
    assert threading.active_count() == 1, "a preloaded module started a thread; forking would lose it"
    import gc

    gc.freeze()  # the children's collections leave the preloaded objects alone (no copied pages)
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            requests.close()
            replies.close()
            _child(request)  # ends the child's Python, as its own process would end
        replies.write(json.dumps(_waited(pid, request["timeout"])).encode() + b"\n")
        replies.flush()


def _waited(pid: int, timeout: float | None) -> dict[str, Any]:
    import select
    import signal

    timed_out = False
    with os.fdopen(os.pidfd_open(pid), "rb", buffering=0) as pidfd:
        if not select.select([pidfd], [], [], timeout)[0]:
            os.kill(pid, signal.SIGKILL)
            timed_out = True
    _, status, usage = os.wait4(pid, 0)
    return {"status": os.waitstatus_to_exitcode(status), "timed_out": timed_out,
            "cpu": usage.ru_utime + usage.ru_stime}


def _child(request: dict[str, Any]) -> NoReturn:
    """Become ``python ARGV`` with the request's environment, folder and files.

    Never returns: it ends by raising ``SystemExit`` out of :func:`serve`, so that the child
    leaves Python the way a process of its own does (atexit, then the interpreter's own
    finalisation, which closes what the command left open, such as a database connection
    whose write-ahead log SQLite folds back into the database file only on closing).
    """
    import io
    import traceback

    try:
        for fd, name, flags in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY),
                                (2, "stderr", os.O_WRONLY)):
            opened = os.open(request[name], flags)
            os.dup2(opened, fd)
            os.close(opened)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        encoding = os.environ.get("PYTHONIOENCODING", "utf-8").split(":")[0] or "utf-8"
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=encoding)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=encoding)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=encoding,
                                      errors="backslashreplace", line_buffering=True)
        if request["new_session"]:
            os.setsid()
    except BaseException:  # the child could not be set up: it must not go on as a zygote
        traceback.print_exc()
        os._exit(1)
    try:
        _main(request["argv"])
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    raise SystemExit(code)


def _main(argv: list[str]) -> None:
    """Run ``python ARGV``'s main module, with ``sys.argv`` and ``sys.path[0]`` as Python sets them."""
    import runpy
    import types

    how, rest = argv[0], argv[1:]
    if how == "-m":
        sys.argv, sys.path[0] = ["-m", *rest[1:]], os.getcwd()
        runpy.run_module(rest[0], run_name="__main__", alter_sys=True)
    elif how == "-c":
        sys.argv, sys.path[0] = ["-c", *rest[1:]], ""
        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main
        exec(compile(rest[0], "<string>", "exec"), main.__dict__)
    else:
        sys.argv, sys.path[0] = list(argv), str(Path(how).resolve().parent)
        runpy.run_path(how, run_name="__main__")


def _exit_code(code: object) -> int:
    # As Python's own exit: None is 0, an int is itself, anything else is printed and is 1.
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
