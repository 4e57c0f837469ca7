"""The steering group's PDF of a site's summary: drawn with WeasyPrint once per summary and
audience, kept through Django's default storage (its API only, so the file may live in object
storage and any web host serves it), and read from there (through the cache in front of it)
by every later request. When a new summary replaces the old one, the old one's PDFs are
deleted (services.build_summaries).

Drawn on the first request, not after each build: most summaries' PDFs are never opened (a
site's steering group meets once a month or so, and the nightly build may replace a summary
every day), and drawing one takes WeasyPrint about a second, so drawing both audiences of
every rebuilt site at night would cost workers minutes for files nobody reads, and would delay
the summaries themselves if done in the build. The first reader waits for the drawing once;
everyone after is served the file. A file lost from storage is drawn again.

Two audiences (cases/disclosure.py): the steering group's PDF leaves the site (shared,
printed), so small numbers are hidden in it whoever downloads it. Those who see the site's
cases (its project leads and working-group members) may ask for a copy with exact figures for
their own work; it says so on its first lines."""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.disclosure import EXACT_ROLES, sees_exact

from .models import Audience, ChartSettings, SummaryPdf
from .presenters import SummaryView


def audience_for(access, asked: str | None) -> Audience:
    """The PDF the person gets: the steering group's (small numbers hidden), or the copy with
    exact figures when they asked for it and may see the site's cases."""
    if asked == Audience.EXACT and sees_exact(access, access.site):
        return Audience.EXACT
    return Audience.HIDDEN


def draw(site, summary, audience: Audience) -> bytes:
    """The PDF, drawn now (WeasyPrint). `summary` may be None: none has been built yet."""
    from weasyprint import HTML

    viewer = EXACT_ROLES if audience == Audience.EXACT else None
    view = None
    if summary:
        view = SummaryView(summary, viewer=viewer)
        view.chart_settings = ChartSettings.of_site(site)
    with translation.override("sv"):
        html = render_to_string(
            "dashboards/site_pdf.html",
            {
                "site": site,
                "summary": view,
                "exact": audience == Audience.EXACT,
                "printed_on": timezone.localdate(),
            },
        )
    # The template carries its own styles and loads nothing from outside.
    return HTML(string=html).write_pdf()


# A PDF read from storage is also kept this long in the cache, in front of the object store,
# whose every read is a round trip to another service: a summary's PDF never changes (a new
# summary is a new key), and the view decides who may have it before it is looked up.
CACHE_SECONDS = 60 * 60


def pdf_of(site, summary, audience: Audience) -> bytes:
    """The summary's PDF for the audience: from the cache, from storage, or drawn now and kept."""
    if summary is None:
        return draw(site, None, audience)
    key = f"dashboards:pdf:{summary.pk}:{summary.built_at.isoformat()}:{audience}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = stored_or_drawn(site, summary, audience)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def stored_or_drawn(site, summary, audience):
    kept = SummaryPdf.objects.filter(summary=summary, audience=audience).first()
    if kept is not None:
        try:
            with kept.file.open("rb") as file:
                return file.read()
        except FileNotFoundError:
            kept.delete()  # lost from storage: drawn again below
    pdf = draw(site, summary, audience)
    record = SummaryPdf(summary=summary, audience=audience)
    record.file.save(f"{summary.pk}-{audience}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Another request drew the same PDF at the same moment and kept it first.
        record.file.delete(save=False)
    return pdf


def remove_file(record):
    """A PDF's row is gone (its summary was replaced or deleted): its file goes once that is
    committed, so a rollback keeps both."""
    storage, name = record.file.storage, record.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
