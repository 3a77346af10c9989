"""click's own messages that the command line says in the reader's language.

click words its usage errors (an unknown option, a bad value, a missing one) through the
standard library's gettext, which :func:`dhakira.cli._common.click_speaking` points at the one
catalogue. The msgids are click's, exactly; they are marked here only so that ``makemessages``
keeps them in the catalogue (it drops what no source marks). Nothing reads these values.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

CLICK_MESSAGES = (
    gettext_noop("Usage:"),
    gettext_noop("Error: {message}"),
    gettext_noop("Try '{command} {option}' for help."),
    gettext_noop("Invalid value: {message}"),
    gettext_noop("Invalid value for {param_hint}: {message}"),
    gettext_noop("Missing argument"),
    gettext_noop("Missing option"),
    gettext_noop("Missing parameter"),
    gettext_noop("Missing {param_type}"),
    gettext_noop("Missing parameter: {param_name}"),
    gettext_noop("No such option {name!r}."),
    gettext_noop("No such command {name!r}."),
    ngettext_lazy("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    gettext_noop("Option {name!r} does not take a value."),
    ngettext_lazy("Option {name!r} requires an argument.",
                  "Option {name!r} requires {nargs} arguments."),
    gettext_noop("Argument {name!r} takes {nargs} values."),
    ngettext_lazy("Got unexpected extra argument ({args})",
                  "Got unexpected extra arguments ({args})"),
    gettext_noop("Missing command."),
    gettext_noop("Choose from:\n\t{choices}"),
    ngettext_lazy("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    gettext_noop("{value!r} is not a valid {number_type}."),
    gettext_noop("{value} is not in the range {range}."),
    gettext_noop("{value!r} is not a valid boolean. Recognized values: {states}"),
    gettext_noop("file"),
    gettext_noop("directory"),
    gettext_noop("path"),
    gettext_noop("{name} {filename!r} does not exist."),
    gettext_noop("{name} {filename!r} is a file."),
    gettext_noop("{name} {filename!r} is a directory."),
    gettext_noop("{name} {filename!r} is not readable."),
    gettext_noop("{name} {filename!r} is not writable."),
    gettext_noop("Could not open file {filename!r}: {message}"),
    gettext_noop("Aborted!"),
    gettext_noop("Repeat for confirmation"),
    gettext_noop("Error: The two entered values do not match."),
)
