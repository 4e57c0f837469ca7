"""The workshop programme. Sites A and B share a programme (its workshop, deliverable and
material are everyone's, tagged OWN-), so what each site does in it — who of the site
registered, what it delivered — is the site's own. A second programme has only site C
(tagged PROG-): nobody of the matrix but the coordinators sees it. An unpublished workshop of
the shared programme (DRAFT-) is for the coordinators only."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.workshops.factories import (
    DeliverableFactory,
    DeliveryFactory,
    MaterialFactory,
    ProgrammeFactory,
    RegistrationFactory,
    WorkshopFactory,
)
from workshops.models import DeliveryStatus

from . import (
    EVERYONE,
    Foreign,
    programme_object,
    programme_page,
    site_object,
    site_page,
)

EVERYONE_IN_IT = ("coordinator", "lead_a", "member_a", "steering_a", "member_b")
INVITED = ("lead_a", "member_a", "steering_a", "member_b")


def _file(text):
    return ContentFile(b"%PDF-1.4\n" + text.encode() + b"\n%%EOF\n", name="file.pdf")


def build(w):
    tags = w.tags
    w.shared_programme = ProgrammeFactory(
        name=w.shared.tag("Programme"), sites=[w.a.site, w.b.site]
    )
    w.workshop = WorkshopFactory(
        programme=w.shared_programme, number=1, title=w.shared.tag("Workshop")
    )
    w.deliverable = DeliverableFactory(workshop=w.workshop, title=w.shared.tag("Deliverable"))
    w.material = MaterialFactory(
        workshop=w.workshop, title=w.shared.tag("Material"), file=_file("OWN-Slides")
    )
    w.draft_workshop = WorkshopFactory(
        programme=w.shared_programme,
        number=2,
        is_published=False,
        title=tags.add("DRAFT-Workshop", who={"coordinator"}),
    )
    w.foreign_programme = ProgrammeFactory(name=w.prog.tag("Programme"), sites=[w.c.site])
    w.foreign_workshop = WorkshopFactory(
        programme=w.foreign_programme, number=1, title=w.prog.tag("Workshop")
    )
    w.foreign_deliverable = DeliverableFactory(
        workshop=w.foreign_workshop, title=w.prog.tag("Deliverable")
    )
    w.foreign_material = MaterialFactory(
        workshop=w.foreign_workshop,
        title=w.prog.tag("Material"),
        file=_file(w.prog.tag("Slides")),
    )
    tags.add("OWN-Slides", who=EVERYONE, sites={"a", "b"})
    for s in (w.a, w.b):
        # The site's other member registered for the shared workshop, through the site.
        s.registration = RegistrationFactory(workshop=w.workshop, user=s.member.user, site=s.site)
        s.delivery = DeliveryFactory(
            deliverable=w.deliverable,
            site=s.site,
            note=s.tag("DeliveryNote"),
            file=_file(s.tag("Upload")),
            submitted_at=timezone.now() - datetime.timedelta(days=1),
            status=DeliveryStatus.NEEDS_REVISION,
            review_comment=s.tag("Review"),
            reviewed_at=timezone.now(),
        )


def _workshop(w):
    return {"pk": w.workshop.pk}


def _foreign_workshop(w):
    return {"pk": w.foreign_workshop.pk}


def _prog(model):
    return lambda w: f"PROG-{model}"


def _and(name, *foreigns):
    def attempts(w):
        return [a for f in foreigns for a in f.attempts(w)]

    return Foreign(name, attempts)


def _coordinators(name, obj, tag):
    """A page only coordinators use, about a programme-level object: the others are refused."""
    return programme_object(name, obj=obj, tag=tag)


def _via_own_site(kwargs, tag):
    """A site URL with an object of the programme only site C takes part in."""
    return lambda w, own: (kwargs(w), tag)


PAGES = [
    # Everyone of sites A and B takes part in one programme only: the index leads there.
    programme_page(
        "workshops:programme_index",
        shows={
            "*": {"OWN-Workshop"},
            "coordinator": {"OWN-Programme", "PROG-Programme"},
        },
    ),
    programme_page(
        "workshops:programme_detail",
        kwargs=lambda w: {"pk": w.shared_programme.pk},
        viewers=EVERYONE_IN_IT,
        shows={
            "*": {"OWN-Workshop"},
            "coordinator": {"DRAFT-Workshop"},
            # What their sites owe: coordinators have no site of their own.
            **dict.fromkeys(INVITED, {"OWN-Deliverable"}),
        },
    ),
    programme_page(
        "workshops:workshop_detail",
        kwargs=_workshop,
        viewers=EVERYONE_IN_IT,
        shows={"OWN-Workshop", "OWN-Deliverable", "OWN-Material"},
    ),
    programme_page(
        "workshops:workshop_register", kwargs=_workshop, viewers=INVITED, shows={"OWN-Workshop"}
    ),
    programme_page("workshops:programme_create", shows={"OWN-Site", "LEAK-Site"}),
    programme_page(
        "workshops:programme_update",
        kwargs=lambda w: {"pk": w.shared_programme.pk},
        shows={"OWN-Programme"},
    ),
    programme_page(
        "workshops:programme_progress",
        kwargs=lambda w: {"pk": w.shared_programme.pk},
        shows={"OWN-Site", "LEAK-Site", "OWN-Deliverable"},
    ),
    programme_page(
        "workshops:workshop_create",
        kwargs=lambda w: {"pk": w.shared_programme.pk},
        shows={"OWN-Programme"},
    ),
    programme_page("workshops:workshop_update", kwargs=_workshop, shows={"OWN-Workshop"}),
    programme_page(
        "workshops:workshop_attendance", kwargs=_workshop, shows={"OWN-Member", "LEAK-Member"}
    ),
    programme_page("workshops:deliverable_create", kwargs=_workshop, shows={"OWN-Workshop"}),
    programme_page(
        "workshops:deliverable_update",
        kwargs=lambda w: {"pk": w.deliverable.pk},
        shows={"OWN-Deliverable"},
    ),
    programme_page("workshops:material_create", kwargs=_workshop, shows={"OWN-Workshop"}),
    programme_page(
        "workshops:material_delete",
        kwargs=lambda w: {"pk": w.material.pk},
        shows={"OWN-Material"},
    ),
    programme_page("workshops:reminder_settings"),
    site_page("workshops:site_programme", shows={"OWN-Workshop", "OWN-Deliverable"}),
    site_page(
        "workshops:site_registrations",
        obj=lambda w: {"workshop_pk": w.workshop.pk},
        shows={"OWN-Workshop", "OWN-Member"},
    ),
    site_page(
        "workshops:site_deliverable",
        obj=lambda w: {"pk": w.deliverable.pk},
        shows={"OWN-Deliverable", "OWN-DeliveryNote", "OWN-Review"},
    ),
    site_page(
        "workshops:site_deliver",
        obj=lambda w: {"pk": w.deliverable.pk},
        shows={"OWN-Deliverable"},
    ),
    site_page(
        "workshops:delivery_review",
        obj=lambda w: {"pk": w.a.delivery.pk},
        shows={"OWN-DeliveryNote"},
    ),
]

OBJECTS = [
    _coordinators(
        "workshops:programme_update", lambda w: {"pk": w.foreign_programme.pk}, _prog("Programme")
    ),
    _coordinators(
        "workshops:programme_progress",
        lambda w: {"pk": w.foreign_programme.pk},
        _prog("Programme"),
    ),
    _coordinators(
        "workshops:workshop_create", lambda w: {"pk": w.foreign_programme.pk}, _prog("Programme")
    ),
    _coordinators("workshops:workshop_update", _foreign_workshop, _prog("Workshop")),
    _coordinators("workshops:workshop_attendance", _foreign_workshop, _prog("Workshop")),
    _coordinators("workshops:deliverable_create", _foreign_workshop, _prog("Workshop")),
    _coordinators(
        "workshops:deliverable_update",
        lambda w: {"pk": w.foreign_deliverable.pk},
        _prog("Deliverable"),
    ),
    _coordinators("workshops:material_create", _foreign_workshop, _prog("Workshop")),
    _coordinators(
        "workshops:material_delete", lambda w: {"pk": w.foreign_material.pk}, _prog("Material")
    ),
    programme_object(
        "workshops:programme_detail",
        obj=lambda w: {"pk": w.foreign_programme.pk},
        tag=_prog("Programme"),
    ),
    _and(
        "workshops:workshop_detail",
        programme_object("", obj=_foreign_workshop, tag=_prog("Workshop")),
        programme_object(
            "", obj=lambda w: {"pk": w.draft_workshop.pk}, tag=lambda w: "DRAFT-Workshop"
        ),
    ),
    programme_object("workshops:workshop_ics", obj=_foreign_workshop, tag=_prog("Workshop")),
    programme_object(
        "workshops:material_download",
        obj=lambda w: {"pk": w.foreign_material.pk},
        tag=_prog("Slides"),
    ),
    programme_object("workshops:workshop_register", obj=_foreign_workshop, tag=_prog("Workshop")),
    programme_object("workshops:workshop_cancel", obj=_foreign_workshop, tag=_prog("Workshop")),
    site_object(
        "workshops:site_registrations",
        obj=None,
        tag=None,
        foreign=_via_own_site(lambda w: {"workshop_pk": w.foreign_workshop.pk}, "PROG-Workshop"),
    ),
    site_object(
        "workshops:site_registration_cancel",
        obj=lambda s: {"pk": s.registration.pk},
        tag=lambda s: f"{s.prefix}-Member",
    ),
    site_object(
        "workshops:site_deliverable",
        obj=None,
        tag=None,
        foreign=_via_own_site(lambda w: {"pk": w.foreign_deliverable.pk}, "PROG-Deliverable"),
    ),
    site_object(
        "workshops:site_deliver",
        obj=None,
        tag=None,
        foreign=_via_own_site(lambda w: {"pk": w.foreign_deliverable.pk}, "PROG-Deliverable"),
    ),
    site_object(
        "workshops:delivery_file",
        obj=lambda s: {"pk": s.delivery.pk},
        tag=lambda s: f"{s.prefix}-Upload",
    ),
    site_object(
        "workshops:delivery_review",
        obj=lambda s: {"pk": s.delivery.pk},
        tag=lambda s: f"{s.prefix}-DeliveryNote",
    ),
]

OTHER = {
    "workshops:calendar_feed": "the secret in the address is the credential (a person's feed)",
    "workshops:calendar_feed_manage": "a POST-only button (renew or revoke one's own feed)",
}
