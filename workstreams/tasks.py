"""Work the task worker does outside any request (Django's tasks framework; in production the database-backed
queue of django-tasks-db and `python manage.py db_worker`). In development and tests tasks run at once, in the
request that asks for them."""

import logging
from io import BytesIO

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from workstreams.importer import import_tracker
from workstreams.models import ImportJob

logger = logging.getLogger(__name__)


@task()
def run_import(job_id: int):
    """Run one import job: check the file, then (unless a dry run) write it, recording each stage and the
    outcome on the job, which the job's page shows."""
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.finished:
        return  # a retry of a job already run: nothing to do

    def stage(name, updates):
        ImportJob.objects.filter(pk=job_id).update(status=name, rows_to_write=updates)

    try:
        content = bytes(job.content)
        result = import_tracker(
            BytesIO(content),
            by=job.requested_by,
            source=job.file_name,
            size=len(content),
            dry_run=job.dry_run,
            on_stage=stage,
        )
    except Exception as error:  # the job records the failure for the person waiting on it; the log keeps the rest
        logger.exception("Import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error=f"{type(error).__name__}: the import stopped before it finished; nothing was saved.",
            finished_at=timezone.now(),
        )
        return
    job.refresh_from_db()
    job.status = ImportJob.Status.DONE
    job.problems = [[p.sheet, p.row, p.column, p.message] for p in result.problems]
    job.summary = str(result.summary) if result.summary else ""
    job.batch = result.summary.batch if result.summary and result.summary.saved else None
    job.finished_at = timezone.now()
    if not job.dry_run:
        job.content = b""  # not needed once imported (the batch keeps its checksum); a checked file is kept
    job.save()


def start_import(*, file_name: str, content: bytes, by, dry_run: bool) -> ImportJob:
    """Keep the file as a job and queue it for the worker. The queue lives in the same database, so the worker
    sees the job and its task together, once they are committed."""
    with transaction.atomic():
        job = ImportJob.objects.create(file_name=file_name[:255], content=content, dry_run=dry_run, requested_by=by)
        run_import.enqueue(job_id=job.pk)
    return job
