"""The governance part of a summary, for many sites at once: the triad and its hours, steering
meetings and decisions, actions, and the needs analysis and project plan."""

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum

from pilots.models import (
    Action,
    Actor,
    DocumentKind,
    Membership,
    PlanDocument,
    Role,
    SteeringMeeting,
)
from pilots.models import Decision as SteeringDecision


def governance_figures(site_ids, today):
    result = {
        site_id: {
            "meetings": 0,
            "last_meeting": None,
            "decisions": 0,
            "decisions_without_action": 0,
            "actions_overdue": 0,
            "leads": 0,
            "working": dict.fromkeys(Actor.values, 0),
            "steering": dict.fromkeys(Actor.values, 0),
            "hours": {a: {"set_aside": 0.0, "planned": 0.0} for a in (Actor.SOCIAL, Actor.HEALTH)},
            "vacancies": 0,
            "handovers": 0,
        }
        for site_id in site_ids
    }
    for row in (
        SteeringMeeting.objects.filter(site__in=site_ids)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"), last=Max("held_on"))
    ):
        result[row["site"]]["meetings"] = row["n"]
        result[row["site"]]["last_meeting"] = row["last"].isoformat() if row["last"] else None
    followed = Action.objects.filter(decision=OuterRef("pk"))
    for row in (
        SteeringDecision.objects.filter(meeting__site__in=site_ids)
        .order_by()
        .values(site=F("meeting__site"))
        .annotate(n=Count("pk"), unfollowed=Count("pk", filter=~Q(Exists(followed))))
    ):
        result[row["site"]]["decisions"] = row["n"]
        result[row["site"]]["decisions_without_action"] = row["unfollowed"]
    for row in (
        Action.objects.filter(site__in=site_ids)
        .overdue(today)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
    ):
        result[row["site"]]["actions_overdue"] = row["n"]
    for row in (
        Membership.objects.active(today)
        .filter(site__in=site_ids)
        .order_by()
        .values("site", "role", "actor")
        .annotate(n=Count("pk"), hours=Sum("hours_per_week"), planned=Sum("planned_hours_per_week"))
    ):
        g = result[row["site"]]
        if row["role"] == Role.LEAD:
            g["leads"] += row["n"]
            continue
        group = g["working" if row["role"] == Role.WORKING else "steering"]
        # Members not tied to one of the three actors are counted under "" (shown as other).
        group[row["actor"]] = group.get(row["actor"], 0) + row["n"]
        if row["role"] == Role.WORKING and row["actor"] in g["hours"]:
            g["hours"][row["actor"]]["set_aside"] += float(row["hours"] or 0)
            g["hours"][row["actor"]]["planned"] += float(row["planned"] or 0)
    succeeded = Membership.objects.filter(succeeds=OuterRef("pk"))
    for row in (
        Membership.objects.filter(site__in=site_ids)
        .order_by()
        .values("site")
        .annotate(
            handovers=Count("pk", filter=Q(succeeds__isnull=False)),
            vacancies=Count("pk", filter=Q(ends_on__lt=today) & ~Q(Exists(succeeded))),
        )
    ):
        result[row["site"]]["handovers"] = row["handovers"]
        result[row["site"]]["vacancies"] = row["vacancies"]
    return result


def plan_figures(site_ids):
    result = {site_id: dict.fromkeys(DocumentKind.values, "missing") for site_id in site_ids}
    for row in (
        PlanDocument.objects.filter(site__in=site_ids)
        .order_by()
        .values("site", "kind", "approved_version")
        .annotate(versions=Count("versions"))
    ):
        if row["approved_version"]:
            state = "approved"
        elif row["versions"]:
            state = "draft"
        else:
            state = "missing"
        result[row["site"]][row["kind"]] = state
    return result
