"""Tracker imports run in the background as jobs, so no request waits on a large file: the job's page follows it,
and the real task worker (django-tasks-db's `db_worker`) runs jobs queued in the database."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.workstreams.test_import_tracker import MONTHS, tracker
from workstreams.models import ImportJob, Programme, StatusUpdate

pytestmark = pytest.mark.django_db


def upload(content: bytes, name="tracker.xlsx"):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403), ("no_role", 403)])
def test_only_the_programme_office_follows_import_jobs(client, request, pmo, persona, status):
    job = ImportJob.objects.create(file_name="t.xlsx", content=b"", requested_by=pmo, status="done", summary="Done.")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(job.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "Done." in response.content.decode()


def test_a_job_waiting_for_the_worker_says_so_and_refreshes_itself(client, pmo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(pmo)
    response = client.post(
        reverse("workstreams:import"), {"file": upload(tracker(projects=1, months=MONTHS[:2])), "dry_run": "on"}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting for the worker" in page and 'hx-trigger="every 2s"' in page
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.strip().startswith('<div id="job-status"') and "<html" not in fragment


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections as it does in production
def test_the_worker_runs_a_large_import_queued_in_the_database(client, shipped_data, pmo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(pmo)
    content = tracker(projects=20, months=MONTHS)  # 480 status updates
    client.post(reverse("workstreams:import"), {"file": upload(content)})
    job = ImportJob.objects.get()
    assert job.status == "queued" and not Programme.objects.filter(code="FCP").exists()

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    job.refresh_from_db()
    assert (job.status, job.rows_to_write, job.problems) == ("done", 480, [])
    assert job.batch is not None and job.summary.startswith("Imported 1 new programmes")
    assert StatusUpdate.objects.filter(import_batch=job.batch).count() == 480
    assert bytes(job.content) == b""  # the file is not kept once imported
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Imported 1 new programmes" in page and job.batch.get_absolute_url() in page
    assert 'hx-trigger="every 2s"' not in page


def test_a_checked_file_is_imported_from_its_job_without_uploading_it_again(client, pmo):
    client.force_login(pmo)
    checked = client.post(
        reverse("workstreams:import"), {"file": upload(tracker(projects=2, months=MONTHS[:2])), "dry_run": "on"}
    )
    job = ImportJob.objects.get()
    assert job.status == "done" and job.dry_run and bytes(job.content)
    assert not Programme.objects.filter(code="FCP").exists()
    imported = client.post(checked["Location"])
    assert Programme.objects.filter(code="FCP").exists()
    assert imported["Location"] == ImportJob.objects.exclude(pk=job.pk).get().get_absolute_url()


def test_a_file_with_problems_cannot_be_imported_from_its_job(client, pmo):
    def bad(book):
        book["Updates"]["F2"] = "Mauve"

    client.force_login(pmo)
    checked = client.post(
        reverse("workstreams:import"),
        {"file": upload(tracker(projects=1, months=MONTHS[:1], edit=bad)), "dry_run": "on"},
    )
    page = client.get(checked["Location"]).content.decode()
    assert "1 problem; nothing was saved." in page and "Import it now" not in page
    assert client.post(checked["Location"]).status_code == 400
    assert ImportJob.objects.count() == 1


def test_a_job_that_stops_says_nothing_was_saved(pmo, monkeypatch):
    from workstreams import tasks

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "import_tracker", broken)
    job = tasks.start_import(file_name="t.xlsx", content=b"x", by=pmo, dry_run=False)
    job.refresh_from_db()
    assert (
        job.status == "failed"
        and job.error == "RuntimeError: the import stopped before it finished; nothing was saved."
    )
