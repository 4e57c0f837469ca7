"""The steering group's PDF is drawn once per summary and audience and then served from storage
(dashboards/pdfs.py), through the same view: a person of another site still gets 404. The
drawings are counted around the real drawing function; the files are read back through
Django's default storage, as any storage (object storage too) holds them."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse

from dashboards import pdfs
from dashboards.models import Audience, SummaryPdf
from dashboards.services import build_changed_summaries, build_summaries
from tests.cases.factories import CaseFactory
from tests.cases.five_cases import five_case_test

from .pdf_text import pdf_text

pytestmark = pytest.mark.django_db

# The row of all cases, as the steering group reads it and as the working group may.
HIDDEN_ROW = "Alla ärenden 5 1–4 dolt dolt dolt dolt 1–4 0 "
EXACT_ROW = "Alla ärenden 5 2 20 3.5 67 33 1 0 "


@pytest.fixture
def world(site_a, site_b):
    five_case_test(site_a)
    build_summaries()
    return site_a


@pytest.fixture
def drawings(monkeypatch):
    """Each drawing of a PDF, counted around the real function (WeasyPrint still draws)."""
    drawn = []
    real = pdfs.draw

    def counted(site, summary, audience):
        drawn.append((site.slug, summary.pk if summary else None, audience))
        return real(site, summary, audience)

    monkeypatch.setattr(pdfs, "draw", counted)
    return drawn


def pdf_url(site, exact=False):
    url = reverse("dashboards:site_pdf", kwargs={"site_slug": site.slug})
    return f"{url}?figures=exact" if exact else url


def kept(audience=Audience.HIDDEN):
    return SummaryPdf.objects.get(audience=audience, summary__is_latest=True)


def stored_bytes(record):
    with default_storage.open(record.file.name) as file:
        return file.read()


def test_the_pdf_is_drawn_once_and_later_requests_are_served_from_storage(
    world, client_for, steering_a, lead_a, drawings
):
    first = client_for(steering_a).get(pdf_url(world))
    second = client_for(lead_a).get(pdf_url(world))
    third = client_for(steering_a).get(pdf_url(world))
    assert len(drawings) == 1
    assert first.content == second.content == third.content == stored_bytes(kept())
    assert second["Content-Type"] == "application/pdf"
    assert HIDDEN_ROW in pdf_text(third.content)


def test_those_who_see_cases_may_have_the_exact_figures_in_a_file_of_their_own(
    world, client_for, lead_a, steering_a, drawings
):
    hidden = client_for(lead_a).get(pdf_url(world))
    exact = client_for(lead_a).get(pdf_url(world, exact=True))
    assert [audience for _s, _p, audience in drawings] == [Audience.HIDDEN, Audience.EXACT]
    assert kept(Audience.EXACT).file.name != kept(Audience.HIDDEN).file.name
    assert stored_bytes(kept(Audience.EXACT)) == exact.content != hidden.content
    words = pdf_text(exact.content)
    assert EXACT_ROW in words and HIDDEN_ROW not in words
    assert "exakta siffror, som inte ska delas med andra" in words
    assert exact["Content-Disposition"].endswith('-exakt.pdf"')
    # A steering member asking for the exact figures gets the steering group's PDF.
    theirs = client_for(steering_a).get(pdf_url(world, exact=True))
    assert theirs.content == hidden.content and len(drawings) == 2


def test_a_new_summary_gets_new_pdfs_and_the_old_files_are_deleted(
    world, client_for, lead_a, drawings, django_capture_on_commit_callbacks
):
    client = client_for(lead_a)
    old = client.get(pdf_url(world)).content
    client.get(pdf_url(world, exact=True))
    old_names = set(SummaryPdf.objects.values_list("file", flat=True))
    CaseFactory(site=world)
    with django_capture_on_commit_callbacks(execute=True):
        build_changed_summaries()
    assert not SummaryPdf.objects.exists()
    assert not any(default_storage.exists(name) for name in old_names)
    new = client.get(pdf_url(world)).content
    assert len(drawings) == 3 and new != old
    # The new case's week in the run chart: two cases where there was one.
    assert "2018-09-10 2 2018-09-17 1" in pdf_text(new)
    assert kept().file.name not in old_names


def test_a_person_of_another_site_gets_404_and_nothing_is_drawn(
    world, client_for, member_b, drawings
):
    client = client_for(member_b)
    assert client.get(pdf_url(world)).status_code == 404
    assert client.get(pdf_url(world, exact=True)).status_code == 404
    assert drawings == [] and not SummaryPdf.objects.exists()


def test_a_pdf_lost_from_storage_is_drawn_again(world, client_for, steering_a, drawings):
    client = client_for(steering_a)
    first = client.get(pdf_url(world)).content
    default_storage.delete(kept().file.name)
    # The cache's copy in front of the store still answers, with the same file.
    assert client.get(pdf_url(world)).content == first and len(drawings) == 1
    cache.clear()  # once it has expired, the file is drawn again
    again = client.get(pdf_url(world)).content
    assert len(drawings) == 2 and again.startswith(b"%PDF")
    assert stored_bytes(kept()) == again
    assert pdf_text(again) == pdf_text(first)


def test_a_site_without_a_summary_gets_a_pdf_that_says_so_and_keeps_nothing(
    site_a, client_for, steering_a, drawings
):
    response = client_for(steering_a).get(pdf_url(site_a))
    assert "Ingen lägesbild" in pdf_text(response.content)
    assert len(drawings) == 1 and not SummaryPdf.objects.exists()


@pytest.mark.parametrize("exact", [False, True])
def test_no_word_of_the_pdf_overlaps_another_or_leaves_the_page(world, client_for, lead_a, exact):
    """Issue 15: "Mediandagar" ran into "Lösta i". Every word is read back with its box."""
    import shutil

    from .pdf_boxes import outside, overlapping, words

    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext reads the words' boxes")
    found, sizes = words(client_for(lead_a).get(pdf_url(world, exact=exact)).content)
    assert len(found) > 100 and sizes
    assert overlapping(found) == []
    assert outside(found, sizes) == []


def test_the_pdf_opens_with_the_headline_figures_and_what_awaits_a_decision(
    world, client_for, steering_a
):
    text = pdf_text(client_for(steering_a).get(pdf_url(world)).content)
    opening = text[: text.index("Ärenden per utgångspunkt")]
    assert "5 Ärenden" in opening or "5 1–4" in opening
    assert "Väntar på styrgruppens beslut" in opening
    assert "praktiskt test" in opening or "Inget praktiskt test väntar på beslut." in opening


def test_a_kept_pdf_is_read_from_the_cache_not_the_store(world, client_for, steering_a, drawings):
    client = client_for(steering_a)
    first = client.get(pdf_url(world)).content
    opened = []
    original = default_storage.open
    try:
        default_storage.open = lambda *a, **k: opened.append(a) or original(*a, **k)
        again = client.get(pdf_url(world)).content
    finally:
        default_storage.open = original
    assert again == first and opened == [] and len(drawings) == 1
