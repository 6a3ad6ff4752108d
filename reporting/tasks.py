"""Work the task worker does for reporting (see `workstreams.tasks` for how tasks run)."""

from django.tasks import task

from reporting.reminders import send_digests


@task()
def send_reminders_task():
    """The daily digests, for a scheduler that enqueues tasks rather than running commands."""
    return send_digests()
