"""The quick date filter the long lists use reads exactly as Django's `|date:"j M Y"` does."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.template import engines
from django.template.defaultfilters import date as django_date

from changeprog.templatetags.changeprog import short_date


def test_every_day_of_a_leap_year_reads_as_djangos_date_filter_gives_it():
    day = date(2024, 1, 1)
    while day.year == 2024:
        assert short_date(day) == django_date(day, "j M Y")
        day += timedelta(days=1)


def test_a_moment_is_shown_on_its_uk_day_either_side_of_the_clocks_changing():
    page = engines["django"].from_string('{% load changeprog %}{{ at|short_date }} / {{ at|date:"j M Y" }}')
    late_winter_evening = datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    late_summer_evening = datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 1 July in London
    assert page.render({"at": late_winter_evening}) == "31 Jan 2026 / 31 Jan 2026"
    assert page.render({"at": late_summer_evening}) == "1 Jul 2026 / 1 Jul 2026"
    assert short_date(late_summer_evening) == "1 Jul 2026"  # called from Python too


def test_no_date_reads_as_nothing():
    assert short_date(None) == "" == django_date(None, "j M Y")


def test_a_moment_reads_as_djangos_date_filter_gives_it_in_uk_time_all_year():
    """`short_moment` (and `moment_text`, which conflict messages use) read as `|date:"j M Y, H:i"` does, either
    side of both clock changes and at midnight."""
    from changeprog.effective import moment_text
    from changeprog.templatetags.changeprog import short_moment

    page = engines["django"].from_string('{% load changeprog %}{{ at|short_moment }}|{{ at|date:"j M Y, H:i" }}')
    at = datetime(2026, 1, 1, 0, 5, tzinfo=ZoneInfo("UTC"))
    while at.year == 2026:
        ours, django = page.render({"at": at}).split("|")
        assert ours == django == moment_text(at)
        at += timedelta(hours=7, minutes=13)
    summer = datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert moment_text(summer) == "1 Jul 2026, 00:30" and short_moment(None) == ""
