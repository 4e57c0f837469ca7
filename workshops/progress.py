"""Where each site stands with the programme's deliverables and registrations: what the site
still owes, for the site's own page, the timeline and the coordinators' overview."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Deliverable, Delivery, DeliveryStatus, Registration


@dataclass(frozen=True)
class DeliverableState:
    """One site's standing on one deliverable."""

    deliverable: Deliverable
    delivery: Delivery | None
    overdue: bool

    @property
    def key(self) -> str:
        if self.delivery is not None:
            return self.delivery.status
        return "overdue" if self.overdue else "missing"

    @property
    def label(self):
        if self.delivery is not None:
            return self.delivery.get_status_display()
        return _("Overdue") if self.overdue else _("Not delivered")

    @property
    def badge(self) -> str:
        return {
            DeliveryStatus.ACCEPTED: "text-bg-success",
            DeliveryStatus.SUBMITTED: "text-bg-info",
            DeliveryStatus.NEEDS_REVISION: "text-bg-warning",
            "overdue": "text-bg-danger",
            "missing": "text-bg-light border",
        }[self.key]

    @property
    def icon(self) -> str:
        return {
            DeliveryStatus.ACCEPTED: "bi-check-circle",
            DeliveryStatus.SUBMITTED: "bi-hourglass-split",
            DeliveryStatus.NEEDS_REVISION: "bi-arrow-counterclockwise",
            "overdue": "bi-exclamation-triangle",
            "missing": "bi-circle",
        }[self.key]

    @property
    def owed(self) -> bool:
        """The site still has something to do."""
        return self.delivery is None or self.delivery.status == DeliveryStatus.NEEDS_REVISION


def site_states(site, deliverables) -> list[DeliverableState]:
    """The site's standing on each deliverable, in the order given (two queries at most)."""
    deliverables = list(deliverables)
    deliveries = {
        d.deliverable_id: d
        for d in Delivery.objects.filter(site=site, deliverable__in=deliverables).select_related(
            "submitted_by", "reviewed_by", "content_type"
        )
    }
    now = timezone.now()
    return [
        DeliverableState(d, deliveries.get(d.pk), d.due_at < now and d.pk not in deliveries)
        for d in deliverables
    ]


def programme_grid(programme, sites):
    """For coordinators: each of the given sites (a page of the programme's) × every
    deliverable of the programme, plus each site's standing registrations per workshop. A fixed
    number of queries, however many sites."""
    sites = list(sites)
    workshops = list(programme.workshops.order_by("starts_at"))
    deliverables = list(
        Deliverable.objects.filter(workshop__programme=programme)
        .select_related("workshop")
        .order_by("workshop__starts_at", "due_at", "title")
    )
    deliveries = {
        (d.site_id, d.deliverable_id): d
        for d in Delivery.objects.filter(deliverable__in=deliverables, site__in=sites)
    }
    registered = {
        (row["site"], row["workshop"]): row["n"]
        for row in Registration.objects.active()
        .filter(workshop__programme=programme, site__in=sites)
        .values("site", "workshop")
        .annotate(n=Count("pk"))
    }
    now = timezone.now()
    rows = []
    for site in sites:
        states = [
            DeliverableState(
                d,
                deliveries.get((site.pk, d.pk)),
                d.due_at < now and (site.pk, d.pk) not in deliveries,
            )
            for d in deliverables
        ]
        rows.append(
            {
                "site": site,
                "states": states,
                "registered": [registered.get((site.pk, w.pk), 0) for w in workshops],
                "owed": sum(1 for s in states if s.owed),
            }
        )
    return {"workshops": workshops, "deliverables": deliverables, "rows": rows}


def awaiting_review(programme):
    """The programme's deliveries that wait for a coordinator's review, oldest first."""
    return (
        Delivery.objects.filter(
            deliverable__workshop__programme=programme, status=DeliveryStatus.SUBMITTED
        )
        .select_related("site", "deliverable")
        .order_by("submitted_at", "pk")
    )


def workshop_rows(user, workshops, sites):
    """For the timeline and a workshop's page: each workshop with the person's registration
    and, for each of their sites, where it stands on the workshop's deliverables."""
    workshops = list(workshops)
    mine = {
        r.workshop_id: r
        for r in Registration.objects.active()
        .filter(user=user, workshop__in=workshops)
        .select_related("site")
    }
    deliverables = [d for w in workshops for d in w.deliverables.all()]
    states = {site: site_states(site, deliverables) for site in sites}
    now = timezone.now()
    upcoming = [w for w in workshops if w.ends_at >= now]
    next_workshop = upcoming[0] if upcoming else None
    rows = []
    for w in workshops:
        rows.append(
            {
                "workshop": w,
                "registration": mine.get(w.pk),
                "is_next": w == next_workshop,
                "sites": [
                    (site, [s for s in site_states if s.deliverable.workshop_id == w.pk])
                    for site, site_states in states.items()
                ],
            }
        )
    owed = [(site, [s for s in site_states if s.owed]) for site, site_states in states.items()]
    return rows, next_workshop, [(site, items) for site, items in owed if items]
