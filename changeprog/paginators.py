"""Paginators, and reading a page of rows, at a cost that does not grow with the table.

`CappedCountPaginator`: a paginator whose count costs the same however large the table: it counts at most `cap` + 1
rows. `CountedPaginator`: one told its count, where the database keeps it (every open risk: `OpenRiskCell`).

The administration's lists count the rows they page through to offer the page numbers; a count of every status
update, rating or history row grows with the years of records. Past `cap` the list says "more than" and pages
that far; filters and search narrow it to what can be counted.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet, Subquery


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


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (`count`, a count the database keeps), so that it does not count
    them; without `count` it counts as any paginator does."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.count = count  # in place of the cached count


def joined_after_limit(rows: QuerySet, start: int, stop: int) -> QuerySet:
    """`rows[start:stop]` (an ordered queryset), with its joins (`select_related`) made for those rows only: the
    rows are chosen by id in a subquery that sorts and limits without the joins, and the query around it joins and
    orders the few chosen. Sorted and limited after the joins, the database joins every matching row first: to
    list fifty milestones or five risks it read every project of the portfolio."""
    return rows.filter(pk__in=Subquery(rows.values("pk")[start:stop]))


class JoinAfterLimitPaginator(Paginator):
    """Pages `rows` through `joined_after_limit`: each page joins its own rows only."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(joined_after_limit(self.object_list, bottom, top), number, self)
