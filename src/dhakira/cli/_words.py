"""The command line's words for what the cores say in English: errors with a code, the
estimator's progress.

A core has no catalogue, so its errors are English; one a reader may meet also carries a
``code`` and ``params`` (:class:`dhakira.errors.DhakiraError`), and the command line says it
again here, in the reader's language. Call these inside ``speaking()``
(:mod:`dhakira.cli._common`): they use Django's gettext.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from dhakira.errors import DhakiraError


def _no_usable_slots(p: Mapping[str, Any]) -> str:
    n = int(p.get("damaged", 0))
    if not n:
        return _("%(vault)s has no usable key slots") % p
    return ngettext("%(vault)s has no usable key slots (%(n)s damaged file skipped)",
                    "%(vault)s has no usable key slots (%(n)s damaged files skipped)",
                    n) % {**p, "n": n}


# Each code's words, with its values put in. The codes are the errors' own (see where each
# is raised: core/vault's keyslots, strength, stamp and session; apps/vault's runtime and
# rekey).
_ERRORS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "passphrase_empty": lambda p: _("the passphrase is empty"),
    "wrong_passphrase": lambda p: _("wrong passphrase: no key slot of this vault opens with it"),
    "wrong_passphrase_rekey": lambda p: _(
        "wrong passphrase: it opens neither the old nor the new key slots of this unfinished "
        "rekey"),
    "keep_opens_another": lambda p: _("a passphrase to keep opens another vault"),
    "no_vault": lambda p: _("%(vault)s does not exist; create it with `dhakira init --vault "
                            "%(vault)s`") % p,
    "not_a_vault": lambda p: _("%(vault)s is not a Dhakira vault (no %(folder)s/ folder)") % p,
    "no_usable_slots": _no_usable_slots,
    "vault_exists": lambda p: _("%(vault)s already holds a vault; refusing to overwrite it") % p,
    "slot_label_taken": lambda p: _("a key slot labelled '%(label)s' exists; remove it or "
                                    "pick another") % p,
    "no_such_slot": lambda p: _("no key slot labelled '%(label)s'") % p,
    "last_slot": lambda p: _("refusing to remove the last key slot: the data would be lost"),
    "passphrase_too_short": lambda p: ngettext(
        "the passphrase is too short: use at least %(least)s character, for example four or "
        "five unrelated words",
        "the passphrase is too short: use at least %(least)s characters, for example four or "
        "five unrelated words", int(p["least"])) % p,
    "passphrase_repeats": lambda p: ngettext(
        "the passphrase repeats itself: use at least %(least)s different character, for "
        "example four or five unrelated words",
        "the passphrase repeats itself: use at least %(least)s different characters, for "
        "example four or five unrelated words", int(p["least"])) % p,
    "passphrase_well_known": lambda p: _("the passphrase is a well-known example; choose your "
                                         "own words"),
    "stamp_unreadable": lambda p: _("%(path)s cannot be read (%(error)s)") % p,
    "stamp_damaged": lambda p: _("%(path)s is damaged or not a Dhakira vault stamp; "
                                 "restore it from a backup") % p,
    "format_too_new": lambda p: _("%(vault)s is in vault format %(format)s, made by a newer "
                                  "Dhakira (this one reads up to %(reads)s); upgrade "
                                  "Dhakira to open it") % p,
    "schema_too_new": lambda p: ngettext(
        "%(vault)s was changed by a newer Dhakira (%(n)s unknown schema change); "
        "upgrade Dhakira to open it",
        "%(vault)s was changed by a newer Dhakira (%(n)s unknown schema changes); "
        "upgrade Dhakira to open it", int(p["n"])) % p,
    "needs_migration": lambda p: _("%(vault)s was made by an earlier Dhakira; back it up, then "
                                   "run `dhakira migrate --vault %(vault)s`") % p,
    "rekey_unfinished": lambda p: _("a rekey of %(vault)s is unfinished: run `dhakira rekey "
                                    "--vault %(vault)s` again to complete it") % p,
    "vault_locked": lambda p: _("the vault is locked: unlock it with your passphrase"),
    # core/vault/recovery: splitting the key into shares, and opening with them
    "no_share": lambda p: _("no recovery share was given"),
    "share_invalid": lambda p: _("share %(number)s is not a valid recovery share (a word is "
                                 "missing, misspelt or out of order)") % p,
    "shares_mixed": lambda p: _("the shares come from different recovery sets; give shares of "
                                "one set"),
    "shares_foreign": lambda p: _("these shares belong to no recovery slot of this vault "
                                  "(revoked, or made for another vault)"),
    "too_few_shares": lambda p: ngettext(
        "too few shares: %(given)s different share(s) given, %(needed)s needed",
        "too few shares: %(given)s different share(s) given, %(needed)s needed",
        int(p["given"])) % p,
    "shares_do_not_open": lambda p: _("the shares do not open this vault's recovery slot "
                                      "(shares of another split, or a damaged slot)"),
    "no_recovery_slot": lambda p: _("no recovery slot '%(slot)s' (see `dhakira recovery "
                                    "list`)") % p,
    "recovery_range": lambda p: _("need 1 <= threshold <= shares <= %(most)s (got %(threshold)s "
                                  "of %(shares)s)") % p,
    "recovery_threshold_one": lambda p: _("a threshold of 1 would let any single share open the "
                                          "vault: use a threshold of 2 or more (or one share)"),
}


def error_text(exc: DhakiraError) -> str:
    """``exc`` in the reader's language when its code has words here, else its own text."""
    words = _ERRORS.get(exc.code) if exc.code else None
    return words(exc.params) if words is not None else str(exc)


def progress_text(status: object) -> str:
    """An estimator's progress status (:class:`dhakira.core.counting.Status`) in the reader's
    language; any other status as it is."""
    code = getattr(status, "code", "")
    p: Mapping[str, Any] = getattr(status, "params", {})
    if code == "burn_in":
        return pgettext("estimate progress", "burn-in")
    if code == "sampling":
        return _("sampling, round %(round)s") % p
    if code == "converging":
        return _("R-hat %(rhat).3f, effective sample size %(ess).0f; running on") % p
    if code == "done":
        return pgettext("estimate progress", "done")
    if code == "stratum":
        return _("%(stratum)s (%(index)s of %(count)s): %(status)s") % {
            **p, "status": progress_text(p["status"])}
    return str(status)
