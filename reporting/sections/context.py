"""What every section generator is given: the report and the portfolio as at its meeting date and its
comparison date, read once for the whole document."""

from reporting.models import Report
from workstreams.selectors import programme_overview


class Context:
    """What the generators share: the portfolio as at the meeting and as at the comparison date, read once."""

    def __init__(self, report: Report):
        self.report = report
        self.programme = report.programme
        self.as_of = report.meeting_date
        self.since = report.comparison_date
        self.now = programme_overview(self.programme, as_of=self.as_of)
        self.before = programme_overview(self.programme, as_of=self.since) if self.since else None
        self.section = None  # the section being generated, for generators that take settings (its columns)
