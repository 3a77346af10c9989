"""The ``dhakira`` command.

Each subcommand parses its input, calls one function of the library and formats the
result. Errors are one line on stderr and a non-zero exit (listed in ``dhakira --help``).
Secrets come from a prompt or ``--passphrase-file``, never from argv or the environment.

Exit codes:
    0 success · 1 error · 2 wrong passphrase · 3 vault locked · 4 not a vault ·
    5 integrity problem found · 6 vault needs `dhakira migrate` · 7 vault made by a newer
    Dhakira · 8 the database or a file refused (locked, full, unreadable) · 64 usage error (click's
    own included: ``_common.Dhakira``) · 65 a document to import refused
"""

# Importing a command module registers its commands.
from dhakira.cli import (  # noqa: F401
    dossier,
    evidence,
    faces,
    handover,
    importing,
    keys,
    legal,
    protection,
    server,
    sync,
    vault,
    vetting,
)
from dhakira.cli._common import EXIT_INTEGRITY, CommandError, main

__all__ = ["EXIT_INTEGRITY", "CommandError", "main"]
