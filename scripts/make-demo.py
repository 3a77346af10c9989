"""Build the demo: a vault with a synthetic dossier, one user per role and a victim link run.

The external reviewer (an outside lawyer's time-limited account) is scoped to the demo's
charge and sets up a second factor (an authenticator app's code) at first login, as every
reviewer must.

Used by `make demo`. Secrets (the vault passphrase and the demo users' passwords) are made
at random and written to the --secrets folder, never into the repository.
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
from pathlib import Path

USERS = [
    ("amal", "administrator", ["sources", "sogi", "protection", "addresses"]),
    ("rana", "documenter", ["sources", "addresses"]),
    ("samir", "analyst", []),
    ("layla", "legal", ["sources"]),
    ("victor", "viewer", []),
]
REVIEWER = "noura"  # external reviewer of the demo charge, for 14 days


def dhakira(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "dhakira", *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--secrets", type=Path, required=True)
    args = parser.parse_args()
    if args.vault.exists() and any(args.vault.iterdir()):
        sys.exit(f"{args.vault} exists and is not empty; `make clean-demo` removes it")
    args.secrets.mkdir(mode=0o700, exist_ok=True)
    passphrase = args.secrets / "passphrase"
    passphrase.write_text(secrets.token_urlsafe(24) + "\n")
    logins = []
    for username, role, clearances in USERS:
        password = f"demo-{secrets.token_urlsafe(9)}"
        (args.secrets / f"{username}.password").write_text(password + "\n")
        logins.append(f"  {username:8} {password:22} {role}"
                      + (f" (cleared: {', '.join(clearances)})" if clearances else ""))
    password = f"demo-{secrets.token_urlsafe(9)}"
    (args.secrets / f"{REVIEWER}.password").write_text(password + "\n")
    logins.append(f"  {REVIEWER:8} {password:22} external reviewer of CH-0001 (14 days; "
                  "sets up a second factor at first login)")
    vault = str(args.vault)
    first = USERS[0][0]
    dhakira("init", "--vault", vault, "--passphrase-file", str(passphrase), "--admin", first,
            "--admin-password-file", str(args.secrets / f"{first}.password"))
    for username, role, clearances in USERS[1:]:
        clearance_args = [a for c in clearances for a in ("--clearance", c)]
        dhakira("user", "add", "--vault", vault, "--passphrase-file", str(passphrase),
                "--username", username, "--role", role, *clearance_args,
                "--as", first, "--password-file", str(args.secrets / f"{first}.password"),
                "--new-password-file", str(args.secrets / f"{username}.password"))
    dhakira("demo-data", "--vault", vault, "--passphrase-file", str(passphrase),
            "--truth-out", str(args.secrets / "truth.json"), "--charge-by", "layla",
            "--password-file", str(args.secrets / "layla.password"))
    dhakira("reviewer", "add", "--vault", vault, "--passphrase-file", str(passphrase),
            "--username", REVIEWER, "--charge", "CH-0001", "--days", "14", "--as", first,
            "--password-file", str(args.secrets / f"{first}.password"),
            "--new-password-file", str(args.secrets / f"{REVIEWER}.password"))
    # One victim link run, so that the Counting page counts people (the run's clusters, with
    # reviewers' decisions on top) rather than refusing for want of linkage.
    dhakira("link", "--vault", vault, "--passphrase-file", str(passphrase), "--actor", first,
            "--password-file", str(args.secrets / f"{first}.password"))
    (args.secrets / "logins.txt").write_text("\n".join(logins) + "\n")


if __name__ == "__main__":
    main()
