"""Rows for the workshop programme. Each site gets its own programme, so site B's workshop,
deliverable and delivery are foreign to the people of site A (404, like another site's object)."""

from pilots.models import Role
from tests.workshops.factories import (
    DeliverableFactory,
    DeliveryFactory,
    MaterialFactory,
    ProgrammeFactory,
    RegistrationFactory,
    WorkshopFactory,
)
from workshops import calendars

from . import (
    LOGIN,
    MANAGE,
    OK,
    PEOPLE,
    SITE_A_PEOPLE,
    VIEW,
    Row,
    coordinator_row,
    signed_in_row,
    site_row,
)


def build(world):
    for s in (world.a, world.b):
        s.programme = ProgrammeFactory(sites=[s.site])
        s.workshop = WorkshopFactory(programme=s.programme)
        s.deliverable = DeliverableFactory(workshop=s.workshop)
        s.material = MaterialFactory(workshop=s.workshop)
        lead = s.site.memberships.filter(role=Role.LEAD).first()
        person = lead.user if lead else s.site.memberships.first().user
        s.registration = RegistrationFactory(workshop=s.workshop, site=s.site, user=person)
        s.delivery = DeliveryFactory(deliverable=s.deliverable, site=s.site)
    world.feed_token = calendars.renew_feed(world.people["lead_a"])


def programme_row(name, *, obj, who=VIEW, post=False):
    """A programme-level page about site A's programme: `who` may use it, other people of
    site A get 403, the member of site B (whose site is not in it) gets 404."""
    expected = {"anonymous": LOGIN, "member_b": 404}
    for person in ("coordinator", *SITE_A_PEOPLE):
        expected[person] = OK if person in who else 403
    return Row(
        name=name,
        kwargs=lambda world, site: obj(world.a),
        get=dict(expected),
        post=dict(expected) if post else None,
    )


def _signed_in(get, post=None):
    return {"anonymous": LOGIN, **{p: get for p in PEOPLE if p != "anonymous"}}


PARTICIPANTS = set(SITE_A_PEOPLE)

ROWS = [
    # The programme, for everyone in it
    signed_in_row("workshops:programme_index"),
    programme_row("workshops:programme_detail", obj=lambda s: {"pk": s.programme.pk}),
    programme_row("workshops:workshop_detail", obj=lambda s: {"pk": s.workshop.pk}),
    programme_row("workshops:workshop_ics", obj=lambda s: {"pk": s.workshop.pk}),
    programme_row("workshops:material_download", obj=lambda s: {"pk": s.material.pk}),
    programme_row(
        "workshops:workshop_register",
        obj=lambda s: {"pk": s.workshop.pk},
        who=PARTICIPANTS,
        post=True,
    ),
    programme_row("workshops:workshop_cancel", obj=lambda s: {"pk": s.workshop.pk}, post=True),
    # Running it: coordinators only
    coordinator_row("workshops:programme_create", post=True),
    coordinator_row(
        "workshops:programme_update", kwargs=lambda w: {"pk": w.a.programme.pk}, post=True
    ),
    coordinator_row("workshops:programme_progress", kwargs=lambda w: {"pk": w.a.programme.pk}),
    coordinator_row(
        "workshops:workshop_create", kwargs=lambda w: {"pk": w.a.programme.pk}, post=True
    ),
    coordinator_row(
        "workshops:workshop_update", kwargs=lambda w: {"pk": w.a.workshop.pk}, post=True
    ),
    coordinator_row(
        "workshops:workshop_attendance", kwargs=lambda w: {"pk": w.a.workshop.pk}, post=True
    ),
    coordinator_row(
        "workshops:deliverable_create", kwargs=lambda w: {"pk": w.a.workshop.pk}, post=True
    ),
    coordinator_row(
        "workshops:deliverable_update", kwargs=lambda w: {"pk": w.a.deliverable.pk}, post=True
    ),
    coordinator_row(
        "workshops:material_create", kwargs=lambda w: {"pk": w.a.workshop.pk}, post=True
    ),
    coordinator_row(
        "workshops:material_delete", kwargs=lambda w: {"pk": w.a.material.pk}, post=True
    ),
    # Each person's own reminders and calendar
    signed_in_row("workshops:reminder_settings", post=True),
    Row("workshops:calendar_feed_manage", get=_signed_in(405), post=_signed_in(OK)),
    # The private feed: the secret in the address is the credential, signed in or not.
    Row(
        "workshops:calendar_feed",
        kwargs=lambda world, site: {"token": world.feed_token},
        get=dict.fromkeys(PEOPLE, OK),
    ),
    # A site's part
    site_row("workshops:site_programme", who=VIEW),
    site_row(
        "workshops:site_registrations",
        who=MANAGE,
        obj=lambda s: {"workshop_pk": s.workshop.pk},
        post=True,
    ),
    site_row(
        "workshops:site_registration_cancel",
        who=MANAGE,
        obj=lambda s: {"pk": s.registration.pk},
        post=True,
    ),
    site_row("workshops:site_deliverable", who=VIEW, obj=lambda s: {"pk": s.deliverable.pk}),
    site_row(
        "workshops:site_deliver", who=MANAGE, obj=lambda s: {"pk": s.deliverable.pk}, post=True
    ),
    site_row("workshops:delivery_file", who=VIEW, obj=lambda s: {"pk": s.delivery.pk}),
    site_row(
        "workshops:delivery_review",
        who={"coordinator"},
        obj=lambda s: {"pk": s.delivery.pk},
        post=True,
    ),
]
