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
        "too few shares: %(given)s different share given, %(needed)s needed",
        "too few shares: %(given)s different shares given, %(needed)s needed",
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


def _list(values: Any) -> str:
    """Names, codes or headers, one after another with the reader's comma."""
    from dhakira.apps.dossier.models import comma

    return comma().join(str(v) for v in values)


def _at(p: Mapping[str, Any], words: str) -> str:
    """``words`` after where they apply: the file (``source``), and its row when known."""
    where = (_("%(source)s, row %(row)s") % p if p.get("row") is not None
             else str(p.get("source", "")))
    return f"{where}: {words}" if where else words


def _record_refused(p: Mapping[str, Any]) -> str:
    """Why a record of an ESF document or Uwazi table cannot be read, after the file and the
    record (core/exporting's ``record_refused``)."""
    words = {"event": pgettext("ESF record", "event"), "victim": pgettext("ESF record", "victim"),
             "act": pgettext("ESF record", "act"),
             "perpetrator": pgettext("ESF record", "perpetrator"),
             "involvement": pgettext("ESF record", "involvement")}
    q = {**p, "kind": words.get(str(p.get("kind")), p.get("kind")),
         "field": words.get(str(p.get("field")), p.get("field"))}
    why = {
        "not_a_number": lambda: _("'%(field)s' is not a number: %(value)s") % q,
        "whole_number": lambda: _("'%(field)s' is not a whole number: %(value)s") % q,
        "not_coded": lambda: _("'%(field)s' is not a coded value ({\"code\": …})") % q,
        "not_text": lambda: _("'%(field)s' is not text") % q,
        "missing": lambda: _("'%(field)s' is missing") % q,
        "not_records": lambda: _("'%(kind)s' is not a list of records") % q,
        "id_twice": lambda: _("%(kind)s: the id '%(id)s' is used twice") % q,
        "not_in_document": lambda: _("%(kind)s %(id)s: its %(field)s '%(ref)s' is not in the "
                                     "document") % q,
        "unknown_term": lambda: (_("'%(value)s' is not a term of vocabulary '%(vocabulary)s' "
                                   "(did you mean %(close)s?)") if p["close"] else _(
            "'%(value)s' is not a term of vocabulary '%(vocabulary)s' (its codes include "
            "%(codes)s)")) % {**q, "close": _list(p["close"]), "codes": _list(p["codes"])},
        "not_a_label": lambda: _("'%(value)s' in the column %(field)s is not a label of the "
                                 "vocabulary '%(vocabulary)s'") % q,
        "bad_shape": lambda: _("a value is not written as the format writes it (%(detail)s)")
        % q,
    }[str(p["why"])]()
    where = ([_("%(section)s record %(n)s (%(id)s)") % p] if "section" in p
             else [_("%(file)s, row %(row)s") % p] if "file" in p else [])
    return ": ".join([str(p["source"]), *where, why])


def _import_record(p: Mapping[str, Any]) -> str:
    """The record an import refused, as "event E-1" in the reader's words."""
    kinds = {"event": pgettext("imported record", "event %(id)s"),
             "act": pgettext("imported record", "act %(id)s"),
             "involvement": pgettext("imported record", "involvement %(id)s"),
             "place": pgettext("imported record", "place %(id)s"),
             "unit": pgettext("imported record", "unit %(id)s"),
             "person": pgettext("imported record", "person %(id)s"),
             "report": pgettext("imported record", "report %(id)s")}
    return kinds.get(str(p["kind"]), "%(kind)s %(id)s") % p


def _refusal_kind(kind: str) -> str:
    """A refusal's kind in the reader's words; in English the stable word custody keeps."""
    words = {"unreadable": pgettext("sync refusal", "unreadable"),
             "malformed": pgettext("sync refusal", "malformed"),
             "newer_format": pgettext("sync refusal", "newer_format"),
             "other_office": pgettext("sync refusal", "other_office"),
             "unknown_device": pgettext("sync refusal", "unknown_device"),
             "bad_signature": pgettext("sync refusal", "bad_signature"),
             "altered": pgettext("sync refusal", "altered"),
             "broken_chain": pgettext("sync refusal", "broken_chain"),
             "revoked": pgettext("sync refusal", "revoked"),
             "replay": pgettext("sync refusal", "replay"),
             "wrong_kind": pgettext("sync refusal", "wrong_kind")}
    return words.get(kind, kind)


def _refused(why: Callable[[Mapping[str, Any]], str]) -> Callable[[Mapping[str, Any]], str]:
    """A refused bundle's words: its kind and why."""
    return lambda p: _("bundle refused (%(kind)s): %(why)s") % {
        "kind": _refusal_kind(p["kind"]), "why": why(p)}


def _in_file(words: Callable[[Mapping[str, Any]], str]) -> Callable[[Mapping[str, Any]], str]:
    return lambda p: _at(p, words(p))


def _columns_differ(p: Mapping[str, Any]) -> str:
    missing = [repr(h) for h in p["missing"]]
    unknown = [repr(h) for h in p["unknown"]]
    said = []
    if missing:
        said.append(ngettext("the mapping names column %(columns)s, which %(table)s does not "
                             "have",
                             "the mapping names columns %(columns)s, which %(table)s does not "
                             "have", len(missing)) % {"columns": _list(missing),
                                                      "table": p["table"]})
    if unknown:
        said.append(ngettext("%(table)s has column %(columns)s that the mapping neither maps "
                             "nor ignores (add it under columns: or ignore:)",
                             "%(table)s has columns %(columns)s that the mapping neither maps "
                             "nor ignores (add them under columns: or ignore:)",
                             len(unknown)) % {
            "columns": _list(unknown), "table": p["table"]})
    return _at(p, "; ".join(said))


def _header_unreadable(p: Mapping[str, Any]) -> str:
    from dhakira.core.importing.messages import words

    return _at(p, _("the header is unreadable: %(reason)s") % {
        "reason": words(p["reason"], p["values"], _, ngettext)})


def _disk_full(p: Mapping[str, Any]) -> str:
    kept = ngettext("the disk is full: %(n)s item was taken in and kept",
                    "the disk is full: %(n)s items were taken in and kept",
                    int(p["kept"])) % {"n": p["kept"]}
    if not p["left"]:
        return _("%(kept)s; all files were, but the text of some items could not be extracted "
                 "yet. Free some space and run dhakira process") % {"kept": kept}
    return ngettext(
        "%(kept)s; %(n)s file was not (named above as 'not taken in'); nothing partial was "
        "kept. Free some space and run the same command again: what was already taken in is "
        "skipped",
        "%(kept)s; %(n)s files were not (each named above as 'not taken in'); nothing partial "
        "was kept. Free some space and run the same command again: what was already taken in "
        "is skipped", int(p["left"])) % {"kept": kept, "n": p["left"]}


def _leaks_found(p: Mapping[str, Any]) -> str:
    """A package or export refused for a leak (apps/handover's ``leaks_found``)."""
    kinds = {"protected": lambda: _("%(path)s: a protected name or value"),
             "metadata": lambda: _("%(path)s: image metadata (%(detail)s)"),
             "coordinates": lambda: _("%(path)s: coordinates finer than %(detail)s°")}
    first = kinds[p["kind"]]() % p
    advice = (_("fix the record or add a redacted copy and try again") if p["redacted_copy"]
              else _("fix the record and try again"))
    n = int(p["n"])
    return ngettext("nothing was written: %(n)s leak found, first %(first)s; %(advice)s",
                    "nothing was written: %(n)s leaks found, first %(first)s; %(advice)s",
                    n) % {"n": f"{n:,}", "first": first, "advice": advice}


def _too_few_mentions(p: Mapping[str, Any]) -> str:
    from dhakira.apps.linkage.presentation import too_few_mentions

    return too_few_mentions(int(p["count"]))


# The other cores' refusals (and the apps' that carry on from them): sync and field kits,
# importing, exporting, custody, linkage, evidence, the legal brief, hand-over.
_ERRORS.update({
    # core/sync's bundle, apps/fieldkit's office and kit
    "bundle_sealed_elsewhere": _refused(lambda p: _(
        "it does not open with this vault's key: it is truncated or altered, or sealed to "
        "another vault")),
    "bundle_cut_short": _refused(lambda p: _("it ends inside its header")),
    "manifest_not_json": _refused(lambda p: _("its manifest is not JSON")),
    "manifest_not_object": _refused(lambda p: _("its manifest is not an object")),
    "bundle_unknown_format": _refused(lambda p: _("unknown format '%(format)s'") % p),
    "bundle_newer_format": _refused(lambda p: _(
        "it was made in format %(format)s by a newer Dhakira; upgrade this vault's Dhakira "
        "first") % p),
    "manifest_bad_field": _refused(lambda p: _("its manifest lacks a field or has a wrong one")),
    "manifest_bad_kind": _refused(lambda p: _("its manifest has an unknown kind or number")),
    "manifest_bad_file": _refused(lambda p: _(
        "its manifest lists a bad, duplicate or unsafe file")),
    "not_a_bundle": _refused(lambda p: _("it is not a Dhakira sync bundle")),
    "bundle_other_office": _refused(lambda p: _(
        "it is addressed to %(to)s, not to this vault (%(this)s)") % p),
    "bundle_unknown_device": _refused(lambda p: _(
        "it comes from %(device)s, a device this vault has not enrolled") % p),
    "bundle_bad_signature": _refused(lambda p: _(
        "its manifest is not signed by the enrolled key of %(device)s") % p),
    "bundle_file_altered": _refused(lambda p: _("%(name)s does not match its signed hash") % p),
    "bundle_extra_bytes": _refused(lambda p: _("it holds bytes its manifest does not list")),
    "bundle_is_ack": _refused(lambda p: _(
        "this is an acknowledgement; receive it on the kit")),
    "bundle_is_kits": _refused(lambda p: _("this is a kit's bundle; receive it at the office")),
    "bundle_replayed": _refused(lambda p: _(
        "bundle %(seq)s of %(device)s was received before (merged up to %(last)s)") % p),
    "bundle_bad_time": _refused(lambda p: _("its time cannot be read")),
    "bundle_after_revocation": _refused(lambda p: _(
        "%(device)s was revoked from %(revoked)s; this bundle says it was made %(made)s (kept "
        "sealed in quarantine for review)") % p),
    "bundle_bad_records": _refused(lambda p: _("its records cannot be read")),
    "bundle_entry_differs": _refused(lambda p: _(
        "custody entry %(seq)s of %(device)s differs from the one received before") % p),
    "bundle_chain_broken": _refused(lambda p: _(
        "the custody chain of %(device)s does not verify at entry %(seq)s (%(problem)s)") % p),
    "reference_replayed": _refused(lambda p: _(
        "reference bundle %(seq)s is not newer than %(last)s, the last one taken") % p),
    "bundle_bad_reference": _refused(lambda p: _("its reference data cannot be read")),
    "bundle_bad_ack": _refused(lambda p: _("its acknowledgement cannot be read")),
    "ack_replayed": _refused(lambda p: _(
        "it acknowledges bundle %(seq)s; this kit has acknowledgements up to %(acked)s and "
        "packed up to %(packed)s") % p),
    "not_a_kit": lambda p: _("this vault is not a field kit (made with `dhakira init "
                             "--field-kit`)"),
    "kit_already": lambda p: _("this vault is a field kit already"),
    "hq_own_card": lambda p: _("--hq is this vault's own card"),
    "kit_not_office": lambda p: _("this vault is a field kit; devices are enrolled at the "
                                  "office"),
    "card_own": lambda p: _("that card is this vault's own"),
    "device_enrolled": lambda p: _("device %(device)s is enrolled already") % p,
    "device_label_taken": lambda p: _("a device is named '%(label)s' already; choose another "
                                      "name") % p,
    "no_device": lambda p: _("no device '%(label)s'; see `dhakira device list`") % p,
    "nothing_merged": lambda p: _("nothing from %(device)s has been merged yet") % p,
    "device_revoked": lambda p: _("%(device)s is revoked; nothing is sent to it") % p,
    "not_a_card": lambda p: _("%(path)s is not a device card written by `dhakira device "
                              "export`") % p,
    # core/importing: the mapping and the table
    "mapping_key_twice": _in_file(lambda p: _(
        "line %(line)s: '%(key)s' is given twice (first on line %(first)s); a column can be "
        "mapped only once") % p),
    "mapping_not_utf8": _in_file(lambda p: _("not UTF-8 text")),
    "mapping_not_yaml": _in_file(lambda p: _("not valid YAML (%(problem)s)") % p),
    "mapping_not_yaml_at": _in_file(lambda p: _(
        "line %(line)s: not valid YAML (%(problem)s)") % p),
    "mapping_not_dict": _in_file(lambda p: _(
        "a mapping is a YAML dictionary with at least 'columns:'")),
    "mapping_unknown_keys": _in_file(lambda p: ngettext(
        "unknown key %(unknown)s; the keys are %(keys)s",
        "unknown keys %(unknown)s; the keys are %(keys)s", len(p["unknown"])) % {
        "unknown": _list(p["unknown"]), "keys": _list(p["keys"])}),
    "mapping_no_columns": _in_file(lambda p: _("'columns:' must map each header to a target")),
    "mapping_not_a_target": _in_file(lambda p: _(
        "column '%(header)s' is mapped to '%(target)s', which is not a target; the targets are "
        "%(targets)s") % {**p, "targets": _list(p["targets"])}),
    "mapping_target_twice": _in_file(lambda p: _(
        "'%(target)s' is filled from two columns, '%(first)s' and '%(header)s'; map one of "
        "them, ignore the other") % p),
    "mapping_column_twice": _in_file(lambda p: _("column '%(header)s' is mapped twice") % p),
    "mapping_ignore_not_list": _in_file(lambda p: _("'ignore:' must be a list of headers")),
    "mapping_mapped_and_ignored": _in_file(lambda p: ngettext(
        "column %(headers)s is both mapped and ignored",
        "columns %(headers)s are both mapped and ignored", len(p["headers"])) % {
        "headers": _list(p["headers"])}),
    "mapping_default_not_target": _in_file(lambda p: _(
        "default for '%(target)s', which is not a target") % p),
    "mapping_no_vocabulary": _in_file(lambda p: _(
        "values: '%(target)s' takes no vocabulary; only %(targets)s do") % {
        **p, "targets": _list(p["targets"])}),
    "mapping_not_a_code": _in_file(lambda p: _(
        "values.%(target)s: '%(spelling)s' is given '%(code)s', which is not a code of "
        "%(vocabulary)s") % p),
    "mapping_calendar": _in_file(lambda p: _(
        "calendar must be 'gregorian' or 'hijri', not '%(calendar)s'") % p),
    "mapping_header_row": _in_file(lambda p: _("header_row must be a row number, 1 or more")),
    "mapping_encoding": _in_file(lambda p: _(
        "unknown encoding '%(encoding)s' (e.g. utf-8, windows-1256, iso-8859-6)") % p),
    "mapping_not_a_dict": _in_file(lambda p: _("'%(key)s:' must be a dictionary") % p),
    "sheet_columns_differ": _columns_differ,
    "table_xls": _in_file(lambda p: _(
        "the old Excel format (.xls) is not read; save it as .xlsx")),
    "table_format": _in_file(lambda p: _(
        "not a table this import reads; give one of %(formats)s") % {
        "formats": _list(p["formats"])}),
    "table_header_unreadable": _header_unreadable,
    "table_header_twice": _in_file(lambda p: _(
        "columns %(first)s and %(second)s are both headed '%(header)s'; rename one") % p),
    "table_no_header": _in_file(lambda p: _(
        "no header in row %(header_row)s (set header_row: in the mapping)") % p),
    "table_not_csv": _in_file(lambda p: _("not readable as CSV (%(detail)s)") % p),
    "table_not_xlsx": _in_file(lambda p: _("not a readable XLSX file (%(detail)s)") % p),
    "table_xlsx_macros": _in_file(lambda p: _(
        "the workbook holds macros; they are never run, and a workbook with macros is not "
        "imported: save it as a plain .xlsx (no macros)")),
    "table_no_sheet": _in_file(lambda p: _("no sheet named '%(sheet)s'; the sheets are "
                                           "%(sheets)s") % {**p, "sheets": _list(p["sheets"])}),
    "table_damaged_sheet": _in_file(lambda p: _("damaged XLSX sheet (%(detail)s)") % p),
    "table_too_many_merges": _in_file(lambda p: _(
        "more than %(most)s merged ranges; unmerge them") % p),
    "table_not_ods": _in_file(lambda p: _("not a readable ODS file (%(detail)s)") % p),
    "table_ods_macros": _in_file(lambda p: _(
        "the spreadsheet holds macros; they are never run, and a spreadsheet with macros is "
        "not imported: save a copy without them")),
    "media_folder_missing": _in_file(lambda p: _("the media folder does not exist")),
    "table_ods_too_large": _in_file(lambda p: _(
        "too large to read as ODS (%(mib)s MiB of XML); save it as XLSX or CSV, which are read "
        "row by row") % p),
    # core/exporting, apps/exporting
    "unknown_export_format": lambda p: _("unknown format '%(format)s'; use one of "
                                         "%(formats)s") % {**p, "formats": _list(p["formats"])},
    "uwazi_separator": lambda p: _(
        "%(record)s: a value holds '%(separator)s', Uwazi's separator of values; use the ESF "
        "format for it") % p,
    "esf_not_json": _in_file(lambda p: _("not UTF-8 JSON (%(detail)s)") % p),
    "esf_not_esf": _in_file(lambda p: _(
        "not an ESF document (no \"standard\": \"%(standard)s\")") % p),
    "esf_version": _in_file(lambda p: _("x-dhakira version %(version)s is not %(expected)s")
                            % p),
    "uwazi_not_utf8": _in_file(lambda p: _("not UTF-8 (%(detail)s)") % p),
    "uwazi_file_missing": _in_file(lambda p: _("%(name)s is missing") % p),
    "uwazi_no_column": _in_file(lambda p: _("%(name)s has no column %(column)s") % p),
    "uwazi_not_csv": _in_file(lambda p: _(
        "not readable as CSV (%(detail)s; a cell may hold at most %(most)s characters)") % p),
    "record_refused": _record_refused,
    # apps/fieldkit's quarantine review
    "reason_too_long": lambda p: _("the reason is longer than %(most)s characters; shorten it")
    % p,
    # apps/exporting's import of an ESF document or Uwazi table
    "import_record_refused": lambda p: _("%(source)s: %(record)s: %(detail)s") % {
        **p, "record": _import_record(p)},
    "import_not_a_date": lambda p: _("%(source)s: %(record)s: '%(value)s' is not a date "
                                     "(YYYY-MM-DD)") % {**p, "record": _import_record(p)},
    "import_no_compartment": lambda p: _(
        "%(source)s: the document is kept in a compartment (sources, sogi, protection or "
        "addresses), never in none") % p,
    "import_no_file": lambda p: _("%(source)s: no file to import") % p,
    "import_document_elsewhere": lambda p: _(
        "%(source)s: it holds reports of the %(reports)s compartment but would be kept in "
        "%(document)s, where members not cleared for them could read them: import it with "
        "--sheet-compartment %(first)s") % {**p, "reports": _list(p["reports"]),
                                       "first": p["reports"][0]},
    "import_taken_before": lambda p: _("%(source)s: this export was taken in before (as "
                                       "evidence %(evidence)s); nothing was imported again") % p,
    "import_report_names_missing": lambda p: _(
        "%(source)s: report %(id)s names %(missing)s, not in the document") % {
        **p, "missing": _list(p["missing"])},
    "export_target_exists": lambda p: _("%(path)s exists already; give another --to "
                                        "folder") % p,
    # core/linkage, apps/linkage
    "too_few_mentions": _too_few_mentions,
    "linkage_memory": lambda p: _(
        "linkage needed more than its memory limit of %(limit)s (%(detail)s); raise "
        "LinkageSettings.memory_limit or narrow the blocking rules (add the district or place "
        "to each)") % p,
    "truth_names_none": lambda p: _("the truth names none of the linked records; check that "
                                    "the truth file belongs to this vault"),
    "truth_no_victims": lambda p: _("the truth file has no victim mentions"),
    "truth_no_perpetrators": lambda p: _("the truth file has no perpetrator mentions"),
    "truth_bad_keys": lambda p: _("truth keys must be Person uids such as P-000123"),
    "truth_unreadable": lambda p: _("cannot read the truth file %(path)s: %(error)s") % p,
    "truth_not_object": lambda p: _("%(path)s is not a JSON object") % p,
    # apps/evidence
    "disk_full_left_out": _disk_full,
    "disk_full_texts": _disk_full,
    "no_tesseract": lambda p: _("Tesseract is not installed (the tesseract-ocr package, with "
                                "its Arabic data): nothing was read"),
    # apps/law
    "no_charge": lambda p: _("no charge '%(charge)s'; list them with `dhakira brief "
                             "--list-charges`") % p,
    # core/handover, apps/handover
    "not_a_consent_scope": lambda p: _("purpose '%(purpose)s' is not a consent scope; use one "
                                       "of %(scopes)s") % {**p, "scopes": _list(p["scopes"])},
    "package_folder_not_empty": lambda p: _("%(path)s is not empty; give a new directory for "
                                            "the package") % p,
    "package_target_exists": lambda p: _("%(path)s exists already; give a new --out") % p,
    "not_an_age_key": lambda p: _("not an age X25519 public key (it starts with 'age1')"),
    "media_anonymised_policy": lambda p: _("purpose media_anonymised allows only --policy "
                                           "anonymised"),
    "override_needs_reason": lambda p: _("an override needs a reason (--override-reason)"),
    "leaks_found": _leaks_found,
})

# A custody chain's problems (core/custody's verify) and the evidence check's: each said
# after where it shows (``dhakira verify``).
_PROBLEMS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "chain_bad_seq": lambda p: _("sequence number %(seq)s is not 1 or more") % p,
    "chain_edited": lambda p: _("the content does not match its entry_hash: it was edited"),
    "chain_unknown_key": lambda p: _("signed by key %(key)s, not a known key") % p,
    "chain_bad_signature": lambda p: _("the signature does not verify under %(key)s") % p,
    "chain_duplicate_seq": lambda p: _("this number appears more than once"),
    "chain_stored_after": lambda p: _("it is stored after entry %(highest)s") % p,
    "chain_gap": lambda p: _("entries %(missing)s are missing") % p,
    "chain_broken_link": lambda p: _("prev_hash does not match entry %(previous)s: an entry "
                                     "was deleted or inserted") % p,
    "chain_bad_time": lambda p: _("the timestamp cannot be read"),
    "chain_time_back": lambda p: _("its timestamp is earlier than the entry before"),
    "chain_truncated": lambda p: _("the chain ends at entry %(last)s but the anchored head is "
                                   "entry %(head)s") % p,
    "chain_head_mismatch": lambda p: _("the entry does not match the anchored head"),
    "no_intake_entry": lambda p: _("the item has no intake entry in the custody ledger"),
    "item_hash_mismatch": lambda p: _("the item says sha256 %(held)s…, the intake entry signed "
                                      "%(signed)s…") % p,
    "item_size_mismatch": lambda p: _("the item says %(held)s bytes, the intake entry signed "
                                      "%(signed)s") % p,
    "missing_item": lambda p: _("an intake entry names an item that is not in the vault"),
    "item_record_mismatch": lambda p: _("the item's %(field)s is '%(held)s', the intake entry "
                                        "signed '%(signed)s'") % {
        **p, "field": _record_field(str(p["field"]))},
    "missing_copy": lambda p: _("a derive entry names a derived copy that is not in the vault"),
    "public_key_mismatch": lambda p: _("%(file)s is not the public half of the key the vault "
                                       "signs with; third parties given it would check "
                                       "nothing") % p,
    "missing_export_entry": lambda p: _("the disclosure log lists this package, whose export "
                                        "entry is not in the custody ledger (entries removed?)"),
    "export_entry_mismatch": lambda p: _("the disclosure log's manifest hash is not the one its "
                                         "export entry signed"),
    "copy_altered": lambda p: _("the derived copy does not hold what its derive entry signed "
                                "(its text or file, kind or maker)"),
    "missing_blob": lambda p: _("the encrypted original is gone"),
    "blob_altered": lambda p: _("the encrypted original fails authentication (altered, "
                                "truncated or swapped)"),
    "unreferenced_blob": lambda p: _("blob file %(name)s belongs to no item (left by an "
                                     "interrupted write? dhakira repair removes it)") % p,
}


def _record_field(name: str) -> str:
    """A field of an item's collection record, as `dhakira verify` names it."""
    words = {"actor": pgettext("collection record", "collector"),
             "timestamp": pgettext("collection record", "time collected"),
             "mime": pgettext("collection record", "type"),
             "method": pgettext("collection record", "method"),
             "tool": pgettext("collection record", "tool"),
             "parent": pgettext("collection record", "parent"),
             "relationship": pgettext("collection record", "relationship"),
             "duplicate_of": pgettext("collection record", "first receipt"),
             "compartment": pgettext("collection record", "compartment")}
    return words.get(name, name)


def error_text(exc: DhakiraError) -> str:
    """``exc`` in the reader's language when its code has words here, else its own text."""
    words = _ERRORS.get(exc.code) if exc.code else None
    return words(exc.params) if words is not None else str(exc)


def _problem_kind(problem: Any) -> str:
    """What kind of problem, as ``dhakira verify`` heads its line."""
    if problem.code.startswith("chain_"):
        # the chain's kind stays the stable word custody uses (core.custody.PROBLEM_KINDS)
        return pgettext("integrity problem", "ledger %(kind)s") % {
            "kind": problem.kind.removeprefix("ledger ")}
    kinds = {"no_intake_entry": pgettext("integrity problem", "no intake entry"),
             "item_hash_mismatch": pgettext("integrity problem", "hash mismatch"),
             "item_size_mismatch": pgettext("integrity problem", "size mismatch"),
             "missing_item": pgettext("integrity problem", "missing item"),
             "item_record_mismatch": pgettext("integrity problem", "record altered"),
             "missing_copy": pgettext("integrity problem", "missing copy"),
             "public_key_mismatch": pgettext("integrity problem", "signing key file"),
             "copy_altered": pgettext("integrity problem", "copy altered"),
             "missing_export_entry": pgettext("integrity problem", "missing entry"),
             "export_entry_mismatch": pgettext("integrity problem", "disclosure altered"),
             "missing_blob": pgettext("integrity problem", "missing blob"),
             "blob_altered": pgettext("integrity problem", "blob altered"),
             "unreferenced_blob": pgettext("integrity problem", "unreferenced blob")}
    return kinds.get(problem.code, problem.kind)


def problem_text(problem: Any) -> str:
    """A problem ``dhakira verify`` found (:class:`dhakira.apps.evidence.integrity.
    IntegrityProblem`) in the reader's language when its code has words here: its kind, where
    it shows (item, custody entry), what is wrong; else its own text."""
    words = _PROBLEMS.get(getattr(problem, "code", ""))
    if words is None:
        return str(problem)
    where = [problem.item] if problem.item else []
    if problem.seq:
        where.append(_("seq %(seq)s") % {"seq": problem.seq})
    said = [_problem_kind(problem), " ".join(where), words(problem.params)]
    return ": ".join(part for part in said if part)


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
