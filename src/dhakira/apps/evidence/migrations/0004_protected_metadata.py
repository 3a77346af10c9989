"""Move who and where out of the plain metadata of items taken in before this version, and
give e-mail sources keyed code names.

Earlier versions stored e-mail senders, authors and GPS in the plain metadata shown to every
reader, and coded each e-mail sender as the unsalted SHA-256 of the address, which anyone
with a list of addresses could recompute. This moves the identifying parts into protected
values (as intake now does) and renames each ``MAIL-`` source whose old code is recomputed
from a stored ``From`` header to its keyed code. A source whose sender is nowhere in the
metadata keeps its old code (docs/security.md says so).
"""

import hashlib
import json
from email.utils import getaddresses

from django.db import migrations

from dhakira.apps.evidence.identifying import LOCATION, PEOPLE, split
from dhakira.core.vault import session
from dhakira.core.vault.codes import keyed_code

_COMPARTMENTS = {PEOPLE: "sources", LOCATION: "addresses"}


def _text(values):
    return json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True)


def _old_code(address):
    return f"MAIL-{hashlib.sha256(address.strip().lower().encode()).hexdigest()[:10].upper()}"


def forwards(apps, schema_editor):
    Metadata = apps.get_model("evidence", "Metadata")
    ProtectedValue = apps.get_model("dossier", "ProtectedValue")
    for meta in Metadata.objects.select_related("item").order_by("pk").iterator(chunk_size=500):
        parts = split(meta.data or {})
        if not (parts.people or parts.location):
            continue
        owner = f"EV-{meta.item_id:06d}"
        for name, values in ((PEOPLE, parts.people), (LOCATION, parts.location)):
            if values:
                ProtectedValue.objects.update_or_create(
                    owner=owner, field=name,
                    defaults={"value": _text(values), "compartment": _COMPARTMENTS[name]})
        meta.data = parts.plain
        meta.save(update_fields=["data"])
        headers = parts.people.get("email")
        sender = headers.get("From") if isinstance(headers, dict) else None
        if sender and meta.item.information_id:
            _rekey(apps, meta.item.information_id, sender)


def _rekey(apps, information_id, sender):
    Information = apps.get_model("dossier", "Information")
    Source = apps.get_model("dossier", "Source")
    ProtectedValue = apps.get_model("dossier", "ProtectedValue")
    source = Information.objects.get(pk=information_id).source
    try:
        parsed = getaddresses([sender])
    except (RecursionError, ValueError):  # a hostile header: leave the old code, as documented
        return
    name, address = parsed[0] if parsed and parsed[0][1] else ("", sender)
    if source is None or source.code_name != _old_code(address):
        return  # renamed by hand, or already keyed
    code = keyed_code(session.get_key(), address, prefix="MAIL")
    if Source.objects.filter(code_name=code).exists():
        return
    source.code_name = code
    source.save(update_fields=["code_name"])
    owner = f"S-{source.pk:05d}"
    for field, value in (("identity", name or address), ("contact", address)):
        ProtectedValue.objects.get_or_create(owner=owner, field=field,
                                             defaults={"value": value, "compartment": "sources"})


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0003_text_status"),
        ("dossier", "0002_page_indexes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
