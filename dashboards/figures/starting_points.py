"""What serves each of the programme's four starting points at a site, for many sites at once:
its practical tests, general interventions and working-group actions that are marked as serving
it (pilots.models.starting_points). One grouped query per kind of activity."""

from cases.models import Intervention, PracticalTest
from pilots.models import Action
from pilots.models.starting_points import StartingPoint

# The kinds of activity that can serve a starting point, in the order the tables show them.
KINDS = {"tests": PracticalTest, "interventions": Intervention, "actions": Action}


def starting_point_figures(site_ids):
    """{site: {starting point: {"tests": n, "interventions": n, "actions": n}}}."""
    counts = {
        kind: model.objects.filter(site__in=site_ids).count_serving("site")
        for kind, model in KINDS.items()
    }
    empty = dict.fromkeys(StartingPoint.values, 0)
    return {
        site_id: {
            sp: {kind: counts[kind].get(site_id, empty)[sp] for kind in KINDS}
            for sp in StartingPoint.values
        }
        for site_id in site_ids
    }
