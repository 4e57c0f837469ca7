"""A site's part in the workshop programme, for many sites at once: registrations and
attendance, and deliverables delivered, accepted and overdue."""

from django.db.models import Case as DbCase
from django.db.models import Count, F, Q, When

from workshops.models import Deliverable, Delivery, DeliveryStatus, Registration


def workshop_figures(site_ids, now):
    result = {
        site_id: {
            "workshops": 0,
            "registered": 0,
            "attended": 0,
            "absent": 0,
            "cancelled": 0,
            "deliverables": {
                "total": 0,
                "due": 0,
                "submitted": 0,
                "accepted": 0,
                "needs_revision": 0,
                "overdue": 0,
            },
        }
        for site_id in site_ids
    }
    standing = Q(cancelled_at__isnull=True)
    for row in (
        Registration.objects.filter(site__in=site_ids, workshop__is_published=True)
        .order_by()
        .values("site")
        .annotate(
            # SQLite refuses FILTER on a DISTINCT count; a CASE does the same everywhere.
            workshops=Count(DbCase(When(standing, then="workshop")), distinct=True),
            registered=Count("pk", filter=standing),
            # Not named after the model's own fields, which a later filter would then mean.
            n_attended=Count("pk", filter=standing & Q(attended=True)),
            n_absent=Count("pk", filter=standing & Q(attended=False)),
            n_cancelled=Count("pk", filter=Q(cancelled_at__isnull=False)),
        )
    ):
        result[row["site"]].update(
            workshops=row["workshops"],
            registered=row["registered"],
            attended=row["n_attended"],
            absent=row["n_absent"],
            cancelled=row["n_cancelled"],
        )
    for row in (
        Deliverable.objects.filter(
            workshop__is_published=True, workshop__programme__sites__in=site_ids
        )
        .order_by()
        .values(site=F("workshop__programme__sites"))
        .annotate(total=Count("pk"), due=Count("pk", filter=Q(due_at__lt=now)))
    ):
        result[row["site"]]["deliverables"].update(total=row["total"], due=row["due"])
    for row in (
        Delivery.objects.filter(site__in=site_ids, deliverable__workshop__is_published=True)
        .order_by()
        .values("site")
        .annotate(
            submitted=Count("pk", filter=Q(status=DeliveryStatus.SUBMITTED)),
            accepted=Count("pk", filter=Q(status=DeliveryStatus.ACCEPTED)),
            needs_revision=Count("pk", filter=Q(status=DeliveryStatus.NEEDS_REVISION)),
            due_settled=Count(
                "pk",
                filter=Q(deliverable__due_at__lt=now) & ~Q(status=DeliveryStatus.NEEDS_REVISION),
            ),
        )
    ):
        d = result[row["site"]]["deliverables"]
        d.update(
            submitted=row["submitted"],
            accepted=row["accepted"],
            needs_revision=row["needs_revision"],
        )
        d["settled"] = row["due_settled"]
    for w in result.values():
        d = w["deliverables"]
        # Past its due date and not delivered, or sent back for revision: still owed.
        d["overdue"] = max(d["due"] - d.pop("settled", 0), 0)
    return result
