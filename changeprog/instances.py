"""Model instances made from rows already read as plain values, as the ORM's `Model.from_db` makes them.

`from_db` runs `Model.__init__`, which sends two signals and sets each field through `setattr`: about 11 µs a row
on this project's machine, where putting the values in the instance's dictionary costs a third of that. Pages that
read a portfolio make thousands of instances (a programme's overview about 1,300 at the large size, and the publish
gate two overviews), so the lean reads (`workstreams.selectors.read_shared`, `changeprog.effective.items_from_rows`)
make theirs here. The short way is taken only where it gives the same instance: a model with Django's own
`__init__`, no receiver of `pre_init` or `post_init`, and fields whose values live in the instance's dictionary as
they are (no file or other field with its own descriptor); any other model is made by `from_db`.
"""

import functools
import inspect
from collections.abc import Callable, Sequence

from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def attnames(model) -> list[str]:
    """The names of `model`'s concrete fields as a row holds them (`level_id`, not `level`), in their order."""
    return [field.attname for field in model._meta.concrete_fields]


@functools.cache
def _plain(model) -> bool:
    """Whether setting each field is only putting its value in the instance's dictionary."""
    return model.__init__ is Model.__init__ and all(
        type(inspect.getattr_static(model, name, None)) in PLAIN_DESCRIPTORS for name in attnames(model)
    )


def maker(model, db: str) -> Callable[[Sequence], Model]:
    """A function making an instance of `model`, loaded from the database `db`, from the values of all its
    concrete fields in their order (`attnames`)."""
    names = attnames(model)
    if not _plain(model) or signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return lambda values: model.from_db(db, names, values)
    new = model.__new__

    def make(values: Sequence) -> Model:
        item = new(model)
        state = item.__dict__["_state"] = ModelState()
        state.adding, state.db = False, db
        item.__dict__.update(zip(names, values, strict=True))  # a value for every field
        return item

    return make
