"""What Triad holds about a person (GDPR art. 15), collected by walking the models.

Every model with a foreign key (or many-to-many) to the person is found by walking
`apps.get_models()`; each such field is a section of the copy, unless EXCLUDED says why not.
tests/accounts/test_own_data.py fails when a model gains a link to a person and is in
neither SECTIONS nor EXCLUDED, so a new model is not forgotten.

A section holds the model's own fields, each related object by a name it has (name, title,
code, e-mail), all in one query per section; never secrets (password hashes, token digests,
authenticator keys, session keys).

Case data: the rows that name cases (the person's reads in the access record, the cases they
logged, the timeline entries they wrote, their judgements in the access review) are given to
the person with the case code and date only, never the case's content. When a coordinator
produces the copy for a person, those sections are counts only: coordinators never see case
codes."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

# Field names never copied out: they are credentials, not information about the person.
SECRET_FIELDS = {"password", "token_digest", "data", "session_key", "secret", "key"}
# How a related object is named in the copy: the first of its fields found here.
NAMED_BY = ("code", "name", "title", "full_name", "email", "slug", "short_name", "model")


@dataclass(frozen=True)
class Policy:
    """How one link to a person is copied: `fields` (None: all but secrets); `case_data`: the
    rows name cases, so a coordinator's copy gives counts."""

    fields: tuple | None = None
    case_data: bool = False


DEFAULT = Policy()

# Every link to a person that is copied, with how. The key is "app_label.Model.field".
SECTIONS = {
    "admin.LogEntry.user": Policy(("action_time", "content_type", "object_repr", "action_flag")),
    "account.EmailAddress.user": DEFAULT,
    # The provider and when; never the provider's extra data (accounts/providers.py).
    "socialaccount.SocialAccount.user": Policy(("provider", "date_joined", "last_login")),
    "mfa.Authenticator.user": Policy(("type", "created_at", "last_used_at")),
    "usersessions.UserSession.user": Policy(("created_at", "last_seen_at", "ip", "user_agent")),
    "infra.AuditEvent.user": Policy(("at", "kind", "ip", "method", "path", "status", "site_slug")),
    "pilots.Membership.user": Policy(
        ("site", "role", "actor", "organisation", "title", "starts_on", "ends_on", "end_reason")
    ),
    "pilots.PlanVersion.author": Policy(("document", "number", "created_at")),
    "pilots.PlanVersion.approved_by": Policy(("document", "number", "approved_on")),
    "pilots.SteeringMeeting.created_by": Policy(("site", "held_on")),
    "pilots.InterestRegistration.decided_by": Policy(("municipality_name", "region_name")),
    "pilots.RegistrationNote.author": Policy(("registration", "text", "created_at")),
    "pilots.PhaseChange.changed_by": DEFAULT,
    "pilots.ProcessingStatement.updated_by": Policy(("updated_at",)),
    "accounts.Invitation.invited_by": Policy(("site", "role", "as_coordinator")),
    "accounts.Invitation.accepted_by": Policy(("site", "role", "as_coordinator", "title")),
    "cases.CaseAccess.user": Policy(("at", "site", "case_code", "action"), case_data=True),
    "cases.Case.created_by": Policy(("site", "code", "created_at"), case_data=True),
    "cases.CaseEvent.created_by": Policy(("case", "occurred_on", "created_at"), case_data=True),
    "cases.CaseChange.changed_by": Policy(("case", "changed_at"), case_data=True),
    "cases.AccessReviewItem.reviewed_by": Policy(
        ("review", "reason", "verdict", "note", "reviewed_at"), case_data=True
    ),
    "cases.Intervention.created_by": Policy(("site", "programme", "school", "created_at")),
    "cases.PracticalTest.created_by": Policy(("site", "title", "cycle", "stage")),
    "cases.PracticalTest.people": Policy(("site", "title", "cycle", "stage")),
    "cases.Vignette.created_by": Policy(("site", "title", "created_at")),
    "cases.VignetteResponse.updated_by": Policy(("site", "stage", "actor", "text", "updated_at")),
    "workshops.Registration.user": DEFAULT,
    "workshops.Registration.registered_by": Policy(("workshop", "user", "registered_at")),
    "workshops.Registration.cancelled_by": Policy(("workshop", "user", "cancelled_at")),
    "workshops.Material.uploaded_by": Policy(("workshop", "title", "uploaded_at")),
    "workshops.Delivery.submitted_by": Policy(
        ("deliverable", "site", "status", "note", "submitted_at")
    ),
    "workshops.Delivery.reviewed_by": Policy(("deliverable", "site", "status")),
    "workshops.DeliveryEvent.by": Policy(("delivery", "action", "comment", "at")),
    "workshops.SentReminder.recipient": Policy(("kind", "workshop", "due_at", "sent_at")),
    "workshops.ReminderOptOut.user": DEFAULT,
    "workshops.CalendarFeed.user": Policy(("created_at", "last_fetched_at")),
    "dashboards.SentDigest.recipient": Policy(("site", "week", "sent_at")),
    "exchange.Announcement.created_by": Policy(("title", "published_at")),
    "exchange.AnnouncementRead.user": DEFAULT,
    "exchange.AnnouncementDelivery.recipient": DEFAULT,
    "exchange.LibraryItem.created_by": Policy(("site", "title", "created_at")),
    "exchange.Thread.created_by": Policy(("site", "title", "created_at")),
    "exchange.Post.author": Policy(("thread", "body", "created_at", "hidden_at")),
    "exchange.Post.hidden_by": Policy(("thread", "hidden_at", "hidden_reason")),
    "exchange.Follow.user": DEFAULT,
    "exchange.HelpfulMark.user": DEFAULT,
    "exchange.DigestPreference.user": DEFAULT,
    "exchange.DigestSent.user": Policy(("period", "sent_at")),
}

# Links to a person that are not copied, and why.
EXCLUDED = {
    "dashboards.SummaryRequest.requested_by": "a request to rebuild a site's summary, removed "
    "once the summary is built; it says nothing the person's other records do not",
}

# Titles for the sections of other packages' models, whose names are not in Swedish.
TITLES = {
    "mfa.Authenticator.user": gettext_lazy("Two-factor authentication"),
    "usersessions.UserSession.user": gettext_lazy("Signed-in sessions"),
    "account.EmailAddress.user": gettext_lazy("E-mail addresses"),
    "socialaccount.SocialAccount.user": gettext_lazy("Linked accounts"),
}

PROFILE_FIELDS = (
    "email",
    "full_name",
    "language",
    "is_coordinator",
    "is_active",
    "date_joined",
    "last_login",
)


def person_links():
    """Every (key, model, field) that links a row to a person, walked from the models."""
    user_model = get_user_model()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.related_model is user_model:
                yield f"{model._meta.label}.{f.name}", model, f


@dataclass
class Section:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    count: int = 0
    counts_only: bool = False


def _label(model, f):
    """A related object's naming field, for a join instead of a query per row."""
    related = f.related_model
    names = {x.name for x in related._meta.concrete_fields}
    for name in NAMED_BY:
        if name in names:
            return f"{f.name}__{name}"
    return f.name


def _value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return value
    return str(value)


def _section(key, model, f, policy, person, for_coordinator):
    meta = model._meta
    names = policy.fields or tuple(
        x.name
        for x in meta.concrete_fields
        if x.name not in SECRET_FIELDS and not x.primary_key and x.name != f.name
    )
    title = str(meta.verbose_name_plural).capitalize()
    links = [x for x in person_links_of(model) if x is not f]
    if links:  # e.g. a delivery submitted and one reviewed: say which
        title = f"{title} ({f.verbose_name})"
    title = str(TITLES.get(key, title))
    rows = model._base_manager.filter(**{f.name: person}).order_by("pk")
    section = Section(key=key, title=title, columns=[])
    if policy.case_data and for_coordinator:
        section.counts_only = True
        section.count = rows.count()
        return section
    lookups, columns = [], []
    for name in names:
        model_field = meta.get_field(name)
        columns.append(str(model_field.verbose_name).capitalize())
        lookups.append(_label(model, model_field) if model_field.is_relation else name)
    section.columns = columns
    choices = {
        lookup: dict(meta.get_field(name).flatchoices)
        for name, lookup in zip(names, lookups, strict=True)
        if getattr(meta.get_field(name), "choices", None)
    }
    for row in rows.values_list(*lookups):
        section.rows.append(
            [
                _value(choices[lookup].get(v, v) if lookup in choices else v)
                for lookup, v in zip(lookups, row, strict=True)
            ]
        )
    section.count = len(section.rows)
    return section


def person_links_of(model):
    user_model = get_user_model()
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model is user_model
    ]


@scopes_disabled()  # a person's rows are at every site they worked at
def collect(person, *, for_coordinator=False) -> dict:
    """Everything Triad holds about `person`: their profile and one section per link."""
    profile = []
    for name in PROFILE_FIELDS:
        model_field = person._meta.get_field(name)
        value = getattr(person, name)
        if model_field.choices:
            value = dict(model_field.flatchoices).get(value, value)
        profile.append((str(model_field.verbose_name).capitalize(), _value(value)))
    sections = []
    for key, model, f in person_links():
        if key in EXCLUDED:
            continue
        policy = SECTIONS[key]  # a KeyError here: a new link to a person, not yet decided
        sections.append(_section(key, model, f, policy, person, for_coordinator))
    return {
        "person": person,
        "profile": profile,
        "sections": sections,
        "made_at": timezone.localtime(),
        "for_coordinator": for_coordinator,
    }


def as_json(copy) -> dict:
    return {
        "made_at": copy["made_at"].isoformat(),
        "profile": dict(copy["profile"]),
        "sections": [
            {"key": s.key, "title": s.title, "count": s.count}
            if s.counts_only
            else {
                "key": s.key,
                "title": s.title,
                "rows": [dict(zip(s.columns, row, strict=True)) for row in s.rows],
            }
            for s in copy["sections"]
        ],
    }


def as_pdf(copy) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("accounts/own_data_pdf.html", copy)
    return HTML(string=html).write_pdf()
