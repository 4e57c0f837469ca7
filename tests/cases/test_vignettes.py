"""Vignettes: the programme's library and a site's own, answered per stage and actor."""

import pytest

from cases.models import Vignette, VignetteResponse
from tests.cases.factories import VignetteFactory, VignetteResponseFactory, VignetteStageFactory

pytestmark = pytest.mark.django_db


def stage_data(prefix, stages, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(stages)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, (title, text) in enumerate(stages):
        data[f"{prefix}-{i}-title"] = title
        data[f"{prefix}-{i}-text"] = text
    return data


def test_the_working_group_writes_a_vignette_in_stages(client_for, member_a, site_a, urls):
    data = {"title": "Sam i åk 5", "introduction": "Påhittat."}
    data.update(
        stage_data("stages", [("Början", "Sam är tyst."), ("Sedan", "Sam är borta."), ("", "")])
    )
    response = client_for(member_a).post(urls("vignette_create"), data)
    vignette = Vignette.objects.get()
    assert response.status_code == 302
    assert vignette.site == site_a
    assert [(s.position, s.title) for s in vignette.stages.all()] == [(1, "Början"), (2, "Sedan")]


def test_a_vignette_needs_a_stage(client_for, member_a, urls):
    data = {"title": "Tom", **stage_data("stages", [("", "")])}
    response = client_for(member_a).post(urls("vignette_create"), data)
    assert response.status_code == 200
    assert not Vignette.objects.exists()


def test_responses_are_saved_per_stage_and_actor(client_for, member_a, site_a, urls):
    vignette = VignetteFactory(site=None)
    first, second = (
        VignetteStageFactory(vignette=vignette, position=1),
        VignetteStageFactory(vignette=vignette, position=2),
    )
    client = client_for(member_a)
    client.post(
        urls("vignette_respond", pk=vignette.pk),
        {
            f"stage-{first.pk}-school": "Mentorn ringer hem.",
            f"stage-{second.pk}-social": "Samtal med familjen.",
        },
    )
    answers = {(r.stage_id, r.actor): r.text for r in VignetteResponse.objects.filter(site=site_a)}
    assert answers == {
        (first.pk, "school"): "Mentorn ringer hem.",
        (second.pk, "social"): "Samtal med familjen.",
    }
    # Emptying a box removes the answer.
    client.post(
        urls("vignette_respond", pk=vignette.pk),
        {f"stage-{first.pk}-school": "Mentorn ringer hem."},
    )
    assert VignetteResponse.objects.filter(site=site_a).count() == 1


def test_pnr_in_a_response_is_refused(client_for, member_a, urls):
    stage = VignetteStageFactory()
    response = client_for(member_a).post(
        urls("vignette_respond", pk=stage.vignette.pk),
        {f"stage-{stage.pk}-health": "Se 640823-3234."},
    )
    assert response.status_code == 200
    assert not VignetteResponse.objects.exists()


def test_the_site_sees_its_own_answers_side_by_side_and_not_another_sites(
    client_for, steering_a, site_a, site_b, urls
):
    stage = VignetteStageFactory()
    VignetteResponseFactory(site=site_a, stage=stage, actor="school", text="Vårt svar")
    VignetteResponseFactory(site=site_b, stage=stage, actor="school", text="Deras svar")
    body = (
        client_for(steering_a).get(urls("vignette_detail", pk=stage.vignette.pk)).content.decode()
    )
    assert "Vårt svar" in body
    assert "Deras svar" not in body


def test_another_sites_own_vignette_is_404(client_for, member_a, site_b, urls):
    foreign = VignetteFactory(site=site_b)
    assert client_for(member_a).get(urls("vignette_detail", pk=foreign.pk)).status_code == 404


def test_a_programme_vignette_cannot_be_edited_at_a_site(client_for, lead_a, urls):
    vignette = VignetteFactory(site=None)
    assert client_for(lead_a).get(urls("vignette_edit", pk=vignette.pk)).status_code == 404


def test_coordinators_write_programme_vignettes(client_for, coordinator):
    from django.urls import reverse

    data = {
        "title": "Programmets vinjett",
        "introduction": "",
        **stage_data("stages", [("Ett", "Text.")]),
    }
    response = client_for(coordinator).post(reverse("cases:programme_vignette_create"), data)
    vignette = Vignette.objects.get()
    assert vignette.site is None
    assert response.url == reverse("cases:programme_vignette_compare", kwargs={"pk": vignette.pk})


def test_coordinators_compare_answers_across_sites(client_for, coordinator, site_a, site_b):
    from django.urls import reverse

    stage = VignetteStageFactory()
    VignetteResponseFactory(site=site_a, stage=stage, actor="school", text="Svar från A")
    VignetteResponseFactory(site=site_b, stage=stage, actor="health", text="Svar från B")
    url = reverse("cases:programme_vignette_compare", kwargs={"pk": stage.vignette.pk})
    body = client_for(coordinator).get(url).content.decode()
    assert "Svar från A" in body and "Svar från B" in body
    only_health = client_for(coordinator).get(url + "?actor=health").content.decode()
    assert "Svar från B" in only_health and "Svar från A" not in only_health


def test_a_sites_own_vignette_is_not_in_the_programme_comparison(client_for, coordinator, site_a):
    from django.urls import reverse

    own = VignetteFactory(site=site_a)
    url = reverse("cases:programme_vignette_compare", kwargs={"pk": own.pk})
    assert client_for(coordinator).get(url).status_code == 404


def test_reordering_and_removing_stages_keeps_positions_in_order(
    client_for, member_a, site_a, urls
):
    vignette = VignetteFactory(site=site_a)
    a = VignetteStageFactory(vignette=vignette, position=1, title="A")
    b = VignetteStageFactory(vignette=vignette, position=2, title="B")
    data = {
        "title": vignette.title,
        "introduction": "",
        **stage_data("stages", [("A", "x"), ("B", "y")], initial=2),
    }
    data.update({"stages-0-id": a.pk, "stages-0-DELETE": "on", "stages-1-id": b.pk})
    client_for(member_a).post(urls("vignette_edit", pk=vignette.pk), data)
    assert [(s.position, s.title) for s in vignette.stages.all()] == [(1, "B")]


def test_the_comparison_shows_a_page_of_sites_and_keeps_the_actor_across_pages(
    client_for, coordinator, site_a, site_b, monkeypatch
):
    from django.urls import reverse

    from cases.views.vignettes import ProgrammeVignetteCompareView

    monkeypatch.setattr(ProgrammeVignetteCompareView, "sites_per_page", 1)
    stage = VignetteStageFactory()
    for site in (site_a, site_b):
        for actor in ("school", "health"):
            VignetteResponseFactory(site=site, stage=stage, actor=actor, text=f"{actor} i {site}")
    url = reverse("cases:programme_vignette_compare", kwargs={"pk": stage.vignette.pk})
    client = client_for(coordinator)

    first = client.get(url, {"actor": "health"}).content.decode()
    assert "health i Område A" in first
    assert "Område B" not in first and "school i" not in first
    assert "2 of" in first or "2 av" in first  # both sites answered, one shown
    assert "actor=health&amp;page=2" in first  # the next page keeps the actor
    second = client.get(url, {"actor": "health", "page": 2}).content.decode()
    assert "health i Område B" in second and "Område A" not in second
