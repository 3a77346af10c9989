"""Evidence packages and the disclosure log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from django.utils.translation import gettext as _

from dhakira.cli._common import (
    WEB_PASSWORD_FOR,
    CommandError,
    actor_password_option,
    authenticate_actor,
    fail_cleanly,
    main,
    passphrase_option,
    read_secret,
    speaking,
    unlock,
    vault_option,
    why_nothing_may_go,
)
from dhakira.core.ids import PERSON


@main.command()
@vault_option
@passphrase_option
@click.option("--select", "query", default=None,
              help="What to send, e.g. 'place:Mosul from:2014-06-01' (see docs/handover.md).")
@click.option("--charge", "charge_id", default=None, help="Send every item assessed for CH-….")
@click.option("--recipient", required=True,
              help="The receiving institution: its code or name in the recipient list.")
@click.option("--purpose", required=True, help="A consent scope, e.g. share_icc.")
@click.option("--policy", required=True, type=click.Choice(["full", "pseudonymised", "anonymised"]))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="A new directory for the package.")
@click.option("--zip", "make_zip", is_flag=True, help="Also write OUT.zip.")
@click.option("--seal-to", default="", help="Seal OUT.zip to the recipient's age public key.")
@click.option("--seal", "seal_listed", is_flag=True,
              help="Seal OUT.zip to the public key the recipient list holds for --recipient.")
@click.option("--as", "as_user", required=True, help="Who is building the package.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The acting user's web password, from FILE; prompted otherwise.")
@click.option("--override-by", default=None,
              help="A second administrator or legal officer who approves sending consent-blocked "
                   "material.")
@click.option("--override-password-file",
              type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--override-reason", default="", help="Why the consent gate is overridden.")
@click.option("--with-brief", is_flag=True,
              help="With --charge: also carry the charge's brief in Arabic and English "
                   "(brief/CH-….ar.pdf, brief/CH-….en.pdf), signed in the manifest.")
@fail_cleanly
def package(vault: Path, passphrase_file: Path | None, query: str | None, charge_id: str | None,
            recipient: str, purpose: str, policy: str, out_dir: Path, make_zip: bool,
            seal_to: str, seal_listed: bool, as_user: str, password_file: Path | None,
            override_by: str | None, override_password_file: Path | None,
            override_reason: str, with_brief: bool) -> None:
    """Build a consent-gated, redacted, signed evidence package and log the disclosure.

    What is blocked and why is said in the reader's language: DHAKIRA_LANG, else LC_ALL,
    LC_MESSAGES or LANG (Arabic when it starts with 'ar', English otherwise).

    Example: dhakira package --vault ./vault --select 'event:E-000012' --recipient ICC-OTP
    --purpose share_icc --policy anonymised --out ./PKG --zip --as layla
    """
    if bool(query) == bool(charge_id) or (with_brief and not charge_id):
        with speaking():  # before the vault: the words alone
            raise CommandError(_("give exactly one of --select QUERY and --charge ID")
                               if bool(query) == bool(charge_id) else
                               _("--with-brief carries the brief of the charge sent: give "
                                 "--charge ID"), 64)
    unlock(vault, passphrase_file)
    from dhakira.apps.handover import auth, build, select

    # The refusals of these steps in the reader's language; the package itself is built
    # outside, in the same words whoever builds it.
    with speaking():
        to = _listed(recipient)
        if seal_listed:
            if seal_to:
                raise CommandError(_("give --seal or --seal-to, not both"), 64)
            if not to.public_key:
                raise CommandError(_("%(recipient)s has no public key in the recipient list; "
                                     "add it on the recipients page, or give --seal-to")
                                   % {"recipient": to.code}, 64)
            seal_to = to.public_key

        acting = auth.actor(as_user, read_secret(password_file, WEB_PASSWORD_FOR,
                                                 values={"user": as_user}))
        approver = auth.approver(acting, override_by, read_secret(
            override_password_file, WEB_PASSWORD_FOR, values={"user": override_by})
        ) if override_by else None
        chosen = select.select(query) if query else select.select_charge(str(charge_id))
    with why_nothing_may_go():
        result = build.build(build.Request(
            selection=chosen, recipient=to, purpose=purpose, policy=policy, out_dir=out_dir,
            make_zip=make_zip, seal_to=seal_to, override_reason=override_reason,
            brief_of=str(charge_id) if with_brief else ""),
            user=acting, override_by=approver)
    _report_package(result, acting)


def _report_package(result: Any, user: Any) -> None:
    """What was blocked and why, and what was written, in the reader's language. Items of a
    compartment the user may not read are counted, never named (as on the check page)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from dhakira.apps.dossier import access
    from dhakira.apps.handover.reasons import in_words

    readable = access.readable_uids(user, result.plan.blocked)
    with speaking():
        for uid, reasons in sorted(result.plan.blocked.items()):
            if uid not in readable:
                continue
            words = "; ".join(f"{who}: {why}" if who else why
                              for who, why in in_words(reasons, result.plan.checks))
            click.echo(_("blocked: %(item)s: %(reasons)s") % {"item": uid, "reasons": words},
                       err=True)
        if hidden := len(result.plan.blocked) - len(readable):
            click.echo(ngettext("%(n)s selected item you are not cleared to read was left out",
                                "%(n)s selected items you are not cleared to read were left out",
                                hidden) % {"n": hidden}, err=True)
        d = result.disclosure
        click.echo(ngettext(
            "%(package)s: %(n)s item to %(recipient)s (%(policy)s), %(blocked)s blocked; "
            "manifest sha256 %(sha256)s",
            "%(package)s: %(n)s items to %(recipient)s (%(policy)s), %(blocked)s blocked; "
            "manifest sha256 %(sha256)s", len(d.items)) % {
            "package": d.package_id, "n": len(d.items), "recipient": d.recipient,
            "policy": d.policy, "blocked": len(result.plan.blocked),
            "sha256": d.manifest_sha256})
        click.echo(_("signer key fingerprint %(fingerprint)s: give it to the recipient by "
                     "another channel than the package (see 'dhakira fingerprint')")
                   % {"fingerprint": d.key_fingerprint})
        for path in (result.package.directory, result.zip_path, result.sealed_path):
            if path is not None:
                click.echo(_("wrote %(path)s") % {"path": path})


@main.command()
@vault_option
@passphrase_option
@click.option("--pem", "pem_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the public key to FILE (PEM), for recipients to pin with --key.")
@fail_cleanly
def fingerprint(vault: Path, passphrase_file: Path | None, pem_out: Path | None) -> None:
    """Print the fingerprint of the key that signs packages and the custody chain.

    Recipients pin it when they verify a package (verify.py --fingerprint). Give it to them by
    another channel than the package: in person, by telephone, or published beforehand.
    The key is read from the unlocked vault, not from the public file beside it.

    Example: dhakira fingerprint --vault ./vault --pem signer_public_key.pem
    """
    unlock(vault, passphrase_file)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from dhakira.apps.custody import store
    from dhakira.core.handover import verify as verifier

    raw = store.signer().public_key_bytes()
    click.echo(verifier.fingerprint(raw))
    if pem_out is not None:
        pem = Ed25519PublicKey.from_public_bytes(raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        with speaking():
            if pem_out.exists():
                raise CommandError(_("%(path)s exists already; give a new file")
                                   % {"path": pem_out}, 73)
            pem_out.write_bytes(pem)
            click.echo(_("wrote %(path)s") % {"path": pem_out})


@main.command()
@vault_option
@passphrase_option
@click.option("--person", default=None, help="Only disclosures holding this person (P-…).")
@click.option("--withdrawn", is_flag=True,
              help="Only recipients to notify: the person has since withdrawn consent.")
@fail_cleanly
def disclosures(vault: Path, passphrase_file: Path | None, person: str | None,
                withdrawn: bool) -> None:
    """List the disclosure log: which recipient holds what, and whom to notify.

    When nothing is logged or nothing matches, it says so on stderr (stdout stays empty).

    Example: dhakira disclosures --vault ./vault --person P-000044 --withdrawn
    """
    pk = None
    if person:
        try:
            pk = PERSON.parse_loose(person)
        except ValueError:
            with speaking():
                raise CommandError(_("'%(person)s' is not a person id; write P-000044")
                                   % {"person": person}, 64) from None
    unlock(vault, passphrase_file)
    from dhakira.apps.handover import log

    if withdrawn:
        notices = log.to_notify(pk)
        for n in notices:
            click.echo(f"notify\t{n.recipient}\t{n.package_id}\t{n.person}\t{n.purpose}\t"
                       f"withdrawn (consent version {n.consent_version})")
        if not notices:  # said on stderr: a program reading the listing reads nothing
            with speaking():
                click.echo(_("Nobody to notify about %(person)s: no consent of theirs behind a "
                             "disclosure was withdrawn.") % {"person": person} if person else
                           _("Nobody to notify: no consent behind a disclosure was withdrawn."),
                           err=True)
        return
    found = log.holders(pk) if pk is not None else log.all_disclosures()
    for d in found:
        click.echo(_disclosure_line(d))
    if not found:
        with speaking():
            click.echo(_("No disclosure holding %(person)s is logged.") % {"person": person}
                       if person else _("No disclosure is logged yet."), err=True)


def _listed(text: str) -> Any:
    """The recipient in the managed list named ``text`` (code or name, any case)."""
    from dhakira.apps.dossier import recipients
    from dhakira.apps.dossier.models import Recipient

    found = recipients.find(text)
    if found is None:  # said in the active language (the caller's speaking())
        codes = ", ".join(Recipient.objects.values_list("code", flat=True)[:20])
        raise CommandError(_("'%(recipient)s' is not in the recipient list (codes: %(codes)s); "
                             "add it with 'dhakira recipient add'") % {
            "recipient": text, "codes": codes or _("none yet")}, 64)
    return found


@main.group()
def recipient() -> None:
    """The managed list of recipients packages may go to and people may consent to."""


@recipient.command("list")
@vault_option
@passphrase_option
@fail_cleanly
def recipient_list(vault: Path, passphrase_file: Path | None) -> None:
    """List recipients: code, kind, English and Arabic names, whether a public key is set.

    Example: dhakira recipient list --vault ./vault
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.dossier.models import Recipient

    for r in Recipient.objects.all():
        click.echo(f"{r.code}\t{r.kind}\t{r.name_en}\t{r.name_ar}\t"
                   f"{'key' if r.public_key else 'no key'}")


@recipient.command("add")
@vault_option
@passphrase_option
@click.option("--code", required=True, help="A short code, e.g. UNITAD (never changes).")
@click.option("--name-en", required=True, help="The name in English.")
@click.option("--name-ar", required=True, help="The name in Arabic.")
@click.option("--kind", required=True,
              type=click.Choice(["un_mechanism", "court", "prosecutor", "ngo", "media", "other"]))
@click.option("--public-key", default="", help="The recipient's age public key (age1…).")
@click.option("--contact", default="", help="How to reach the recipient.")
@click.option("--as", "as_user", required=True, help="Who adds it (administrator or legal).")
@actor_password_option
@fail_cleanly
def recipient_add(vault: Path, passphrase_file: Path | None, code: str, name_en: str,
                  name_ar: str, kind: str, public_key: str, contact: str, as_user: str,
                  password_file: Path | None) -> None:
    """Add a recipient to the list (a custody entry records it).

    Example: dhakira recipient add --vault ./vault --code UNITAD --name-en 'UNITAD'
    --name-ar 'يونيتاد' --kind un_mechanism --public-key age1... --as layla
    """
    unlock(vault, passphrase_file)
    from django.core.exceptions import ValidationError

    from dhakira.apps.dossier import access, recipients

    with speaking():  # the refusals and the validation messages in the reader's language
        user = authenticate_actor(as_user, password_file)
        if not access.has_role(user, access.APPROVERS):
            raise CommandError(_("%(user)s may not manage recipients; an administrator or a "
                                 "legal officer must") % {"user": as_user}, 64)
        try:
            row = recipients.add(code=code, name_en=name_en, name_ar=name_ar, kind=kind,
                                 public_key=public_key, contact=contact, actor=user.get_username())
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in
                                         exc.message_dict.items()), 64) from None
    click.echo(f"{row.uid}\t{row.code}\tadded")


def _disclosure_line(d: Any) -> str:
    """One disclosure as a line of the tab-separated listing. Programs read it, so it is the
    same in every language (docs/translating.md); its count is in English's form for that
    number ("1 item", "2 items"), not "item(s)"."""
    ack = f"acknowledged {d.acknowledged_at:%Y-%m-%d}" if d.acknowledged_at else "unacknowledged"
    n = len(d.items)
    return (f"{d.package_id}\t{d.created_at:%Y-%m-%d}\t{d.recipient}\t{d.purpose}\t"
            f"{d.policy}\t{n} item{'' if n == 1 else 's'}\t{ack}")
