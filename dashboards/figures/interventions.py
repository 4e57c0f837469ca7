"""General interventions (PALS, YAM) in a summary, for many sites at once: how many run, the
groups and pupils they reach, and their sessions."""

from collections import defaultdict

from django.db.models import Count, F, Q, Sum

from cases.models import Intervention, InterventionSession, InterventionStatus


def intervention_figures(site_ids):
    rows = defaultdict(dict)
    for row in (
        Intervention.objects.filter(site__in=site_ids)
        .order_by()
        .values("site", short_name=F("programme__short_name"))
        .annotate(
            schools=Count("school", distinct=True),
            running=Count("pk", filter=Q(status=InterventionStatus.RUNNING)),
            completed=Count("pk", filter=Q(status=InterventionStatus.COMPLETED)),
            groups=Sum("groups_reached"),
        )
    ):
        rows[row["site"]][row["short_name"]] = {
            "programme": row["short_name"],
            "schools": row["schools"],
            "running": row["running"],
            "completed": row["completed"],
            "groups": row["groups"] or 0,
            "sessions": 0,
            "pupils": 0,
        }
    for row in (
        InterventionSession.objects.filter(intervention__site__in=site_ids)
        .order_by()
        .values(site=F("intervention__site"), short_name=F("intervention__programme__short_name"))
        .annotate(sessions=Count("pk"), pupils=Sum("pupils_reached"))
    ):
        entry = rows[row["site"]].get(row["short_name"])
        if entry is not None:
            entry.update(sessions=row["sessions"], pupils=row["pupils"] or 0)
    return {
        site_id: sorted(rows.get(site_id, {}).values(), key=lambda r: r["programme"])
        for site_id in site_ids
    }
