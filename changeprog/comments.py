"""Comment threads on any record an app registers: a status update, a risk, a draft paper.

The core keeps the threads and the rules every thread shares (who said what when, who resolved it, nothing
deleted); each app says, for its kind of record, who may read and join a thread, who may resolve any comment
in it (everyone may resolve their own), whether it is still open for comment, and which page shows it. One
mechanism, so the access checks hold the same everywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from changeprog.models import Comment

MAX_LENGTH = 4000


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    can_read: Callable  # (user, obj) -> bool: may see the thread and add to it
    can_resolve_any: Callable  # (user, obj) -> bool: may resolve others' comments
    page_url: Callable  # (obj) -> str: the page that shows the thread
    closed: Callable = lambda obj: ""  # (obj) -> why the thread takes no more comments, or ""
    describe: Callable = str  # (obj) -> how the thread's page names it


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def kind_of(obj) -> Kind:
    for kind in KINDS.values():
        if isinstance(obj, kind.model):
            return kind
    raise LookupError(f"{type(obj).__name__} takes no comments")


def target_for(user, name: str, pk: int):
    """The record a request names, if the user may read its thread: 404 for a kind or record that does not
    exist, 403 for one the user may not see."""
    kind = KINDS.get(name)
    if kind is None:
        raise Http404("Nothing of that kind takes comments.")
    obj = kind.model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404("That record does not exist.")
    if not kind.can_read(user, obj):
        raise PermissionDenied("You cannot see the discussion of this record.")
    return kind, obj


def _of_kind(obj) -> dict:
    """A filter on the records' type joined in the same query (the content-type cache would make the page's
    query count depend on what ran before)."""
    meta = type(obj)._meta
    return {"content_type__app_label": meta.app_label, "content_type__model": meta.model_name}


def thread(obj) -> list[Comment]:
    return list(Comment.objects.filter(**_of_kind(obj), object_id=obj.pk).select_related("author", "resolved_by"))


def counts(objects) -> dict[int, tuple[int, int]]:
    """{pk: (comments, unresolved)} for records of one kind, in one query."""
    objects = list(objects)
    if not objects:
        return {}
    rows = (
        Comment.objects.filter(**_of_kind(objects[0]), object_id__in=[o.pk for o in objects])
        .values("object_id")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(resolved_at__isnull=True)))
        .order_by()
    )
    return {row["object_id"]: (row["total"], row["open"]) for row in rows}


def comment_add(*, target, body: str, by) -> Comment:
    kind = kind_of(target)
    if not kind.can_read(by, target):
        raise PermissionDenied("You cannot join the discussion of this record.")
    why_closed = kind.closed(target)
    if why_closed:
        raise ValidationError({"body": why_closed})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a comment first."})
    if len(body) > MAX_LENGTH:
        raise ValidationError({"body": f"Keep a comment to {MAX_LENGTH:,} characters; this one has {len(body):,}."})
    with transaction.atomic():
        comment = Comment(target=target, body=body, author=by)
        comment._change_reason = "Comment added"
        comment.save()
    return comment


def comment_resolve(*, comment: Comment, by) -> Comment:
    target = comment.target
    kind = kind_of(target)
    if not kind.can_read(by, target) or not (comment.author_id == by.pk or kind.can_resolve_any(by, target)):
        raise PermissionDenied("Only its author or whoever runs this record resolves a comment.")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.resolved:
            raise ValidationError(
                f"{comment.resolved_by.get_full_name() if comment.resolved_by else 'Someone'} resolved this comment "
                f"already."
            )
        comment.resolved_by, comment.resolved_at = by, timezone.now()
        comment._change_reason = "Comment resolved"
        comment.save()
    return comment


def thread_context(user, obj) -> dict:
    """What `includes/comments.html` shows for a record's thread on its page."""
    kind = kind_of(obj)
    comments = thread(obj)
    resolves_any = kind.can_resolve_any(user, obj)  # once for the thread, not once per comment
    for comment in comments:
        comment.can_resolve = not comment.resolved and (comment.author_id == user.pk or resolves_any)
    return {
        "comments": comments,
        "comment_kind": kind.name,
        "comment_target": obj,
        "comments_closed": kind.closed(obj),
        "comments_open": sum(1 for c in comments if not c.resolved),
    }
