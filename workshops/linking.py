"""What a site can link as a delivery: its own plan documents and, once the cases app has them,
its practical tests. Workshops does not depend on cases: the model is looked up by name and
left out while it does not exist. Every lookup goes through the site, so another site's object
can neither be offered nor accepted."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import DeliverableKind

PLAN_KINDS = {
    DeliverableKind.PROJECT_PLAN: "project_plan",
    DeliverableKind.ACTION_PLAN: "action_plan",
    DeliverableKind.NEEDS_ANALYSIS: "needs_analysis",
}
TEST_KINDS = {DeliverableKind.TEST_PLAN, DeliverableKind.TEST_RESULTS}


def practical_test_model():
    try:
        model = apps.get_model("cases", "PracticalTest")
    except LookupError:
        return None
    field_names = {f.name for f in model._meta.get_fields()}
    return model if "site" in field_names else None


def _sources(site, kind):
    """(group label, queryset of the site's objects) that fit a deliverable of this kind."""
    documents = apps.get_model("pilots", "PlanDocument").objects.filter(site=site)
    tests_model = practical_test_model()
    tests = tests_model._default_manager.filter(site=site) if tests_model else None
    if kind in PLAN_KINDS:
        return [(_("Plans and analyses"), documents.filter(kind=PLAN_KINDS[kind]))]
    if kind in TEST_KINDS:
        return [(_("Practical tests"), tests)] if tests is not None else []
    sources = [(_("Plans and analyses"), documents)]
    if tests is not None:
        sources.append((_("Practical tests"), tests))
    return sources


def _value(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def choices(site, kind) -> list:
    """Grouped choices for a select: [(group, [(value, label), …]), …], empty groups left out."""
    grouped = []
    for label, queryset in _sources(site, kind):
        options = [(_value(obj), str(obj)) for obj in queryset]
        if options:
            grouped.append((label, options))
    return grouped


def resolve(site, kind, value: str):
    """The site's object behind a choice value, or None if it is not one the site may link."""
    label, _sep, pk = value.partition(":")
    if not pk.isdigit():
        return None
    for _group, queryset in _sources(site, kind):
        if queryset is not None and queryset.model._meta.label_lower == label:
            return queryset.filter(pk=int(pk)).first()
    return None


def describe(delivery) -> dict | None:
    """What a delivery links to, for display: its label and, if it has one, its page."""
    if delivery.content_type_id is None:
        return None
    model = ContentType.objects.get_for_id(delivery.content_type_id).model_class()
    if model is None:
        return {"label": _("An item that no longer exists"), "url": None}
    obj = model._default_manager.filter(pk=delivery.object_id, site=delivery.site_id).first()
    if obj is None:
        return {"label": _("An item that no longer exists"), "url": None}
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    return {"label": str(obj), "url": url}
