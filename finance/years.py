"""The UK financial year, April to March: the one place that knows which year a day falls in, the months of a
year, and how a year is written ("2026/27")."""

import re
from dataclasses import dataclass
from datetime import date

FIRST_MONTH = 4  # April

_WRITTEN = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    start: int  # the calendar year its April falls in

    @classmethod
    def of(cls, day: date) -> "FinancialYear":
        return cls(day.year if day.month >= FIRST_MONTH else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> "FinancialYear":
        """ "2026/27", "2026-27" or "2026/2027"; anything else (or a second year that does not follow the first)
        is a ValueError saying how to write it."""
        found = _WRITTEN.match(str(text).strip())
        if found:
            first, second = int(found.group(1)), found.group(2)
            following = (first + 1) % 100 if len(second) == 2 else first + 1
            if int(second) == following:
                return cls(first)
        raise ValueError(f"“{str(text)[:20]}” is not a financial year; write it as 2026/27.")

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start, FIRST_MONTH, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, FIRST_MONTH - 1, 31)

    def months(self) -> list[date]:
        """The first day of each of its twelve months, April first."""
        return [date(self.start + (m < FIRST_MONTH), m, 1) for m in (*range(FIRST_MONTH, 13), *range(1, FIRST_MONTH))]

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def next(self) -> "FinancialYear":
        return FinancialYear(self.start + 1)

    def previous(self) -> "FinancialYear":
        return FinancialYear(self.start - 1)
