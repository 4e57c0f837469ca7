"""Demo data: a progress summary of each demo site, built at once (no worker needed), so the
dashboards have something to show right after `seed_demo`. Running it again adds a new
snapshot, as a nightly build would."""

from dashboards.models import Trigger
from dashboards.services import build_summaries


def seed(stdout):
    built = build_summaries(trigger=Trigger.DEMO)
    stdout.write(f"Dashboards: built {len(built)} site summaries.")
