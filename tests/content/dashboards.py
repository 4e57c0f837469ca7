"""The dashboards: the national pages list every site (coordinators only); a site's dashboard
shows that site's figures."""

from dashboards.services import build_summaries

from . import programme_page, site_page


def build(w):
    build_summaries()


PAGES = [
    programme_page("dashboards:national", shows={"OWN-Site", "LEAK-Site", "PROG-Site"}),
    programme_page(
        "dashboards:national_export", query="?format=csv", shows={"OWN-Site", "LEAK-Site"}
    ),
    site_page("dashboards:site", shows={"OWN-Site"}),
    site_page("dashboards:site_status"),
    site_page("dashboards:chart_settings"),
]

OBJECTS = []

OTHER = {
    "dashboards:site_pdf": "the PDF of dashboards:site (its text is compressed; the page is checked)",
    "dashboards:site_refresh": "a POST-only button (rebuild the site's own figures)",
}
