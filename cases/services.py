"""Logic that spans several models: logging and closing a case with its history, keeping the
timeline and the first-intervention date in step, and starting a test's next cycle."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pilots.models import Actor, PilotSite

from . import history
from .models import (
    Case,
    CaseConsent,
    CaseEvent,
    ChangeKind,
    ConsentStatus,
    PracticalTest,
    Stage,
)

CASE_FIELDS = [
    "practical_test",
    "school",
    "school_year",
    "raised_by",
    "concerns",
    "first_contact_on",
    "first_intervention_on",
    "sip_started",
    "sip_started_on",
]
CLOSING_FIELDS = [
    "closed_on",
    "closure",
    "referred_to",
    "referral_reason",
    "outcome",
    "reflections",
]
CONSENT_FIELDS = [
    "status",
    "given_by",
    "recorded_on",
    "asked_by_role",
    "withdrawn_on",
    "withdrawn_by_role",
]


def next_case_code(site: PilotSite, year: int) -> tuple[int, str]:
    """The next free number of a site's year and its code, e.g. (7, "MAL-2018-007").

    Call inside a transaction: the site row is locked so two people logging at once get
    different numbers (the unique constraint is the last guard)."""
    PilotSite.objects.select_for_update().filter(pk=site.pk).first()
    last = Case.objects.filter(site=site, year=year).aggregate(n=Max("number"))["n"] or 0
    number = last + 1
    return number, f"{site.case_code_prefix}-{year}-{number:03d}"


@transaction.atomic
def log_case(case: Case, *, site: PilotSite, by, consents: dict | None = None) -> Case:
    """Save a new case under the next site code, with a consent row for each actor."""
    case.site = site
    case.created_by = by
    case.year = (case.first_contact_on or timezone.localdate()).year
    case.number, case.code = next_case_code(site, case.year)
    case.save()
    consents = consents or {}
    for actor in Actor.values:
        consent = consents.get(actor) or CaseConsent()
        consent.case, consent.actor = case, actor
        consent.save()
    history.record(case, by, ChangeKind.CREATED, [])
    return case


def consent_snapshot(case: Case) -> dict:
    return {c.actor: history.snapshot(c, CONSENT_FIELDS) for c in case.consents.all()}


@transaction.atomic
def save_case(case: Case, *, by, before: dict, consents=(), consents_before=None) -> Case:
    """Save changes to a case and write what changed to its history. A new first contact
    may change which intervention of the timeline comes first."""
    case.first_intervention_on = case.first_intervention_in_timeline()
    case.save()
    changes = history.changes_of(case, before, CASE_FIELDS)
    consents_before = consents_before or {}
    for consent in consents:
        consent.save()
        changes += _consent_changes(consent, consents_before.get(consent.actor, {}))
    history.record(case, by, ChangeKind.CHANGED, changes)
    return case


@transaction.atomic
def close_case(case: Case, *, by, before: dict) -> Case:
    was_open = before.get("closed_on") in (None, "")
    case.save()
    history.record(
        case,
        by,
        ChangeKind.CLOSED if was_open else ChangeKind.CHANGED,
        history.changes_of(case, before, CLOSING_FIELDS),
    )
    return case


@transaction.atomic
def reopen_case(case: Case, *, by) -> Case:
    before = history.snapshot(case, CLOSING_FIELDS)
    case.closed_on = None
    case.closure = ""
    case.referred_to = ""
    case.save()
    history.record(case, by, ChangeKind.REOPENED, history.changes_of(case, before, CLOSING_FIELDS))
    return case


def _consent_changes(consent: CaseConsent, before: dict) -> list[dict]:
    changes = history.changes_of(consent, before, CONSENT_FIELDS)
    for change in changes:
        change["field"] = f"consent:{consent.actor}:{change['field']}"
    return changes


@transaction.atomic
def withdraw_consent(consent: CaseConsent, *, on, role: str, by) -> CaseConsent:
    """Consent given is withdrawn: when, and the staff role that received it. The case's
    history keeps the entry; when it was given stays on the consent. What it was is read from
    the database: a form bound to `consent` has already set the new values on it."""
    before = history.snapshot(CaseConsent.objects.get(pk=consent.pk), CONSENT_FIELDS)
    consent.status = ConsentStatus.WITHDRAWN
    consent.withdrawn_on, consent.withdrawn_by_role = on, role
    consent.save()
    history.record(
        consent.case, by, ChangeKind.CONSENT_WITHDRAWN, _consent_changes(consent, before)
    )
    return consent


def _sync_first_intervention(case: Case) -> None:
    """Keep the stored first intervention the timeline's earliest (None without one), after
    an entry is added, changed or removed: the measures read the column, never the timeline."""
    first = case.first_intervention_in_timeline()
    if first != case.first_intervention_on:
        case.first_intervention_on = first
        case.save(update_fields=["first_intervention_on", "updated_at"])


@transaction.atomic
def add_event(event: CaseEvent, *, case: Case, by) -> CaseEvent:
    event.case = case
    event.created_by = by
    event.save()
    history.record(case, by, ChangeKind.EVENT_ADDED, [history.event_summary(event)])
    _sync_first_intervention(case)
    return event


@transaction.atomic
def change_event(event: CaseEvent, *, by) -> CaseEvent:
    event.save()
    history.record(event.case, by, ChangeKind.EVENT_CHANGED, [history.event_summary(event)])
    _sync_first_intervention(event.case)
    return event


@transaction.atomic
def remove_event(event: CaseEvent, *, by) -> None:
    case = event.case
    summary = history.event_summary(event)
    summary["old"], summary["new"] = summary["new"], None
    event.delete()
    history.record(case, by, ChangeKind.EVENT_REMOVED, [summary])
    _sync_first_intervention(case)


@transaction.atomic
def start_next_cycle(test: PracticalTest, *, by) -> PracticalTest:
    """A new test that follows this one: same site, aims and people, the next cycle number."""
    new = PracticalTest.objects.create(
        site=test.site,
        follows=test,
        cycle=test.cycle + 1,
        stage=Stage.PLAN,
        title=test.title,
        starting_points=list(test.starting_points),
        change_idea=test.next_steps or test.change_idea,
        aim=test.aim,
        prediction=test.prediction,
        measures=test.measures,
        who_what_when=test.who_what_when,
        planned_cases=test.planned_cases,
        starts_on=timezone.localdate(),
        created_by=by,
    )
    new.schools.set(test.schools.all())
    new.people.set(test.people.all())
    return new
