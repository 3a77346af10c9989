"""Who may see and change what: the one place any view, API, CLI command or package
selection asks.

Rules:

* A *member* is a logged-in user with a :class:`Profile` (a role). Anyone else — anonymous,
  or logged in without a role (a bare superuser) — is an *outsider*: views answer 404 (or
  send anonymous users to the login page), never content.
* A compartment (``sources``, ``sogi``, ``protection``, ``addresses``) is readable by members
  cleared for it; viewers and external reviewers are cleared for nothing.
* An external reviewer (role ``reviewer``) holds a profile but is not a reader: every view
  behind :func:`member_required` or :func:`role_required` answers them 403; only the vetting
  app's reviewer pages, which check their scope and expiry, let them in.
* A report (:class:`Information`) or evidence item with a compartment is readable only by
  members cleared for it; rows without one are readable by every member. A row a user may
  not read is answered exactly like a row that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from dhakira.apps.dossier.models import Information, NameVariant, Profile, Role
from dhakira.core.ids import key_or_none

__all__ = ["ANY_ROLE", "READERS", "REVIEWER", "WRITERS", "ANALYSTS", "APPROVERS", "can_write", "cleared_required",
           "get_visible_or_404", "has_role", "is_cleared", "is_member", "may_read",
           "may_read_compartment", "may_read_uid", "member_profile", "member_required",
           "profile_of", "profiles_remembered", "readable_compartments", "readable_compartments_of",
           "readable_uids", "role_required", "hidden_names", "veiled_persons", "visible",
           "visible_names",
           "visible_sources", "writer_required"]

AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser | None
View = Callable[..., HttpResponse]
M = TypeVar("M", bound=models.Model)

# Role values (see Role); every staff role may read what is not compartmented. An external
# reviewer is not a reader: every page but the vetting pages of their scope is closed to them
# (dhakira.apps.vetting.reviewers), so no page written for staff can show them anything.
REVIEWER = "reviewer"  # Role.REVIEWER
READERS: frozenset[str] = frozenset(Role.values) - {REVIEWER}
#: every role, external reviewers included (their own second factor, nothing else).
ANY_ROLE: frozenset[str] = frozenset(Role.values)
WRITERS = frozenset({"administrator", "documenter", "analyst", "legal"})
#: who may define charges, record assessments and run estimates.
ANALYSTS = frozenset({"legal", "analyst", "administrator"})
#: who may approve a consent override and read the disclosure log.
APPROVERS = frozenset({"administrator", "legal"})


# --- who the user is ------------------------------------------------------------------

# One request asks for the user's profile up to eight times (middleware, decorators, the
# view, the header); each ask was a query. Within profiles_remembered() the answer is kept
# for the rest of that request, and forgotten as soon as any profile is saved or deleted.
_remembered: ContextVar[dict[object, Profile | None] | None] = ContextVar("dhakira_profiles",
                                                                         default=None)


@contextmanager
def profiles_remembered() -> Iterator[None]:
    """Answer :func:`profile_of` from memory for the duration (one web request)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def forget_profiles(**_: object) -> None:
    """Drop what :func:`profiles_remembered` holds (a profile was saved or deleted)."""
    memo = _remembered.get()
    if memo is not None:
        memo.clear()


def profile_of(user: AnyUser) -> Profile | None:
    """The user's profile, or None for anonymous users and users without one (outsiders)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    memo = _remembered.get()
    if memo is None:
        return Profile.objects.filter(user=user).first()
    if user.pk not in memo:
        memo[user.pk] = Profile.objects.filter(user=user).first()
    return memo[user.pk]


def is_member(user: AnyUser) -> bool:
    """Whether ``user`` holds a role."""
    return profile_of(user) is not None


def has_role(user: AnyUser, roles: Iterable[str]) -> bool:
    """Whether ``user`` is a member whose role is one of ``roles``."""
    profile = profile_of(user)
    return bool(profile and profile.role in set(roles))


def can_write(user: AnyUser) -> bool:
    """Whether ``user`` may record and change dossier material (not viewers, not outsiders)."""
    return has_role(user, WRITERS)


def readable_compartments(user: AnyUser) -> frozenset[str]:
    """The compartments ``user`` may read; empty for viewers and outsiders."""
    profile = profile_of(user)
    if profile is None:
        return frozenset()
    return frozenset(c for c in profile.clearances if profile.is_cleared(c))


def readable_compartments_of(username: str) -> frozenset[str] | None:
    """:func:`readable_compartments` of the user named ``username`` (for the CLI); None when
    there is no such user or the user holds no role."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None or profile_of(user) is None:
        return None
    return readable_compartments(user)


def is_cleared(user: AnyUser, compartment: str) -> bool:
    """Whether ``user`` may read material of ``compartment``."""
    return compartment in readable_compartments(user)


def may_read_compartment(user: AnyUser, compartment: str) -> bool:
    """Whether a member may read a row of ``compartment`` ("" is open to every member)."""
    return is_member(user) and (not compartment or is_cleared(user, compartment))


# --- what the user may see ------------------------------------------------------------

def visible(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Rows of ``queryset`` (reports, evidence, search documents) ``user`` may read."""
    if not is_member(user):
        return queryset.none()
    return queryset.filter(Q(compartment="") | Q(compartment__in=sorted(readable_compartments(user))))


def visible_names(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Names (``NameVariant`` rows of ``queryset``) ``user`` may read: a name a report gave
    is as restricted as that report (an imported sheet's protected rows keep their victims'
    names from readers not cleared); a name no report gave is read by every member."""
    if not is_member(user):
        return queryset.none()
    return queryset.filter(Q(information__isnull=True) | Q(information__compartment="")
                           | Q(information__compartment__in=sorted(readable_compartments(user))))


def veiled_persons(user: AnyUser) -> frozenset[int]:
    """People ``user`` meets as an id only where "the same person" is concerned: those holding
    a name given by a report the user may not read.

    Linkage must not set them beside anyone for this user (a review pair, "also recorded as",
    a link): beside a named person, or compared field by field with one, they would tell who
    the restricted report is about. Few reports are restricted, so the set is small.
    """
    if not is_member(user):
        return frozenset()
    hidden = hidden_names(readable_compartments(user))
    return frozenset(hidden.order_by().values_list("person_id", flat=True).distinct())


def hidden_names(readable: Iterable[str]) -> QuerySet[NameVariant]:
    """The names a reader of the ``readable`` compartments may not read: those given by a
    report of any other compartment (what :func:`visible_names` leaves out). Few reports are
    restricted, and the compartment index finds them."""
    return (NameVariant.objects.filter(information__compartment__gt="")
            .exclude(information__compartment__in=sorted(readable)))


def visible_sources(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Sources of ``queryset`` ``user`` may know of: a source known only through reports the
    user may not read (the sender of a restricted e-mail) is left out."""
    if not is_member(user):
        return queryset.none()
    return sources_readable_in(readable_compartments(user), queryset)


def sources_readable_in(allowed: Collection[str], queryset: QuerySet[M]) -> QuerySet[M]:
    """Sources of ``queryset`` known through a report of no compartment or of one of
    ``allowed`` (or through none at all): what :func:`visible_sources` shows a reader cleared
    for ``allowed``, and a field kit, whose user the office does not know, with none."""
    # Few reports are restricted: both look-ups run on indexes, never over every report.
    # "> ''" (not "!= ''") and no DISTINCT, so that the compartment index can serve it: the
    # first form read all 1,000,000 reports of a large dossier on every intake page (13 s).
    restricted = set(Information.objects.filter(compartment__gt="")
                     .exclude(compartment__in=sorted(allowed)).order_by()
                     .values_list("source_id", flat=True))
    if not restricted:
        return queryset
    seen = set(Information.objects.filter(source_id__in=restricted)
               .filter(Q(compartment="") | Q(compartment__in=sorted(allowed)))
               .values_list("source_id", flat=True).distinct())
    return queryset.exclude(pk__in=restricted - seen)


def may_read(user: AnyUser, obj: models.Model) -> bool:
    """Whether ``user`` may read ``obj``: a member, cleared for its compartment if it has one."""
    return may_read_compartment(user, getattr(obj, "compartment", "") or "")


def get_visible_or_404(user: AnyUser, queryset: QuerySet[Any], **lookup: Any) -> Any:
    """The one row of ``queryset`` matching ``lookup`` that ``user`` may read; else 404.

    A row the user may not read is answered like one that does not exist.
    """
    base = visible(user, queryset) if _compartmented(queryset.model) else (
        queryset if is_member(user) else queryset.none())
    row = base.filter(**lookup).first()
    if row is None:
        raise Http404
    return row


def _compartmented(model: type[models.Model]) -> bool:
    return any(f.name == "compartment" for f in model._meta.get_fields())


def _uid_compartments(uids: Iterable[str]) -> dict[str, str | None]:
    """Compartment of each item uid (``I-``, ``A-``, ``EV-``); None where nothing is found."""
    from django.apps import apps

    found: dict[str, str | None] = {}
    wanted: dict[str, dict[int, str]] = {"I-": {}, "A-": {}, "EV-": {}}
    for uid in uids:
        u = uid.strip().upper()
        found[u] = None
        for prefix, bucket in wanted.items():
            number = key_or_none(u[len(prefix):]) if u.startswith(prefix) else None
            if number is not None:
                bucket[number] = u
                break
    for pk, c in Information.objects.filter(pk__in=wanted["I-"]).values_list("pk", "compartment"):
        found[wanted["I-"][pk]] = c
    from dhakira.apps.dossier.models import Act

    for pk in Act.objects.filter(pk__in=wanted["A-"]).values_list("pk", flat=True):
        found[wanted["A-"][pk]] = ""  # acts are coded by staff, open to members
    if wanted["EV-"] and apps.is_installed("dhakira.apps.evidence"):
        from dhakira.apps.evidence.models import EvidenceItem

        for pk, c in EvidenceItem.objects.filter(pk__in=wanted["EV-"]).values_list("pk", "compartment"):
            found[wanted["EV-"][pk]] = c
    return found


def readable_uids(user: AnyUser, uids: Iterable[str]) -> set[str]:
    """The item uids among ``uids`` that exist and ``user`` may read (normalised upper case).

    ``user`` None stands for the public (a brief leaving the vault): only items with no
    compartment are kept. An outsider reads nothing.
    """
    if user is None:
        allowed: frozenset[str] = frozenset()
    elif is_member(user):
        allowed = readable_compartments(user)
    else:
        return set()
    return {u for u, c in _uid_compartments(uids).items()
            if c is not None and (not c or c in allowed)}


def may_read_uid(user: AnyUser, uid: str) -> bool:
    """Whether ``uid`` names an item that exists and ``user`` may read."""
    return bool(readable_uids(user, [uid]))


# --- view decorators ------------------------------------------------------------------

def member_profile(request: HttpRequest) -> Profile:
    """The requesting user's profile; an outsider gets 404."""
    profile = profile_of(request.user)
    if profile is None:
        raise Http404
    return profile


def role_required(roles: Iterable[str]) -> Callable[[View], View]:
    """Logged in (else the login page), a member (else 404), with one of ``roles`` (else 403)."""
    allowed = frozenset(roles)

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if member_profile(request).role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped
    return decorate


def member_required(view: View) -> View:
    """Logged in and holding a role (any role may read)."""
    return role_required(READERS)(view)


def writer_required(view: View) -> View:
    """Logged in with a role that may record material; viewers get 403, outsiders 404."""
    return role_required(WRITERS)(view)


def cleared_required(compartment: str) -> Callable[[View], View]:
    """Logged in and cleared for ``compartment``; anyone else gets 404 (existence stays hidden)."""
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            member_profile(request)
            if not is_cleared(request.user, compartment):
                raise Http404
            return view(request, *args, **kwargs)
        return wrapped
    return decorate
