"""A paginator whose count costs the same however large the table: it counts at most `cap` + 1 rows.

The administration's lists count the rows they page through to offer the page numbers; a count of every status
update, rating or history row grows with the years of records. Past `cap` the list says "more than" and pages
that far; filters and search narrow it to what can be counted.
"""

from functools import cached_property

from django.core.paginator import Paginator


class CappedCountPaginator(Paginator):
    cap = 10_000

    @cached_property
    def count(self) -> int:
        """The rows, counted exactly up to `cap`; `cap` + 1 stands for any more than that."""
        rows = self.object_list
        if hasattr(rows, "count") and hasattr(rows, "query"):
            return rows.order_by()[: self.cap + 1].count()
        return len(rows)

    @property
    def capped(self) -> bool:
        return self.count > self.cap
