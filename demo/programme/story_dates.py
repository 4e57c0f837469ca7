"""The demo tells 2018's story, so its rows carry the story's dates, not the day it was loaded.

A model's created and last-changed fields (`auto_now_add`, `auto_now`) are filled in by Django
on every save and every bulk_create, whatever the demo passes. `stamp` writes the story's dates
over them afterwards, for any model, with Django's bulk_update: the demo calls it on everything
it creates instead of patching model by model. tests/test_demo_story.py walks every
model's date fields and fails on a value dated the day the demo was loaded."""

import datetime

from django.db import models
from django.utils import timezone

# A date without a time of day is stamped at this hour (local time): office hours.
HOUR = 10


def at(day: datetime.date, hour: int = HOUR, minute: int = 0) -> datetime.datetime:
    """An aware datetime on `day` at local `hour`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def recorded_fields(model) -> tuple[list, list]:
    """(created, changed): the model's date fields that Django fills in on save."""
    created, changed = [], []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.DateField):
            continue
        if getattr(field, "auto_now", False):
            changed.append(field)
        elif getattr(field, "auto_now_add", False):
            created.append(field)
    return created, changed


def _value(field, when):
    """`when` (a date or datetime) as `field` stores it."""
    if isinstance(field, models.DateTimeField):
        return when if isinstance(when, datetime.datetime) else at(when)
    if isinstance(when, datetime.datetime):
        return timezone.localtime(when).date()
    return when


def _resolve(when, obj):
    return when(obj) if callable(when) else when


def stamp(objects, created, changed=None, **fields) -> None:
    """Give saved rows of one model the story's dates.

    `created` goes into the created fields (auto_now_add), `changed` (or else `created`) into
    the last-changed ones (auto_now); `fields` names any other field to set the same way (e.g.
    a `default=timezone.now` field the caller did not pass). Each value is a date, a datetime
    or a function of the row that gives one."""
    objects = list(objects)
    if not objects:
        return
    model = type(objects[0])
    created_fields, changed_fields = recorded_fields(model)
    targets = [(f, created) for f in created_fields]
    targets += [(f, created if changed is None else changed) for f in changed_fields]
    targets += [(model._meta.get_field(name), when) for name, when in fields.items()]
    if not targets:
        return
    for obj in objects:  # the caller's objects read as the database will
        for f, when in targets:
            setattr(obj, f.attname, _value(f, _resolve(when, obj)))
    # bulk_update writes what the objects hold, without running auto_now again.
    model.objects.bulk_update(objects, [f.name for f, _when in targets], batch_size=500)
