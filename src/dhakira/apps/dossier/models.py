"""The Events-Standard-Formats data model: who did what to whom, when and where.

Protected values (a source's identity and contact, self-identified sexual orientation or
gender identity, exact addresses) are deliberately *not* columns of these models: they live
in :class:`ProtectedValue` and are read only through :mod:`dhakira.apps.dossier.protected`, so no
template or serializer can reach them by accident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.validators import VocabularyValidator
from dhakira.core.ids import ACT, EVENT, PERSON, PLACE, RECIPIENT, REPORT, SOURCE, UNIT

if TYPE_CHECKING:
    from dhakira.core.dates import FuzzyDate


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    DOCUMENTER = "documenter", _("Documenter")
    ANALYST = "analyst", _("Analyst")
    LEGAL = "legal", _("Legal")
    VIEWER = "viewer", _("Viewer")
    # An outside lawyer for a limited time, scoped to a charge or a selection of reports: sees
    # only the vetting pages of what is in scope (dhakira.apps.vetting.reviewers), no other page.
    REVIEWER = "reviewer", _("External reviewer")


class Compartment(models.TextChoices):
    SOURCES = "sources", _("Sources (identities and contacts of informants)")
    SOGI = "sogi", _("Self-identified sexual orientation and gender identity")
    PROTECTION = "protection", _("Protection casework")
    ADDRESSES = "addresses", _("Exact addresses")


class Profile(models.Model):
    """A user's role and the compartments they are cleared for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    clearances = models.JSONField(_("clearances"), default=list, blank=True)

    def clean(self) -> None:
        unknown = set(self.clearances) - set(Compartment.values)
        if unknown:
            raise ValidationError({"clearances": _("Unknown compartment: %(c)s") % {
                "c": ", ".join(sorted(unknown))}})
        if self.role == Role.VIEWER and self.clearances:
            raise ValidationError({"clearances": _("A viewer cannot be cleared for any "
                                                   "compartment; change the role first.")})
        if self.role == Role.REVIEWER and self.clearances:
            raise ValidationError({"clearances": _("An external reviewer cannot be cleared for "
                                                   "any compartment.")})

    def is_cleared(self, compartment: str) -> bool:
        return self.role not in (Role.VIEWER, Role.REVIEWER) and compartment in self.clearances

    @property
    def can_write(self) -> bool:
        from dhakira.apps.dossier.access import (
            WRITERS,  # the rules live there; this is for templates
        )

        return self.role in WRITERS


class FuzzyDated(models.Model):
    """A date as given: the words, the calendar, an EDTF value and explicit bounds."""

    date_text = models.CharField(_("date as given"), max_length=200, blank=True)
    date_calendar = models.CharField(_("calendar"), max_length=10, blank=True,
                                     choices=[("gregorian", _("Gregorian")), ("hijri", _("Hijri"))])
    date_edtf = models.CharField(_("EDTF"), max_length=100, blank=True)
    date_earliest = models.DateField(_("earliest"), null=True, blank=True, db_index=True)
    date_latest = models.DateField(_("latest"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    def set_date(self, fuzzy: FuzzyDate) -> None:
        """Store a parsed :class:`dhakira.core.dates.FuzzyDate` without inventing precision."""
        self.date_text = fuzzy.text
        self.date_calendar = fuzzy.calendar
        self.date_edtf = fuzzy.edtf or ""
        self.date_earliest = fuzzy.earliest
        self.date_latest = fuzzy.latest


def lang() -> str:
    """The reader's language, ``"ar"`` or ``"en"``: Arabic unless English is active.

    The one place that asks; vocabulary labels, names and texts all follow it.
    """
    return "en" if (get_language() or "ar").startswith("en") else "ar"


def comma(language: str | None = None) -> str:
    """The comma between the items of a list in ``language`` (else the reader's: :func:`lang`):
    Arabic writes its own, "، ". The one place that spells it."""
    return "، " if (language or lang()) == "ar" else ", "


def in_reader_language(english: str, arabic: str) -> str:
    """The name in the language of the request (Arabic unless English is active)."""
    return (english if lang() == "en" else arabic) or english or arabic


class Place(models.Model):
    """A gazetteer entry."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    aliases = models.JSONField(_("other names, incl. ISIS-era"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=30, validators=[VocabularyValidator("place_kinds")])
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    uncertainty_m = models.PositiveIntegerField(_("uncertainty (m)"), null=True, blank=True)

    def __str__(self) -> str:
        return in_reader_language(self.name_en, self.name_ar)

    @property
    def uid(self) -> str:
        return PLACE.format(self.pk)


class Unit(models.Model):
    """An organisation or part of one (wilayah, diwan, hisba office, court, brigade)."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=30, validators=[VocabularyValidator("unit_kinds")])
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    def __str__(self) -> str:
        return in_reader_language(self.name_en, self.name_ar)

    @property
    def uid(self) -> str:
        return UNIT.format(self.pk)


class Person(models.Model):
    """One person as recorded: victim, perpetrator, witness or source in different records.

    Before linkage each report's mention of someone is its own Person; resolving who is
    the same person links them (never deletes).
    """

    counting_unit = models.CharField(_("counting unit"), max_length=20, default="individual",
                                     validators=[VocabularyValidator("counting_units")])
    sex = models.CharField(_("sex"), max_length=20, blank=True, validators=[VocabularyValidator("sex")])
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    deceased = models.BooleanField(_("deceased"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.uid

    @property
    def uid(self) -> str:
        return PERSON.format(self.pk)

    @property
    def primary_name(self) -> NameVariant | None:
        variants = list(self.names.all())
        return variants[0] if variants else None


class NameVariant(models.Model):
    """A name of a person in one script, as one source gave it."""

    class Script(models.TextChoices):
        ARABIC = "arab", _("Arabic script")
        LATIN = "latn", _("Latin script")

    class Kind(models.TextChoices):
        FULL = "full", _("full name")
        KUNYA = "kunya", _("kunya (Abu/Umm …)")
        LAQAB = "laqab", _("laqab or nickname")
        ALIAS = "alias", _("alias or nom de guerre")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(_("name"), max_length=300)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FULL)
    key = models.CharField(_("comparison key"), max_length=300, db_index=True, blank=True)
    source = models.ForeignKey("Source", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    information = models.ForeignKey("Information", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="name_variants")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: object, **kwargs: object) -> None:
        # The comparison key is derived, never typed: keep it in step with the text.
        from dhakira.core.names import name_key

        self.key = name_key(self.text)
        with transaction.atomic():
            super().save(*args, **kwargs)  # type: ignore[arg-type]
            index_name_parts([self], replace=True)


class NamePart(models.Model):
    """One part of one name variant (given name, father, family name, kunya...), keyed.

    The index behind search by any part of a name: a query's part keys are prefix ranges on
    ``key``. ``person`` is repeated from the variant so that search reads this table only.
    Rows are derived, never typed: :func:`index_name_parts` writes them.
    """

    variant = models.ForeignKey(NameVariant, on_delete=models.CASCADE, related_name="parts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               db_index=False)  # (person, key) below serves it
    key = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="namepart_key_person"),
                   models.Index(fields=["person", "key"], name="namepart_person_key")]


def index_name_parts(variants: list[NameVariant], *, replace: bool = False) -> int:
    """Write the name-part rows of saved ``variants``; return how many rows were written.

    Bulk loaders that ``bulk_create`` names call this (or :func:`backfill_name_parts`) so
    that search finds them; ``replace`` first drops the variants' old rows (a name edited).
    """
    if replace:
        NamePart.objects.filter(variant__in=[v.pk for v in variants]).delete()
    rows = name_part_rows(variants)
    NamePart.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def name_part_rows(variants: list[NameVariant]) -> list[NamePart]:
    """The name-part rows of ``variants``, not yet written.

    The variants may be unsaved, built with their (perhaps unsaved) person: the report intake
    computes the keys before its transaction and inserts the rows inside it, once the
    variants and persons have keys (Django fills in a related row's key on insert).
    """
    from dhakira.core.names import part_keys

    rows = []
    for v in variants:
        # A saved variant read from the database names its person by key only: asking for
        # v.person would read the person, once per variant.
        person = {"person_id": v.person_id} if v.person_id is not None else {"person": v.person}
        rows += [NamePart(variant=v, key=k, **person) for k in part_keys(v.text)]
    return rows


class UnitMembership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("role or rank"), max_length=200, blank=True)


class CommandLink(models.Model):
    """A superior–subordinate link between two persons."""

    superior = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="subordinate_links")
    subordinate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="superior_links")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    certainty = models.CharField(max_length=20, default="probable")


class Event(FuzzyDated):
    """What happened at a time and place; acts are its units of analysis."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="events")
    violation_status = models.CharField(_("violation status"), max_length=20, blank=True,
                                        validators=[VocabularyValidator("violation_status")])
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        return EVENT.format(self.pk)


class EventChain(models.Model):
    """An arrest leads to a trial leads to an execution (HURIDOCS MT 22)."""

    from_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="chains_out")
    to_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="chains_in")
    chain_type = models.CharField(max_length=30, validators=[VocabularyValidator("chain_types")])


class Act(FuzzyDated):
    """One act against one victim in an event."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="acts")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="acts_suffered")
    act_type = models.CharField(_("type of act"), max_length=40,
                                validators=[VocabularyValidator("act_types")])
    method = models.CharField(_("method"), max_length=40, blank=True,
                              validators=[VocabularyValidator("methods")])
    result = models.CharField(_("result"), max_length=30, blank=True,
                              validators=[VocabularyValidator("results")])
    stated_reason = models.CharField(_("reason the perpetrators gave"), max_length=500, blank=True)
    grounds = models.JSONField(_("grounds attributed by the perpetrator"), default=list, blank=True,
                               validators=[VocabularyValidator("grounds")])
    rights_deprived = models.JSONField(_("rights deprived"), default=list, blank=True,
                                       validators=[VocabularyValidator("rights_deprived")])
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="acts")
    public_setting = models.BooleanField(_("in public"), null=True, blank=True)
    announced = models.BooleanField(_("announced or claimed by perpetrators"), null=True, blank=True)

    @property
    def uid(self) -> str:
        return ACT.format(self.pk)


class Involvement(models.Model):
    """A perpetrator's part in an act: a person or a unit, role, degree and certainty."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="involvements")
    perpetrator = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="involvements")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="involvements")
    degree = models.CharField(_("degree of involvement"), max_length=40,
                              validators=[VocabularyValidator("involvement_degrees")])
    perpetrator_type = models.CharField(max_length=40, blank=True,
                                        validators=[VocabularyValidator("perpetrator_types")])
    certainty = models.CharField(_("certainty"), max_length=20, default="probable",
                                 choices=[("confirmed", _("confirmed")), ("probable", _("probable")),
                                          ("possible", _("possible"))])

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(perpetrator__isnull=False) | models.Q(unit__isnull=False),
            name="involvement_names_a_perpetrator")]


class Source(models.Model):
    """Who gave information, known in the dossier by a code name only."""

    code_name = models.CharField(_("code name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, default="informant",
                            choices=[("informant", _("informant")), ("survivor", _("survivor")),
                                     ("witness", _("witness")), ("organisation", _("organisation")),
                                     ("document", _("document collection")),
                                     ("media", _("media or platform"))])
    network = models.CharField(_("network or list"), max_length=100, blank=True, db_index=True)
    reliability = models.CharField(_("reliability"), max_length=1, default="f",
                                   validators=[VocabularyValidator("reliability")])
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code_name

    @property
    def uid(self) -> str:
        return SOURCE.format(self.pk)


class Information(models.Model):
    """What one source said about which events, acts and persons (a report)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="information")
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(_("channel"), max_length=30, validators=[VocabularyValidator("channels")])
    language = models.CharField(_("language"), max_length=10, default="ar")
    connection = models.CharField(_("source's connection"), max_length=30, blank=True,
                                  validators=[VocabularyValidator("source_connection")])
    material_type = models.CharField(_("type of material"), max_length=40, blank=True,
                                     validators=[VocabularyValidator("source_material_types")])
    credibility = models.PositiveSmallIntegerField(
        _("credibility"), default=6, validators=[MinValueValidator(1), MaxValueValidator(6)])
    text = models.TextField(_("in the source's own words"), blank=True)
    events = models.ManyToManyField(Event, blank=True, related_name="information")
    acts = models.ManyToManyField(Act, blank=True, related_name="information")
    persons = models.ManyToManyField(Person, blank=True, related_name="information")
    derived_from = models.ManyToManyField("self", symmetrical=False, blank=True,
                                          related_name="derivatives")
    # A report made from restricted evidence (an e-mail taken into ``sources``) inherits its
    # compartment; only users cleared for it may read it (see dhakira.apps.dossier.access).
    compartment = models.CharField(_("compartment"), max_length=20, blank=True, default="",
                                   choices=Compartment.choices, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    @property
    def uid(self) -> str:
        return REPORT.format(self.pk)


def validate_age_public_key(value: str) -> None:
    """An age X25519 public key (``age1…``), or nothing."""
    if not value.strip():
        return
    from dhakira.core.handover.archive import SealError, _recipient

    try:
        _recipient(value)
    except SealError:
        raise ValidationError(_("Not an age public key: it starts with “age1” and is given by "
                                "the recipient (age-keygen -y)."), code="age_key") from None


class Recipient(models.Model):
    """An institution packages may go to and people may consent to, from one managed list.

    The code never changes once made (consents and packages point at the row); names, key and
    contact may, each change a custody entry (see :mod:`dhakira.apps.dossier.recipients`).
    """

    class Kind(models.TextChoices):
        UN_MECHANISM = "un_mechanism", _("UN mechanism")
        COURT = "court", _("court")
        PROSECUTOR = "prosecutor", _("prosecutor")
        NGO = "ngo", _("organisation (NGO)")
        MEDIA = "media", _("media")
        OTHER = "other", _("other")

    code = models.CharField(_("short code"), max_length=40, unique=True,
                            validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9_.-]*$", _(
                                "Capital Latin letters, digits, “-”, “_” or “.”, e.g. UNITAD."))])
    name_en = models.CharField(_("name in English"), max_length=200)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    public_key = models.CharField(_("public key (age)"), max_length=200, blank=True,
                                  validators=[validate_age_public_key],
                                  help_text=_("The age public key packages are sealed to."))
    contact = models.TextField(_("contact"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def uid(self) -> str:
        return RECIPIENT.format(self.pk)

    @property
    def name(self) -> str:
        """The name in the reader's language (Arabic falls back to English and back)."""
        lang = (get_language() or "en")[:2]
        return (self.name_ar if lang == "ar" else self.name_en) or self.name_en or self.name_ar


class Consent(models.Model):
    """One version of a person's consent for one use and recipient. Never edited in place.

    A change, including a withdrawal, is a new version that supersedes the last. The person
    may give it themself, or a relative, a guardian or the informant on their behalf (a person
    who has died cannot): who gave it is recorded with each version.
    """

    class Decision(models.TextChoices):
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        ASK_AGAIN = "ask_again", _("ask again")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class GivenBy(models.TextChoices):
        SELF = "self", _("the person themself")
        RELATIVE = "relative", _("a relative")
        GUARDIAN = "guardian", _("a guardian")
        INFORMANT = "informant", _("the informant, on their behalf")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    scope = models.CharField(_("use"), max_length=40, validators=[VocabularyValidator("consent_scopes")])
    recipient = models.ForeignKey(Recipient, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="consents", verbose_name=_("recipient"),
                                  help_text=_("Empty means any recipient of this kind of use."))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    given_by = models.CharField(_("given by"), max_length=10, choices=GivenBy.choices,
                                default=GivenBy.SELF)
    relationship = models.CharField(_("relationship to the person"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    obtained_at = models.DateTimeField(_("obtained"))
    obtained_by = models.CharField(_("obtained by"), max_length=200)
    method = models.CharField(_("method"), max_length=30, default="oral_recorded")
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "scope", "recipient", "version"],
                                    name="one_consent_version"),
            # NULL is distinct from NULL in a unique index: the any-recipient chain needs its own.
            models.UniqueConstraint(fields=["person", "scope", "version"],
                                    condition=models.Q(recipient__isnull=True),
                                    name="one_any_recipient_consent_version"),
        ]

    def clean(self) -> None:
        if self.given_by == self.GivenBy.RELATIVE and not self.relationship.strip():
            raise ValidationError({"relationship": _("Say how the relative is related.")})

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValidationError(_("Consent is never edited in place; record a new version."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ProtectedValue(models.Model):
    """A protected field's value, kept apart from its record; see dossier.protected."""

    owner = models.CharField(max_length=40)  # e.g. "S-00012"
    field = models.CharField(max_length=40)
    compartment = models.CharField(max_length=20, choices=Compartment.choices)
    value = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "field"], name="one_protected_value")]


class PendingFile(models.Model):
    """A file attached to a report form that did not validate, kept until the report is saved
    or the draft discarded. Name and contents are sealed under the vault's key
    (:mod:`dhakira.core.vault.sealed`): never plaintext on disk, nor readable from the row alone."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    sealed_name = models.BinaryField()
    sealed_data = models.BinaryField()
    size = models.PositiveBigIntegerField()
    graphic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


def backfill_name_parts(*, batch: int = 20000) -> int:
    """Index every name variant that has no name-part rows yet; return the rows written.

    For loaders that write names in bulk, bypassing :meth:`NameVariant.save`: the demo
    generator, imports. Variants already indexed are left alone, so it may run again.
    """
    written, last = 0, 0
    while True:
        variants = list(NameVariant.objects.filter(pk__gt=last).order_by("pk")
                        .only("pk", "person_id", "text")[:batch])
        if not variants:
            return written
        last = variants[-1].pk
        done = set(NamePart.objects.filter(variant_id__gte=variants[0].pk, variant_id__lte=last)
                   .values_list("variant_id", flat=True).distinct())
        with transaction.atomic():
            written += index_name_parts([v for v in variants if v.pk not in done])
