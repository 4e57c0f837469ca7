"""The one mark of a page that shows case data, and the middleware that reads it.

A view says, before anything is read, that it shows case data: a class attribute
`shows_case_data = AccessAction.…` (or True, read as "opened") on a class-based view, or the
`shows_case_data(...)` decorator on a function view. The value says how a case shown there
counts in the access record: seen in a list, opened, exported, its access log read.

`CaseDataMiddleware` reads the mark in `process_view`, before the view runs, and it alone:

1. For a person who may see cases, with TRIAD_REQUIRE_MFA_FOR_CASES on and no second factor,
   the view never runs: they are sent to set one up (pilots.scoping.second_factor_gate), so
   no case row is queried. Others are refused by the view itself (404/403), as before.
2. While the marked view runs and its response is rendered, every case row the request
   reads (each `Case` made from the database, however it is fetched: a lookup, a list, a
   join, a prefetch, a template's lazy query) and every case it saves or whose timeline,
   consents or history it changes, is collected. Once the response is made, one access record
   per case is written (cases.audit.record): "logged" for a case created, "changed" for one
   changed, and the mark's action for every other case read — when the response shows them,
   i.e. any response below 300: a full page, a form re-rendered with its errors, a fragment,
   a file. A redirect shows nothing, so only its changes are recorded; a refusal (4xx, 5xx)
   writes nothing.
3. The response is marked `Cache-Control: no-store`.

A page that sends its cases as a stream (a download of thousands of cases) reads them after the
view has returned, where nothing collects them. So before it sends anything it names every case
it will send: `record_before_sending(request, keys)` writes their record at once, with the
mark's action and in the request's transaction, and only then may the response stream. A
streamed response from a marked page that did not do so is refused.

Pages without the mark write no access record. Tests walk the URLconf to hold that every page
that shows a case carries the mark (tests/security/test_case_data_mark.py)."""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_init, post_save
from django.utils.cache import add_never_cache_headers

from . import audit
from .models import AccessAction, Case, CaseChange, CaseConsent, CaseEvent

# The parts of a case whose saving or removal changes the case.
CASE_PARTS = (CaseEvent, CaseConsent, CaseChange)


def shows_case_data(action=AccessAction.VIEWED):
    """The mark for a function view: `@shows_case_data(AccessAction.LISTED)`."""

    def mark(view):
        view.shows_case_data = action
        return view

    return mark


def mark_of(view_func) -> AccessAction | None:
    """The access action a view's mark says its cases count as, or None for no mark."""
    holder = getattr(view_func, "view_class", view_func)
    value = getattr(holder, "shows_case_data", None)
    if value is True:
        return AccessAction.VIEWED
    return AccessAction(value) if value else None


@dataclass
class Reading:
    """What one request did with cases, once its view is known to carry the mark."""

    action: AccessAction | None = None
    read: set = field(default_factory=set)
    created: set = field(default_factory=set)
    changed: set = field(default_factory=set)
    recorded_before_sending: bool = False


_reading: ContextVar[Reading | None] = ContextVar("case_reading", default=None)


def _active():
    reading = _reading.get()
    return reading if reading is not None and reading.action is not None else None


def _case_loaded(sender, instance, **kwargs):
    if instance.pk is not None and (reading := _active()):
        reading.read.add(instance.pk)


def _case_saved(sender, instance, created, **kwargs):
    if reading := _active():
        (reading.created if created else reading.changed).add(instance.pk)


def _part_changed(sender, instance, **kwargs):
    if instance.case_id is not None and (reading := _active()):
        reading.changed.add(instance.case_id)


def _marked() -> Reading:
    """This request's reading; refused unless its page carries the mark."""
    reading = _active()
    if reading is None:
        raise ImproperlyConfigured("Only a page with the 'shows case data' mark shows cases.")
    return reading


def cases_read() -> frozenset:
    """The keys of the cases this marked request has read so far."""
    return frozenset(_marked().read)


def shown(keys) -> None:
    """Counts cases as read by this marked request without loading them: a drawing kept from
    an earlier request (cases/kept.py) shows them."""
    _marked().read.update(keys)


def record_before_sending(request, keys) -> None:
    """For a marked page that streams its cases: write the access record of every case it is
    about to send (their keys), in chunks (cases.audit.record), with the page's mark's action."""
    reading = _marked()
    audit.record(request, keys, reading.action)
    reading.recorded_before_sending = True


def connect():
    """Called once from CasesConfig.ready."""
    post_init.connect(_case_loaded, sender=Case, dispatch_uid="casedata-loaded")
    post_save.connect(_case_saved, sender=Case, dispatch_uid="casedata-saved")
    for model in CASE_PARTS:
        for signal in (post_save, post_delete):
            signal.connect(_part_changed, sender=model, dispatch_uid=f"casedata-{model.__name__}")


class CaseDataMiddleware:
    """Reads the "shows case data" mark: the second factor first, then the access record for
    what the response shows. Placed after the site scope and the sign-in requirement."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = Reading()
        token = _reading.set(reading)
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        if reading.action is None:
            return response
        add_never_cache_headers(response)
        if response.status_code < 400:
            if response.streaming and not reading.recorded_before_sending:
                # Rows read while it streams would escape the record.
                raise ImproperlyConfigured(
                    "A page that shows case data streams only what it recorded before sending."
                )
            created = reading.created
            changed = reading.changed - created
            shown = reading.read - created - changed if response.status_code < 300 else ()
            audit.record(request, created, AccessAction.CREATED)
            audit.record(request, changed, AccessAction.CHANGED)
            audit.record(request, shown, reading.action)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        action = mark_of(view_func)
        if action is None:
            return None
        from pilots.scoping import second_factor_gate

        refusal = second_factor_gate(request)
        if refusal is not None:
            return refusal
        reading = _reading.get()
        if reading is not None:
            reading.action = action
        return None
