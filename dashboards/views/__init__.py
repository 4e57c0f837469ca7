"""The dashboards: national (coordinators) and per site (everyone who follows the site).
Both read the latest stored summaries, so a page runs the same few queries however much data
there is. Nothing here shows or links to a single case, and small numbers are hidden from all
but the site's leads and working-group members: the national pages, the exports and the
steering group's PDF always hide them (cases/disclosure.py).

national.py holds the coordinators' pages, site.py a site's dashboard and its PDF, charts.py
how a site's charts are read; summaries.py what they all read of the stored summaries, and
kept.py the drawings kept until what they are drawn from changes."""

from .charts import ChartSettingsView
from .national import NationalExportView, NationalView
from .site import SiteDashboardView, SitePdfView, SiteRefreshView, SiteStatusView

__all__ = [
    "ChartSettingsView",
    "NationalExportView",
    "NationalView",
    "SiteDashboardView",
    "SitePdfView",
    "SiteRefreshView",
    "SiteStatusView",
]
