"""What every section generator is given: the report and the portfolio as at its meeting date and its
comparison date, read once for the whole document."""

import functools

from reporting.models import Report
from workstreams.selectors import programme_overview


class Context:
    """What the generators share: the portfolio as at the meeting and as at the comparison date, read once."""

    def __init__(self, report: Report, now=None):
        """`now`: the programme's overview as at the meeting, where the caller has already read it (the
        publish gate does)."""
        self.report = report
        self.programme = report.programme
        self.as_of = report.meeting_date
        self.since = report.comparison_date
        self.now = now if now is not None else programme_overview(self.programme, as_of=self.as_of)
        self.section = None  # the section being generated, for generators that take settings (its columns)
        self._own = None

    @functools.cached_property
    def before(self):
        """The portfolio as at the comparison date (None without one), read when a section first asks."""
        return programme_overview(self.programme, as_of=self.since) if self.since else None

    @property
    def project_fields(self):
        """The projects' own fields (`changeprog.custom_fields`) and the people they name, read once."""
        if self._own is None:
            from changeprog import custom_fields

            projects = [p.item for w in self.now.workstreams for p in w.projects]
            self._own = custom_fields.table("project", projects)
        return self._own
