"""The shared status read (`selectors.updates_by_id`) makes one object per rating, and each level and dimension
once however many ratings name it: a programme's overview reads thousands of ratings and a dozen levels."""

from tests.builders import build_portfolio
from workstreams import selectors
from workstreams.models import StatusRating, StatusUpdate


def test_ratings_share_their_levels_and_dimensions_and_read_as_the_model_does(pmo):
    programme, _, _ = build_portfolio(projects=6, by=pmo, workstreams=2, updates_per_item=2)
    ids = list(StatusUpdate.objects.values_list("pk", flat=True))
    updates = selectors.updates_by_id(ids)
    read = [r for u in updates.values() for r in u.ratings.all()]
    assert len(read) == StatusRating.objects.count() > len(ids)
    for update in updates.values():
        expected = list(StatusRating.objects.filter(update=update))  # in the model's order
        got = list(update.ratings.all())
        assert [r.pk for r in got] == [r.pk for r in expected]
        for mine, theirs in zip(got, expected, strict=True):
            assert (mine.level.label, mine.dimension.name, mine.explanation, mine.disagrees) == (
                theirs.level.label,
                theirs.dimension.name,
                theirs.explanation,
                theirs.disagrees,
            )
            assert mine.update is update
    levels = {}
    for rating in read:
        levels.setdefault(rating.level_id, set()).add(id(rating.level))
    assert all(len(objects) == 1 for objects in levels.values())
    assert len({id(r.dimension) for r in read}) == len({r.dimension_id for r in read})


def test_the_ratings_attached_answer_without_a_query(pmo, django_assert_num_queries):
    build_portfolio(projects=3, by=pmo, workstreams=1, updates_per_item=1)
    updates = selectors.updates_by_id(StatusUpdate.objects.values_list("pk", flat=True))
    with django_assert_num_queries(0):
        for update in updates.values():
            assert update.ratings.all().count() == len(list(update.ratings.all())) > 0
            assert all(r.level.label and r.dimension.name for r in update.ratings.all())


def test_ratings_of_an_update_read_with_them_or_alone_are_its_ratings(pmo, django_assert_num_queries):
    from workstreams.history import ratings_of

    build_portfolio(projects=3, by=pmo, workstreams=1, updates_per_item=1)
    ids = list(StatusUpdate.objects.values_list("pk", flat=True))
    read = selectors.updates_by_id(ids)
    prefetched = {u.pk: u for u in selectors.status_timeline(StatusUpdate.objects.first().subject)}
    with django_assert_num_queries(0):  # read with the update, or prefetched: no query, no manager
        for update in [*read.values(), *prefetched.values()]:
            assert [r.pk for r in ratings_of(update)] == [r.pk for r in update.ratings.all()]
    alone = StatusUpdate.objects.get(pk=ids[0])
    expected = list(StatusRating.objects.filter(update_id=ids[0]).values_list("pk", flat=True))
    with django_assert_num_queries(1):  # an update read alone asks the database, as its manager would
        assert [r.pk for r in ratings_of(alone)] == expected


def test_ratings_already_read_can_still_be_filtered_as_a_related_manager_filters_them(pmo):
    """`update.ratings.get(dimension=…)` and `.filter(…)` ask the database for that update's ratings, as they do
    after a prefetch, instead of filtering an empty query."""
    build_portfolio(projects=2, by=pmo, workstreams=1, updates_per_item=1)
    update = next(u for u in selectors.updates_by_id(StatusUpdate.objects.values_list("pk", flat=True)).values())
    rating = list(update.ratings.all())[0]
    assert update.ratings.get(dimension=rating.dimension) == rating
    assert list(update.ratings.filter(level=rating.level).values_list("pk", flat=True)) == [
        r.pk for r in StatusRating.objects.filter(update=update, level=rating.level)
    ]
    assert update.ratings.order_by("-pk").first() == StatusRating.objects.filter(update=update).order_by("-pk").first()
    assert update.ratings.exclude(pk=rating.pk).count() == StatusRating.objects.filter(update=update).count() - 1


def test_ratings_as_they_were_recorded_refuse_a_query_that_would_read_todays(pmo):
    """An update read as recorded at a past moment carries its ratings from the history tables; a new query on
    them would read the live table (today's ratings), so it is refused plainly instead of answering wrongly."""
    import pytest
    from django.utils import timezone

    from changeprog.effective import Moment
    from workstreams import history

    build_portfolio(projects=2, by=pmo, workstreams=1, updates_per_item=1)
    ids = list(StatusUpdate.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    update = next(iter(history.recorded_updates(ids, Moment(today, recorded_on=today)).values()))
    ratings = list(update.ratings.all())
    assert ratings and update.ratings.count() == len(ratings)
    with pytest.raises(TypeError, match="as they were recorded at a past moment"):
        update.ratings.filter(level=ratings[0].level)


def test_an_item_as_it_stood_is_made_with_every_value_its_history_row_holds(pmo):
    """`changeprog.effective.instance_of` (every "as at" read) gives what simple-history's `row.instance` gives, as
    a loaded row: no field left to fetch, and nothing that would save it as a new object."""
    from changeprog.effective import instance_of
    from workstreams.models import Project

    build_portfolio(projects=2, by=pmo, workstreams=1, updates_per_item=1)
    for row in Project.history.all():
        mine, theirs = instance_of(row), row.instance
        fields = [f.attname for f in Project._meta.concrete_fields]
        assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
        assert mine.get_deferred_fields() == set() and not mine._state.adding
        assert mine.history_row is row and mine.get_absolute_url() == theirs.get_absolute_url()


def test_an_overview_as_at_a_past_date_gives_each_update_its_item_as_it_stood(pmo, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    programme, _, _ = build_portfolio(projects=3, by=pmo, workstreams=1, updates_per_item=1)
    overview = selectors.programme_overview(programme, as_of=timezone.localdate() + timedelta(days=1))
    rows = [p for w in overview.workstreams for p in w.projects]
    assert rows and all(row.update for row in rows)
    with django_assert_num_queries(0):
        for row in rows:
            assert row.update.project is row.item


def test_updates_as_they_were_recorded_carry_their_author_without_a_query(pmo, django_assert_num_queries):
    from django.utils import timezone

    from changeprog.effective import Moment
    from workstreams import history

    build_portfolio(projects=3, by=pmo, workstreams=1, updates_per_item=1)
    ids = list(StatusUpdate.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    updates = history.recorded_updates(ids, Moment(today, recorded_on=today))
    assert len(updates) == len(ids)
    with django_assert_num_queries(0):
        assert {update.author.username for update in updates.values()} == {pmo.username}


def test_items_read_as_values_from_their_history_rows_equal_the_rows_own_items(pmo, django_assert_num_queries):
    """`changeprog.effective.items_from_rows` (the as-at lists of workstreams and projects) gives, for each history
    row, what `instance_of` gives, with its person attached: none where it has none, and no query to show it."""
    from django.db.models import Value

    from changeprog.effective import instance_of, items_from_rows
    from workstreams.models import Project, Workstream

    build_portfolio(projects=3, by=pmo, workstreams=2, updates_per_item=1)
    project = Project.objects.order_by("pk").first()
    project.manager = None
    project._change_reason = "No manager for now"
    project.save()
    for model, person in ((Project, "manager"), (Workstream, "lead")):
        rows = model.history.order_by("history_id").annotate(marker=Value(7))
        items = items_from_rows(rows, person=person, extra=("marker",))
        fields = [f.attname for f in model._meta.concrete_fields]
        expected = [instance_of(row) for row in rows.select_related(person)]
        assert len(items) == len(expected) > 1
        for mine, theirs in zip(items, expected, strict=True):
            assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
            assert mine.get_deferred_fields() == set() and not mine._state.adding and mine.marker == 7
        with django_assert_num_queries(0):
            people = [getattr(item, person) for item in items]
        assert [p.username if p else None for p in people] == [
            getattr(row, person).username if getattr(row, person + "_id") else None
            for row in rows.select_related(person)
        ]
    assert None in [item.manager for item in items_from_rows(Project.history.all(), person="manager")]


def test_live_records_read_as_values_equal_the_records_the_orm_makes_and_share_each_person(
    pmo, lead_a, django_assert_num_queries
):
    """The live overview reads its workstreams and projects through `items_from_rows` too: each the record
    `select_related` gives, and each lead or manager made once however many items name them."""
    from django.db.models import Value

    from changeprog.effective import items_from_rows
    from workstreams.models import Project, Workstream

    build_portfolio(projects=4, by=pmo, workstreams=2, updates_per_item=1)
    Project.objects.filter(pk__in=Project.objects.order_by("pk").values("pk")[:3]).update(manager=lead_a)
    Project.objects.filter(pk=Project.objects.order_by("pk").last().pk).update(manager=None)
    for model, person in ((Project, "manager"), (Workstream, "lead")):
        rows = model.objects.annotate(marker=Value(7))
        with django_assert_num_queries(1):
            items = items_from_rows(rows, person=person, extra=("marker",))
            people = [getattr(item, person) for item in items]
        expected = list(rows.select_related(person))
        fields = [f.attname for f in model._meta.concrete_fields]
        assert [i.pk for i in items] == [e.pk for e in expected] and len(items) > 1
        for mine, theirs in zip(items, expected, strict=True):
            assert type(mine) is model and mine == theirs and mine.marker == 7
            assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
            assert not mine._state.adding and mine._state.db == theirs._state.db
        assert [p.username if p else None for p in people] == [
            getattr(e, person).username if getattr(e, person) else None for e in expected
        ]
        named = [p for p in people if p is not None]
        assert len({id(p) for p in named}) == len({p.pk for p in named})
    managers = [p.manager for p in items_from_rows(Project.objects.all(), person="manager")]
    assert None in managers and managers.count(next(m for m in managers if m)) >= 3
