"""A printable page as a PDF: the page's own HTML, drawn by WeasyPrint with the print styles
(@media print in static/css/triad.css: no navigation, cards kept whole). Style sheets and
images under STATIC_URL are read from the static files, never fetched over the network, and
nothing else is fetched at all."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse


def _static_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticFetcher(URLFetcher):
        """Reads what is under STATIC_URL from the static files; refuses everything else."""

        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            prefix = "/" + settings.STATIC_URL.lstrip("/")
            found = path.startswith(prefix) and finders.find(path.removeprefix(prefix))
            if not found:
                raise ValueError(f"not fetched while printing: {url}")
            return super().fetch(Path(found).as_uri(), headers)

    return StaticFetcher(allowed_protocols={"file"})


def pdf_response(request, html: str, filename: str) -> HttpResponse:
    """The rendered page `html` as a PDF attachment."""
    from weasyprint import HTML

    pdf = HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_static_fetcher()
    ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
