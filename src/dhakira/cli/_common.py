"""What every `dhakira` subcommand shares: the group, options, secrets and errors."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from dhakira.errors import DhakiraError

EXIT_INTEGRITY = 5
EXIT_STORAGE = 8  # the database or a file refused (locked, full, unreadable)


class CommandError(click.ClickException):
    """A failure with its own exit code, printed as one line."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        click.echo(f"dhakira: {self.format_message()}", err=True)


def fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a DhakiraError, a database error or a file error into one line and an exit code.

    A database error (locked, disk full, damaged) or a file that cannot be read or written
    ends the command; what it had committed stays committed, and ``dhakira check`` tells
    whether the vault is intact.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from django.db import DatabaseError
        from django.utils.translation import gettext as _

        try:
            return func(*args, **kwargs)
        except DhakiraError as exc:
            raise CommandError(in_readers_words(exc), exc.exit_code) from None
        except DatabaseError as exc:
            with speaking():
                raise CommandError(_("the database refused: %(error)s; nothing after that was "
                                     "done (run `dhakira check` to see that the vault is "
                                     "intact)") % {"error": _first_line(exc)},
                                   EXIT_STORAGE) from None
        except OSError as exc:
            why = exc.strerror or _first_line(exc)
            with speaking():
                raise CommandError((_("cannot use %(path)s: %(error)s") % {
                    "path": exc.filename, "error": why} if exc.filename else
                    _("cannot use: %(error)s") % {"error": why}), EXIT_STORAGE) from None

    return wrapper


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def refuse_newer_vault(ctx: click.Context, param: click.Parameter, vault: Path | None) -> Path | None:
    """Refuse a vault made by a newer release before anything is asked or written."""
    from dhakira.core.vault import stamp

    if vault is not None and vault.is_dir():
        try:
            stamp.refuse_newer(vault)
        except DhakiraError as exc:
            raise CommandError(in_readers_words(exc), exc.exit_code) from None
    return vault


def in_readers_words(exc: DhakiraError) -> str:
    """What ``exc`` says, in the reader's language when it carries a code the command line
    words (:mod:`dhakira.cli._words`: a core's errors are English), else its own text."""
    if not exc.code:
        return str(exc)
    with speaking():
        from dhakira.cli._words import error_text

        return error_text(exc)


def vault_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--vault", "vault", required=True, callback=refuse_newer_vault,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="The vault directory.")(func)


def passphrase_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                        help="Read the passphrase from the first line of FILE (for automation). "
                             "Without it you are prompted.")(func)


def gettext_noop(message: str) -> str:
    """``message`` as it is, marked for ``makemessages`` (whose keyword this is) and said
    later by :func:`said`. Django's own needs its settings read, which a prompt before the
    vault is open may not do (:func:`speaking`)."""
    return message


def not_negative(_ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """A whole-number option that may not be negative (a seed: numpy refuses one)."""
    if value is not None and value < 0:
        raise click.BadParameter(said(gettext_noop("%(value)s is below 0; give 0 or more"),
                                      {"value": value}), param=param)
    return value


def said(message: str, values: Mapping[str, Any] | None = None) -> str:
    """``message`` in the reader's language, with ``values`` put in; for what is said before
    a vault is open (a prompt for its passphrase), where :func:`speaking` may not be used.

    It goes through the standard library's gettext, which the ``dhakira`` group points at the
    one catalogue and the reader's language (:func:`click_speaking`), as click's own words
    are. The caller marks ``message`` with ``gettext_noop`` so that ``makemessages`` keeps it.
    """
    import gettext

    text = gettext.gettext(message)
    return text % values if values is not None else text


def read_secret(path: Path | None, prompt: str, *, confirm: bool = False,
                values: Mapping[str, Any] | None = None) -> str:
    """A secret from the first line of ``path``, or typed at a hidden prompt.

    ``prompt`` is said in the reader's language (:func:`said`, with ``values``): mark it with
    ``gettext_noop``.
    """
    if path is not None:
        from django.utils.translation import gettext as _

        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            with speaking():
                raise CommandError(_("%(path)s is not UTF-8 text: put the passphrase on its "
                                     "first line") % {"path": path}, 64) from None
        if not lines or not lines[0]:
            with speaking():
                raise CommandError(_("%(path)s is empty: put the passphrase on its first line")
                                   % {"path": path}, 64)
        return lines[0]
    return prompt_secret(said(prompt, values), confirm=confirm)


# Said before the first prompt when there is no terminal to hide what is typed (the words of
# Python's getpass, which would say it in English, and warn again through ``warnings``).
NO_TERMINAL = gettext_noop("Warning: there is no terminal to hide what is typed, so it may be "
                           "shown.")


def prompt_secret(prompt: str, *, confirm: bool = False) -> str:
    """A secret typed at ``prompt`` (already in the reader's words), hidden when there is a
    terminal; without one, read as typed after saying so once in the reader's language."""
    hidden = _terminal_hides_input()
    if not hidden and not _WARNED:
        _WARNED.append(True)
        click.echo(said(NO_TERMINAL), err=True)
    return str(click.prompt(prompt, hide_input=hidden, confirmation_prompt=confirm, err=True))


_WARNED: list[bool] = []  # the no-terminal warning was said


def _terminal_hides_input() -> bool:
    """Whether typing can be hidden: getpass needs the process's terminal (on POSIX,
    ``/dev/tty``), as it looks for it."""
    if os.name != "posix":
        return True
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


# The prompts for web passwords, said in the reader's language by :func:`read_secret`.
WEB_PASSWORD_FOR = gettext_noop("Web password for %(user)s")
NEW_WEB_PASSWORD_FOR = gettext_noop("New web password for %(user)s")
VAULT_PASSPHRASE = gettext_noop("Vault passphrase")


def actor_password_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                        help="The acting user's web password, from the first line of FILE; "
                             "prompted otherwise.")(func)


def authenticate_actor(username: str, password_file: Path | None) -> Any:
    """The acting user, proven by their web password; read-only roles may not write custody.

    Raises:
        NotAuthenticated: wrong user name or password.
        AccountRefused: a viewer, or a user without a role.
    """
    from django.utils.translation import gettext as _

    from dhakira.apps.dossier import access, accounts
    from dhakira.apps.dossier.errors import AccountRefused

    user = accounts.authenticate(username, read_secret(
        password_file, WEB_PASSWORD_FOR, values={"user": username}))
    if not access.can_write(user):
        with speaking():
            raise AccountRefused(_("%(user)s has a read-only role (or none) and cannot act "
                                   "here") % {"user": username})
    return user


def new_passphrase(path: Path | None, prompt: str,
                   values: Mapping[str, Any] | None = None) -> str:
    """A new vault passphrase, checked for strength before anything is written (``prompt``
    as for :func:`read_secret`)."""
    from dhakira.core.vault.strength import check_passphrase

    passphrase = read_secret(path, prompt, confirm=True, values=values)
    check_passphrase(passphrase)
    return passphrase


# The language of messages: an explicit DHAKIRA_LANG, else the POSIX locale, in its order.
LANGUAGE_VARIABLES = ("DHAKIRA_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


def cli_language() -> str:
    """``ar`` when the first language variable set names Arabic (``ar``, ``ar_IQ.UTF-8``),
    else ``en``."""
    for name in LANGUAGE_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return "ar" if value.lower().startswith("ar") else "en"
    return "en"


@contextmanager
def speaking() -> Iterator[str]:
    """Inside, gettext answers in the reader's language (:func:`cli_language`), as the web
    does for a page; yields that language.

    A command that opened no vault (``estimate --table``, a refusal before the passphrase)
    gets Django set up for its words alone (:func:`_words_only`); such a process may not
    open a vault afterwards (:func:`unlock` refuses)."""
    from django.apps import apps
    from django.utils import translation

    if not apps.ready:
        _words_only()
    lang = cli_language()
    with translation.override(lang):
        yield lang


_WORDS_ONLY: list[bool] = []  # set when Django was set up without a vault, for words alone


def _words_only() -> None:
    """Set Django up on its settings without a vault, to say things in the catalogue's words.

    Nothing is opened or written: setting Django up reads the settings and loads the apps,
    it connects to no database. Remembered, so that :func:`unlock` refuses to open a vault in
    this process afterwards (the settings were read before the vault was named).
    """
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira.apps.web.settings")
    _WORDS_ONLY.append(True)
    django.setup()


# click says its own words (an unknown option, a bad value, a missing one) through the
# standard library's gettext, in the default domain, in the language the environment's
# LANGUAGE names first. Its messages are in the one catalogue too (the web app's), so the
# group points that gettext at the catalogue and at the reader's language while it runs.
CATALOGUE_DOMAIN = "django"


def _catalogue() -> Path:
    """The folder of the compiled translation catalogue (``make messages``)."""
    import dhakira.apps.web

    return Path(dhakira.apps.web.__file__).resolve().parent / "locale"


@contextmanager
def click_speaking() -> Iterator[str]:
    """Inside, click's own messages are in the reader's language (:func:`cli_language`);
    yields that language. The environment's ``LANGUAGE`` and gettext's domain are put back
    after (the command's own processes inherit the language meanwhile, as they would from
    the reader's locale)."""
    import gettext

    lang = cli_language()
    saved_language, saved_domain = os.environ.get("LANGUAGE"), gettext.textdomain()
    gettext.bindtextdomain(CATALOGUE_DOMAIN, str(_catalogue()))
    gettext.textdomain(CATALOGUE_DOMAIN)
    os.environ["LANGUAGE"] = lang
    try:
        yield lang
    finally:
        gettext.textdomain(saved_domain)
        if saved_language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_language


EXIT_USAGE = 64  # sysexits' EX_USAGE: 2 is a wrong passphrase (click's own usage code)


class Dhakira(click.Group):
    """The ``dhakira`` group: click's usage errors in the reader's language
    (:func:`click_speaking`) and with the usage exit code, :data:`EXIT_USAGE`, for every
    subcommand."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with click_speaking():
            return super().main(*args, **kwargs)

    # The group's options are parsed in make_context, a subcommand's in invoke.
    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _usage_exit_code():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _usage_exit_code():
            return super().invoke(ctx)


@contextmanager
def _usage_exit_code() -> Iterator[None]:
    """click's usage errors exit with :data:`EXIT_USAGE`, as Dhakira's own do; click's 2
    would read as a wrong passphrase."""
    try:
        yield
    except click.UsageError as exc:
        exc.exit_code = EXIT_USAGE  # type: ignore[misc]  # click reads it per instance
        raise


@contextmanager
def why_nothing_may_go() -> Iterator[None]:
    """A package or export that may send nothing says why in the reader's language: the
    error's own text is English (as the log's); the reasons are worded again here."""
    from dhakira.apps.handover import build
    from dhakira.apps.handover.errors import NothingToSend

    try:
        yield
    except NothingToSend as exc:
        if not isinstance(exc.plan, build.Plan):
            raise
        with speaking():
            raise CommandError(build.nothing_to_send(exc.plan), exc.exit_code) from None


@contextmanager
def refusals_in_reader_language() -> Iterator[None]:
    """Why ``link`` or ``estimate`` refuses (no linkage run, too few or too many lists for the
    method) is said in the reader's language; the errors' own text is the active language's
    where they were raised (English for the core's). Too few mentions to link is a coded
    error like the other cores' (:func:`in_readers_words`)."""
    from dhakira.apps.counting.errors import CountingError
    from dhakira.core.counting.errors import EstimateError

    try:
        yield
    except (CountingError, EstimateError) as exc:
        if not exc.code:
            raise
        with speaking():
            from dhakira.apps.counting import texts

            raise CommandError(texts.refusal(exc.code, exc.params), exc.exit_code) from None


def unlock(vault: Path, passphrase_file: Path | None) -> None:
    """Unlock ``vault`` (prompting unless a passphrase file is given) and start Django on it."""
    from dhakira.apps.vault import runtime

    if _WORDS_ONLY:  # a mistake in a command: Django's settings were read without the vault
        raise RuntimeError("a vault is opened after Django was set up without one")
    runtime.open_vault(vault, read_secret(passphrase_file, VAULT_PASSPHRASE))


@click.group(cls=Dhakira, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dhakira")
def main() -> None:
    """Dhakira (ذاكرة): a secure documentation and evidence vault.

    Example: dhakira init --vault ./vault

    Exit codes: 0 success, 1 error, 2 wrong passphrase, 3 vault locked, 4 not a vault,
    5 integrity problem found, 6 vault needs `dhakira migrate`, 7 vault made by a newer
    Dhakira, 8 the database or a file refused (locked, full, unreadable), 64 usage error (an
    unknown, missing or bad option or argument, or options that do not go together), 65 a
    document to import refused (an ESF document or Uwazi table that cannot be read or taken
    in).
    """
