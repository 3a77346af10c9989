"""A command forked warm (``tests/warm.py``) is the process ``subprocess.run`` would have made:
its own environment, folder, input, output, status and session, and Django's settings read
from its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests import warm

from dhakira.cli._common import LANGUAGE_VARIABLES


def test_the_child_has_the_environment_folder_and_input_it_was_given(tmp_path: Path) -> None:
    code = ("import os, sys; print(os.getcwd()); print(os.environ.get('GIVEN'), os.environ.get('HOME'));"
            "print(sys.stdin.read()); print(sys.argv[1:]); print('on error', file=sys.stderr); sys.exit(3)")
    done = warm.python("-c", code, "an argument", env={"GIVEN": "yes"}, cwd=tmp_path,
                       input="typed\nلا")
    assert done.returncode == 3
    assert done.stdout.splitlines() == [str(tmp_path), "yes None", "typed", "لا", "['an argument']"]
    assert done.stderr == "on error\n"


def test_without_input_the_child_reads_an_empty_standard_input() -> None:
    assert warm.python("-c", "import sys; print(repr(sys.stdin.read()))").stdout == "''\n"


def test_each_child_reads_django_settings_from_its_own_environment(tmp_path: Path) -> None:
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'dhakira.apps.web.settings';"
            "from django.conf import settings; print(settings.VAULT_DIR)")
    for name in ("one", "two"):
        done = warm.python("-c", code, env={**os.environ, "DHAKIRA_VAULT": str(tmp_path / name)})
        assert done.stdout.strip() == str(tmp_path / name), done.stderr


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_command_says_exactly_what_it_says_in_a_process_of_its_own(lang: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES} | {"DHAKIRA_LANG": lang}
    for argv in (("--help",), ("no-such-command",), ("check", "--vault", "/nowhere", "--passphrase-file",
                                                     "/nowhere/pass")):
        forked = warm.python("-m", "dhakira", *argv, env=env, timeout=120)
        real = subprocess.run([sys.executable, "-m", "dhakira", *argv], env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert (forked.returncode, forked.stdout, forked.stderr) == (
            real.returncode, real.stdout, real.stderr)


def test_an_uncaught_error_a_signal_and_a_new_session_end_as_in_python() -> None:
    failed = warm.python("-c", "raise ValueError('no')")
    assert failed.returncode == 1 and failed.stderr.rstrip().endswith("ValueError: no")
    killed = warm.python("-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    assert killed.returncode == -9
    alone = warm.python("-c", "import os; print(os.getsid(0) == os.getpid())", start_new_session=True)
    assert alone.stdout == "True\n"
    assert warm.python("-c", "import os; print(os.getsid(0) == os.getpid())").stdout == "False\n"


def test_a_command_past_its_time_is_killed() -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        warm.python("-c", "import time; time.sleep(60)", timeout=0.5)
    assert warm.python("-c", "print('next')").stdout == "next\n"  # the zygote goes on


def test_only_python_s_own_ways_of_naming_a_program_are_taken() -> None:
    with pytest.raises(ValueError, match="only -m MODULE"):
        warm.python("-I", "-m", "dhakira")


def test_a_child_ends_as_python_ends_closing_what_the_command_left_open(tmp_path: Path) -> None:
    # SQLite folds its write-ahead log back into the database when the connection closes:
    # a child that skipped Python's finalisation left dossier.db-wal behind after `init`.
    code = ("import atexit, sqlite3, sys; db = sqlite3.connect(sys.argv[1]);"
            "db.execute('PRAGMA journal_mode=wal'); db.execute('CREATE TABLE t (x)'); db.commit();"
            "atexit.register(print, 'bye')")
    real = subprocess.run([sys.executable, "-c", code, str(tmp_path / "real.db")],
                          capture_output=True, text=True, timeout=60)
    forked = warm.python("-c", code, str(tmp_path / "forked.db"), timeout=60)
    assert real.stdout == forked.stdout == "bye\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forked.db", "real.db"]
