"""The coordinators' progress grid (workshops/programme_progress.html): each row is written in
one pass by `{% progress_row %}` and must read exactly as the template language wrote it cell by
cell — the site to its programme page, each deliverable's standing (linked to the delivery's
review when there is one), the registrations with none marked, every value escaped."""

import pytest
from django.template import engines
from django.utils import translation

from pilots.models import PilotSite
from workshops.models import Deliverable, Delivery, DeliveryStatus
from workshops.progress import DeliverableState

CELL_BY_CELL = """
          <th scope="row"><a href="{% url 'workshops:site_programme' row.site.slug %}">{{ row.site.name }}</a></th>
          {% for state in row.states %}
          <td>{% if state.delivery %}<a href="{% url 'workshops:delivery_review' row.site.slug state.delivery.pk %}" class="text-decoration-none">{% endif %}<span class="badge {{ state.badge }}"><i class="bi {{ state.icon }}" aria-hidden="true"></i> {{ state.label }}</span>{% if state.delivery %}</a>{% endif %}</td>
          {% endfor %}
          {% for n in row.registered %}<td class="text-end{% if not n %} text-danger{% endif %}">{{ n }}</td>{% endfor %}
"""  # noqa: E501
ONE_PASS = "{% load progress_grid %}\n          {% progress_row row %}\n"


def a_row():
    site = PilotSite(pk=7, slug="norr-1", name="Norr & <Söder>")
    deliverable = Deliverable(pk=3, title="Plan")
    delivered = [
        Delivery(pk=pk, status=status)
        for pk, status in enumerate(
            [DeliveryStatus.ACCEPTED, DeliveryStatus.SUBMITTED, DeliveryStatus.NEEDS_REVISION], 11
        )
    ]
    states = [DeliverableState(deliverable, d, False) for d in delivered] + [
        DeliverableState(deliverable, None, True),
        DeliverableState(deliverable, None, False),
    ]
    return {"site": site, "states": states, "registered": [3, 0, 12]}


def render(source, row):
    return engines["django"].from_string(source).render({"row": row})


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_row_reads_as_the_template_wrote_it(language):
    row = a_row()
    with translation.override(language):
        assert render(ONE_PASS, row) == render(CELL_BY_CELL, row)


def test_a_row_links_escapes_and_marks_no_registrations():
    with translation.override("en"):
        html = render(ONE_PASS, a_row())
    assert ">Norr &amp; &lt;Söder&gt;</a></th>" in html
    assert html.count("/review/") == 3
    assert "Overdue" in html and "Not delivered" in html and "Needs revision" in html
    assert '<td class="text-end">3</td><td class="text-end text-danger">0</td>' in html
