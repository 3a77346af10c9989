"""`dhakira lock` end to end: a real `dhakira serve`, a signal, and the locked page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.protection._served import (
    PASSPHRASE,
    Served,
    clean_env,
    dhakira,
    make_vault,
    serving,
    wait_for,
)

pytestmark = pytest.mark.backend_independent


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    env = clean_env()
    vault, secret = make_vault(tmp_path, env)
    with serving(vault, secret, env) as server:
        yield server
    assert not (vault / "serve.pid").exists()


def test_dhakira_lock_makes_the_running_server_serve_only_the_locked_page(served: Served) -> None:
    vault, env = served.vault, served.env
    assert served.status("/login/")[0] == 200
    result = dhakira("lock", "--vault", str(vault), env=env)
    assert result.returncode == 0, result.stderr
    wait_for(lambda: served.status("/login/")[0] == 423, "the lock")
    # Static files (CSS, JS) are served outside Django's middleware and hold no data.
    for path in ("/", "/login/", "/people/", "/protection/", "/admin/", "/evidence/"):
        assert served.status(path)[0] == 423, path
    code, body = served.status("/unlock/", {"passphrase": "wrong"})
    assert code == 423 and "Wrong passphrase" in body
    assert served.status("/login/")[0] == 423
    code, _ = served.status("/unlock/", {"passphrase": PASSPHRASE})
    assert code == 200  # redirected to the login page, served again
    assert served.status("/login/")[0] == 200
