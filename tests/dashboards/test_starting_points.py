"""Each starting point's indicator on the site dashboard counts what serves it: practical tests,
general interventions and working-group actions, each marked through its own form. A site that
runs PALS and no tests shows its PALS under promotive and preventive work, not 0."""

import re

from django.urls import reverse

from cases.models import Intervention, InterventionProgramme, StartingPoint
from dashboards.services import build_summaries
from pilots.models import Action
from tests.cases.factories import PracticalTestFactory

PROMOTIVE = "Främjande och förebyggande arbete"
SEEK_HELP = "Söka hjälp själva"


def work_table(client, site):
    """{starting point's short label: (tests, interventions, actions, in all)} as the site
    dashboard's table shows it."""
    page = client.get(reverse("dashboards:site", kwargs={"site_slug": site.slug}))
    html = page.content.decode()
    section = html[html.index('id="work-per-starting-point"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(
        r'<abbr title="[^"]*">([^<]+)</abbr></th><td class="text-end">(\d+)</td>'
        r'<td class="text-end">(\d+)</td>\s*<td class="text-end">(\d+)</td>'
        r'<td class="text-end fw-semibold">(\d+)</td>',
        section,
    )
    return {label: tuple(int(n) for n in counts) for label, *counts in rows}


def test_a_pals_site_shows_its_intervention_under_promotive_work(site_a, lead_a, client):
    client.force_login(lead_a)
    build_summaries(site_a)
    assert work_table(client, site_a)[PROMOTIVE] == (0, 0, 0, 0)

    pals = InterventionProgramme.objects.get(short_name="PALS")
    response = client.post(
        reverse("cases:intervention_create", kwargs={"site_slug": site_a.slug}),
        {
            "programme": pals.pk,
            "school": site_a.schools.get().pk,
            "status": "running",
            "starting_points": [StartingPoint.PROMOTIVE],
            "groups-TOTAL_FORMS": "1",
            "groups-INITIAL_FORMS": "0",
            "groups-0-name": "Hela skolan",
            "groups-0-size": "320",
        },
    )
    assert response.status_code == 302
    assert Intervention.objects.get().starting_points == ["promotive"]
    build_summaries(site_a)

    table = work_table(client, site_a)
    assert table[PROMOTIVE] == (0, 1, 0, 1)
    assert table[SEEK_HELP] == (0, 0, 0, 0)
    assert len(table) == len(StartingPoint)


def test_tests_and_actions_count_towards_each_starting_point_they_serve(site_a, lead_a, client):
    PracticalTestFactory(site=site_a, starting_points=[StartingPoint.SEEK_HELP])
    client.force_login(lead_a)
    response = client.post(
        reverse("pilots:action_create", kwargs={"site_slug": site_a.slug}),
        {
            "title": "Öppen mottagning på skolan varje tisdag",
            "status": "open",
            "starting_points": [StartingPoint.PROMOTIVE, StartingPoint.SEEK_HELP],
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.starting_points == ["promotive", "seek_help"]
    detail = client.get(response.url).content.decode()
    assert "Ökade möjligheter för barn och unga att själva söka hjälp" in detail
    build_summaries(site_a)

    table = work_table(client, site_a)
    assert table[SEEK_HELP] == (1, 0, 1, 2)
    assert table[PROMOTIVE] == (0, 0, 1, 1)
