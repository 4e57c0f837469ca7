"""Case pages' bodies drawn once and kept until the site's data changes (infra/kept.py).

A drawing with case rows is kept in the worker's own memory only (never in the shared cache),
under the site's count of data changes (dashboards.models.SiteDataVersion: every write to a
table the site's pages read moves it, whatever wrote it) and today's date. A kept drawing
still counts in the access record: it remembers the cases it showed, and every reading counts
them as read by the "shows case data" mark (cases/casedata.py), as if they had been loaded.
Only a page with the mark may keep case rows."""

from django.utils import timezone

from dashboards.models import SiteDataVersion
from infra.kept import LOCAL, for_reader, kept, render

from . import casedata


def site_parts(site):
    """What every drawing of a site's case data is drawn from: the site, its count of changes
    and the day (the days a case has waited, what is open)."""
    return [site.pk, SiteDataVersion.of(site.pk), timezone.localdate()]


def kept_case_html(request, name, parts, template, context):
    """`template` rendered with `context()` once per key (which must include `site_parts`),
    in this worker's memory, and the cases it shows counted as read by this request."""
    casedata.cases_read()  # refuses a page without the mark before anything is drawn

    def draw():
        before = casedata.cases_read()
        html = render(template, context(), request)
        return html, casedata.cases_read() - before

    html, cases = kept(name, parts, draw, where=LOCAL)
    casedata.shown(cases)
    return for_reader(html, request)
