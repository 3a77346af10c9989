"""Reviewers' comments on reports, acts and element assessments, and their disagreements.

A comment is never edited or replaced: a second reviewer who disagrees adds a comment that
*disagrees* with the first (``replies_to``), and both are shown side by side. Who may comment:
staff who may set a vetting status, and external reviewers on items in their scope. A comment on
an item the author may not see is refused, in custody, like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier import access
from dhakira.apps.vetting import reviewers, texts
from dhakira.apps.vetting.models import Comment
from dhakira.apps.vetting.status import SETTERS, refuse
from dhakira.core.ids import ASSESSMENT
from dhakira.core.vetting import VettingError

__all__ = ["add", "on", "threads"]

MAX_LENGTH = 10_000


def _exists_for(user: AbstractBaseUser, uid: str) -> bool:
    pk = ASSESSMENT.pk_or_none(uid)
    if pk is None:
        return access.may_read_uid(user, uid)
    from dhakira.apps.law import services as law

    found = law.assessments_by_pk([pk]).get(pk)
    return found is not None and access.may_read_uid(user, found["item"])


def check_may_comment(author: AbstractBaseUser, uid: str, *, now: datetime) -> None:
    """Refuse (in custody) unless ``author`` may comment on item ``uid``: an external
    reviewer within their scope, or a staff role that sets vetting, on an item they may see."""
    if reviewers.is_reviewer(author):
        reviewers.check_uids(author, [uid], now=now, asked="comment")
    elif not access.has_role(author, SETTERS):
        raise refuse(author, uid, "role", "your role may not comment on vetting", now=now,
                     asked="comment")
    if not _exists_for(author, uid):
        raise refuse(author, uid, "not visible", f"no item {uid} that you may see", now=now,
                     asked="comment")


def add(author: AbstractBaseUser, target: str, text: str, *, stance: str = "comment",
        replies_to: Comment | None = None, now: datetime | None = None) -> Comment:
    """Add a comment on ``target`` (``I-…``, ``A-…`` or ``AS-…``), or agree or disagree with one.

    Raises:
        VettingError: an empty or over-long text, an unknown stance, agreeing with nothing, or
            replying to a comment on another item (nothing written).
        Refused: the author's role may not comment, the item is outside their scope or not one
            they may see (custody holds the refusal).
    """
    at = now or datetime.now(UTC)
    uid = target.strip().upper()
    text = text.strip()
    if not text:
        raise VettingError("write the comment (it is empty)")
    if len(text) > MAX_LENGTH:
        raise VettingError(f"a comment holds at most {MAX_LENGTH} characters, not {len(text)}")
    if stance not in Comment.Stance.values:
        raise VettingError(f"{stance!r} is not a stance; use comment, agrees or disagrees")
    if stance != Comment.Stance.COMMENT and replies_to is None:
        raise VettingError("say which comment you agree or disagree with")
    check_may_comment(author, uid, now=at)
    # Only after the item itself is allowed, and without naming the other comment's item:
    # comment ids must not tell anyone which items exist.
    if replies_to is not None and replies_to.target != uid:
        raise VettingError(f"there is no such comment on {uid}")
    with transaction.atomic():
        row = Comment(target=uid, stance=stance, replies_to=replies_to, text=text,
                      author=author, at=at)
        row.save()
        store.record(actor=author.get_username(), action="decision", subject=uid, now=at,
                     detail={"vetting": "comment", "comment": row.pk, "stance": stance,
                             "replies_to": replies_to.pk if replies_to else "",
                             "text_hmac": texts.mark(text), "hmac_scheme": texts.SCHEME,
                             "actor_id": author.pk})
    return row


def on(targets: Iterable[str]) -> list[Comment]:
    """Every comment on ``targets``, oldest first, with its author."""
    return list(Comment.objects.filter(target__in=sorted(set(targets))).select_related("author"))


def threads(target: str) -> list[dict[str, object]]:
    """The comments on ``target`` as threads: each first comment with the agreements and
    disagreements that answer it, side by side (``agree``, ``disagree``)."""
    rows = on([target])
    by_parent: dict[int, list[Comment]] = {}
    for c in rows:
        if c.replies_to_id:
            by_parent.setdefault(c.replies_to_id, []).append(c)
    return [{"comment": c,
             "agree": [r for r in by_parent.get(c.pk, []) if r.stance == Comment.Stance.AGREES],
             "disagree": [r for r in by_parent.get(c.pk, []) if r.stance == Comment.Stance.DISAGREES],
             "more": [r for r in by_parent.get(c.pk, []) if r.stance == Comment.Stance.COMMENT]}
            for c in rows if not c.replies_to_id]
