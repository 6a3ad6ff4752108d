"""Instances made from plain values (`changeprog.instances`) are the instances `Model.from_db` makes."""

from unittest import mock

import pytest
from django.apps import apps
from django.db.models import signals

from assurance.models import Evidence
from changeprog import instances
from tests.builders import build_portfolio
from workstreams.models import Project, StatusRating, StatusUpdate

pytestmark = pytest.mark.django_db


def _same(made, loaded):
    assert type(made) is type(loaded)
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in loaded.__dict__.items() if k != "_state"
    }
    assert (made._state.adding, made._state.db) == (loaded._state.adding, loaded._state.db) == (False, "default")


@pytest.mark.parametrize("model", [StatusUpdate, StatusRating, Project])
def test_an_instance_made_from_a_row_is_the_one_from_db_makes(model, pmo):
    build_portfolio(projects=4, by=pmo, updates_per_item=2)
    names = instances.attnames(model)
    for values in model.objects.values_list(*names)[:20]:
        # The short way, not from_db under another name.
        with mock.patch.object(model, "from_db", side_effect=AssertionError("made by from_db")):
            made = instances.maker(model, "default")(values)
        _same(made, model.from_db("default", names, values))
        assert made.pk == values[0]
        # Related objects load as on any instance, and saving it updates the row rather than adding one.
        for field in model._meta.concrete_fields:
            if field.is_relation and getattr(made, field.attname) is not None:
                assert getattr(made, field.name).pk == getattr(made, field.attname)


def test_every_model_but_one_with_a_file_is_made_the_short_way():
    """A file field keeps its value through its own descriptor, so evidence is made by from_db."""
    assert [m for m in apps.get_models() if not instances._plain(m)] == [Evidence]


def test_a_model_someone_listens_to_is_made_by_from_db():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=StatusRating)
    try:
        names = instances.attnames(StatusRating)
        made = instances.maker(StatusRating, "default")([7, 1, 2, 3, "why", None, ""][: len(names)])
    finally:
        signals.post_init.disconnect(receiver, sender=StatusRating)
    assert seen == [made]


def test_a_row_with_a_value_missing_is_refused():
    with pytest.raises(ValueError):
        instances.maker(StatusRating, "default")([1, 2])
