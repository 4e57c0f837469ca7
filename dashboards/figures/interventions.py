"""General interventions (PALS, YAM) in a summary, for many sites at once: how many run, and
how far they reach (Intervention.objects.reach: groups and pupils reached, each group once;
sessions and attendance apart)."""

from collections import defaultdict

from django.db.models import Count, F, Q

from cases.models import Intervention, InterventionStatus, Reach


def intervention_figures(site_ids):
    interventions = Intervention.objects.filter(site__in=site_ids)
    reach = interventions.reach("site", "programme__short_name")
    rows = defaultdict(dict)
    for row in (
        interventions.order_by()
        .values("site", short_name=F("programme__short_name"))
        .annotate(
            schools=Count("school", distinct=True),
            running=Count("pk", filter=Q(status=InterventionStatus.RUNNING)),
            completed=Count("pk", filter=Q(status=InterventionStatus.COMPLETED)),
        )
    ):
        key = (row["site"], row["short_name"])
        rows[row["site"]][row["short_name"]] = {
            "programme": row["short_name"],
            "schools": row["schools"],
            "running": row["running"],
            "completed": row["completed"],
            **reach.get(key, Reach()).as_dict(),
        }
    return {
        site_id: sorted(rows.get(site_id, {}).values(), key=lambda r: r["programme"])
        for site_id in site_ids
    }
