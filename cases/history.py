"""A case's change history: what each save changed, kept as raw values and shown in the
reader's language."""

import datetime

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Case, CaseChange, CaseEvent, ChangeKind


def _raw(value):
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return value


def changes_of(instance: Model, before: dict, fields: list[str]) -> list[dict]:
    """The fields whose value differs from `before` (a snapshot taken with `snapshot`)."""
    after = snapshot(instance, fields)
    return [
        {"field": f, "old": before.get(f), "new": after[f]}
        for f in fields
        if before.get(f) != after[f]
    ]


def snapshot(instance: Model, fields: list[str]) -> dict:
    return {f: _raw(getattr(instance, f)) for f in fields}


def record(case: Case, user, what: ChangeKind, changes: list[dict]) -> CaseChange | None:
    if what == ChangeKind.CHANGED and not changes:
        return None
    return CaseChange.objects.create(case=case, changed_by=user, what=what, changes=changes)


def event_summary(event: CaseEvent) -> dict:
    return {
        "field": "timeline",
        "old": None,
        "new": [
            event.occurred_on.isoformat(),
            event.actor,
            event.level,
            event.kind,
            event.minutes,
        ],
    }


def display(model, change: dict) -> dict:
    """A change entry with the field's name and values as a reader of the history sees them."""
    name = change["field"]
    if name == "timeline":
        value = change["new"] or change["old"] or []
        return {"label": pgettext("case", "Timeline"), "old": "", "new": _describe_event(value)}
    if name.startswith("consent:"):
        from pilots.models import Actor

        from .models import CaseConsent

        _prefix, actor, field_name = name.split(":", 2)
        field = CaseConsent._meta.get_field(field_name)
        label = _("Consent, %(actor)s: %(field)s") % {
            "actor": dict(Actor.choices).get(actor, actor),
            "field": field.verbose_name,
        }
        return {
            "label": label,
            "old": _show(field, change["old"]),
            "new": _show(field, change["new"]),
        }
    field = model._meta.get_field(name)
    return {
        "label": capfirst(field.verbose_name),  # "SIP started", not "Sip started"
        "old": _show(field, change["old"]),
        "new": _show(field, change["new"]),
    }


def _describe_event(value):
    if not value:
        return ""
    occurred_on, actor, level, kind, minutes = value
    field = CaseEvent._meta.get_field
    parts = [
        _show(field("occurred_on"), occurred_on),
        _show(field("actor"), actor),
        _show(field("level"), level),
        _show(field("kind"), kind),
    ]
    if minutes:
        parts.append(_("%(minutes)s min") % {"minutes": minutes})
    return " · ".join(parts)


def _show(field, value):
    from .models import Concern, StartingPoint

    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        labels = {**dict(Concern.choices), **dict(StartingPoint.choices)}
        return ", ".join(str(labels.get(v, v)) for v in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "DateField":
        try:
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    return str(value)
