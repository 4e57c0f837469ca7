"""Rows for the dashboards: the national pages are for coordinators only; a site's dashboard,
its status and its PDF for everyone who follows the site (steering members too: they are
aggregates); refreshing it for its project leads and coordinators."""

from dashboards.services import build_summaries

from . import LOGIN, MANAGE, OK, SITE_A_PEOPLE, VIEW, Row, coordinator_row, site_row


def build(world):
    build_summaries()


def refresh_row(name):
    """POST only: those who may refresh get 405 for a GET, others 403, site B's member 404."""
    get = {"anonymous": LOGIN, "member_b": 404}
    post = {"anonymous": LOGIN, "member_b": 404}
    for person in ("coordinator", *SITE_A_PEOPLE):
        get[person] = 405 if person in MANAGE else 403
        post[person] = OK if person in MANAGE else 403
    return Row(
        name=name,
        kwargs=lambda world, site: {"site_slug": site.site.slug},
        get=get,
        post=post,
    )


ROWS = [
    coordinator_row("dashboards:national"),
    coordinator_row("dashboards:national_export"),
    site_row("dashboards:site", who=VIEW),
    site_row("dashboards:site_status", who=VIEW),
    site_row("dashboards:site_pdf", who=VIEW),
    refresh_row("dashboards:site_refresh"),
    site_row("dashboards:chart_settings", who=MANAGE, post=True),
]
