"""Estimates started from the page run in the background, one at a time, with progress.

A job is a row (:class:`~dhakira.apps.counting.models.EstimateJob`) and a thread of the server
process. The database allows one ``running`` row, so a second start (a double click, another
user) gets the running job back instead of a second run. A ``running`` row written by another
process image (:mod:`dhakira.apps.web.server`), or by a worker of this one that has since ended,
was cut off, and is marked interrupted the next time jobs are looked at.

A running job can be cancelled (:func:`cancel`): the request is written to its row, and the
job's thread reads it at its next progress report (at most every :data:`SAVE_EVERY` seconds,
and the estimators report between blocks of work) and stops there: nothing of the run is
saved, and the job is recorded as cancelled, by whom and when.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dhakira.apps.counting import services
from dhakira.apps.counting.errors import CountingError
from dhakira.apps.counting.models import EstimateJob
from dhakira.core.counting.errors import EstimateError
from dhakira.core.counting.lcmcr import BUDGET_SECONDS
from dhakira.core.ids import JOB
from dhakira.errors import DhakiraError

__all__ = ["PROCESS", "Cancelled", "Expected", "cancel", "current", "expected", "refresh", "start"]

log = logging.getLogger(__name__)
# This process image; execv (a lock) makes a new one. Workers forked from one supervisor
# (``dhakira serve --workers``) share it: a job names it with its own pid.
PROCESS = uuid.uuid4().hex
SAVE_EVERY = 0.5  # seconds between progress writes (the page polls about once a second)
MOST = 0.99  # the bar's furthest point before the run is saved
Status = EstimateJob.Status


class Cancelled(Exception):  # noqa: N818 - it says what happened, as EstimateError does
    """Raised inside a job's thread, from its progress report, when a user cancelled it."""


def start(user: AbstractBaseUser, options: dict[str, Any]) -> tuple[EstimateJob, bool]:
    """Start an estimate with ``options`` (as for :func:`services.run_with_current`).

    Returns:
        The job and True, or the job already running and False (nothing new is started).
    """
    refresh()
    try:
        with transaction.atomic():
            job = EstimateJob.objects.create(
                created_by=user if user.is_authenticated else None, options=options,
                process=f"{PROCESS}:{os.getpid()}", message="")
    except IntegrityError:
        running = EstimateJob.objects.filter(status=Status.RUNNING).first()
        if running is None:  # it finished between the insert and this read
            return start(user, options)
        return running, False
    spawn(job.pk)
    return job, True


def spawn(pk: int) -> None:
    """Run job ``pk`` in a thread of this process (tests may run it inline instead)."""
    threading.Thread(target=_in_thread, args=(pk,), name=f"estimate-job-{pk}",
                     daemon=True).start()


def _in_thread(pk: int) -> None:
    try:
        work(pk)
    finally:
        connection.close()  # this thread's own database connection


def work(pk: int) -> None:
    """Run the estimate of job ``pk`` and record its end: the run, or the plain error."""
    job = EstimateJob.objects.get(pk=pk)
    options = _decode(job.options)
    try:
        run = services.run_with_current(user=job.created_by, progress=_reporter(pk), **options)
    except Cancelled:
        _finish(pk, status=Status.CANCELLED)
    # A refusal keeps its code, for each reader's language: the app's, and the core's (too
    # many lists for the method), whose own text is English.
    except (CountingError, EstimateError) as exc:
        _finish(pk, status=Status.FAILED, error=str(exc), refusal_code=exc.code,
                refusal_params=exc.params)
    except DhakiraError as exc:
        _finish(pk, status=Status.FAILED, error=str(exc))
    except Exception as exc:
        log.exception("estimate job %s failed", job.uid)
        _finish(pk, status=Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        _finish(pk, status=Status.DONE, run=run, progress=1.0)


def _decode(options: dict[str, Any]) -> dict[str, Any]:
    from dhakira.apps.counting.definitions import ListDefinition, StrataDefinition

    return {**options, "lists": ListDefinition.from_json(options["lists"]),
            "strata": StrataDefinition.from_json(options["strata"])}


def _reporter(pk: int) -> Callable[[float, str], None]:
    """A progress callback that writes to the job row at most every SAVE_EVERY seconds, and
    raises :class:`Cancelled` there when a user has asked the job to stop.

    The bar never moves back (an estimate with its sensitivity runs the estimator more than
    once, each run counting from 0) and stays below 100 % until the run is saved.
    """
    last = {"saved": 0.0, "shown": 0.0}

    def progress(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last["saved"] < SAVE_EVERY:
            return
        last["saved"] = now
        last["shown"] = max(last["shown"], min(max(float(fraction), 0.0), MOST))
        EstimateJob.objects.filter(pk=pk, status=Status.RUNNING).update(
            progress=last["shown"], message=str(message)[:200])
        if EstimateJob.objects.filter(pk=pk, cancel_requested=True).exists():
            raise Cancelled(JOB.format(pk))

    return progress


def _finish(pk: int, **fields: Any) -> None:
    EstimateJob.objects.filter(pk=pk).update(finished_at=timezone.now(), **fields)


def cancel(pk: int, user: AbstractBaseUser) -> bool:
    """Ask running job ``pk`` to stop; return whether it was running (a job that has ended
    meanwhile keeps its end). A job whose process has ended is marked interrupted by
    :func:`refresh` first, so only a live job's thread is left to see the request."""
    refresh()
    return bool(EstimateJob.objects.filter(pk=pk, status=Status.RUNNING).update(
        cancel_requested=True, cancelled_by=user if user.is_authenticated else None))


@dataclass(frozen=True)
class Expected:
    """How long a new estimate from the page may take, said before it starts.

    Attributes:
        method: the method.
        runs: estimates one job makes (the vault's matching and each sensitivity level).
        ceiling: seconds the runs may take at most, their time budgets added up (None when
            the method has no budget: it runs until it is done).
        last: seconds the last finished job of this method took on this vault (None if none).
        last_victims: victims that job's estimate saw.
        last_job: that job's uid.
    """

    method: str
    runs: int
    ceiling: float | None
    last: float | None = None
    last_victims: int | None = None
    last_job: str = ""


#: Methods whose sampler stops extending its chains after BUDGET_SECONDS, each estimate.
BUDGETED = frozenset({"lcmcr"})


def expected(method: str) -> Expected:
    """How long a job of ``method`` may take: the ceiling its time budgets set (from the
    code's budget, not a guess), and the time the last finished job of the method took on
    this vault, with how many victims it saw (the sampler's cost grows with them)."""
    runs = 1 + len(services.SENSITIVITY)
    ceiling = runs * BUDGET_SECONDS if method in BUDGETED else None
    for job in (EstimateJob.objects.filter(status=Status.DONE, finished_at__isnull=False,
                                           run__isnull=False).select_related("run")[:50]):
        if job.options.get("method") == method and job.run is not None:
            assert job.finished_at is not None  # filtered above
            return Expected(method, runs, ceiling,
                            (job.finished_at - job.created_at).total_seconds(),
                            job.run.victims, job.uid)
    return Expected(method, runs, ceiling)


def refresh() -> None:
    """Mark as interrupted every running job of another (ended) process image, or of a
    serving process of this image that has ended (``--workers``: one crashed)."""
    running = EstimateJob.objects.filter(status=Status.RUNNING).values_list("pk", "process")
    cut_off = [pk for pk, process in running if not _alive(process)]
    if cut_off:
        EstimateJob.objects.filter(pk__in=cut_off, status=Status.RUNNING).update(
            status=Status.INTERRUPTED, finished_at=timezone.now())


def _alive(process: str) -> bool:
    """Whether the process a job names (``IMAGE`` or ``IMAGE:PID``) still runs this image."""
    image, _, pid = process.partition(":")
    if image != PROCESS:
        return False
    if not pid.isdigit() or int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def current() -> EstimateJob | None:
    """The running job, if any (after :func:`refresh`)."""
    refresh()
    return EstimateJob.objects.filter(status=Status.RUNNING).first()
