"""Rows for practical tests, cases, vignettes and general interventions (cases).

Case pages answer 404 — not 403 — to everyone who may not see cases (coordinators and steering
members too): nothing confirms that a case exists. Test, vignette and intervention pages follow
the site (`can_view`); changing them is working-level (`can_work`)."""

import datetime

from cases.models import AccessAction, AccessReview, AccessReviewItem, CaseAccess, SampleReason
from tests.cases.factories import (
    CaseConsentFactory,
    CaseEventFactory,
    CaseFactory,
    InterventionFactory,
    InterventionSessionFactory,
    PracticalTestFactory,
    VignetteFactory,
    VignetteStageFactory,
)

from . import CASES, LOGIN, OK, VIEW, WORK, coordinator_row, site_row


def build(world):
    for s in (world.a, world.b):
        site = s.site
        s.test = PracticalTestFactory(site=site)
        s.case = CaseFactory(site=site, practical_test=s.test)
        s.event = CaseEventFactory(case=s.case)
        s.consent = CaseConsentFactory(case=s.case)
        s.vignette = VignetteFactory(site=site)
        VignetteStageFactory(vignette=s.vignette)
        s.intervention = InterventionFactory(site=site)
        s.session = InterventionSessionFactory(intervention=s.intervention)
        reader = world.people["member_a" if s is world.a else "member_b"]
        s.review, s.review_item = access_review_of(s.case, reader)
    world.programme_vignette = VignetteFactory(site=None)
    VignetteStageFactory(vignette=world.programme_vignette)


def access_review_of(case, reader, month=datetime.date(2018, 9, 1)):
    """A month's access review at the case's site, with one drawn read of the case."""
    access = CaseAccess.objects.create(
        site=case.site,
        case=case,
        case_code=case.code,
        user=reader,
        user_email=reader.email,
        user_name=reader.full_name,
        action=AccessAction.VIEWED,
    )
    review = AccessReview.objects.create(site=case.site, month=month)
    item = AccessReviewItem.objects.create(review=review, access=access, reason=SampleReason.RANDOM)
    return review, item


def case_row(name, *, obj=None, post=False):
    """A case page: only project leads and working-group members of site A; 404 for the rest."""
    row = site_row(name, who=CASES, obj=obj, post=post)
    expected = {"anonymous": LOGIN, "member_b": 404, "coordinator": 404, "steering_a": 404}
    expected.update(dict.fromkeys(CASES, OK))
    row.get = dict(expected)
    if post:
        row.post = dict(expected)
    return row


def test_kw(s):
    return {"pk": s.test.pk}


def case_kw(s):
    return {"pk": s.case.pk}


def event_kw(s):
    return {"pk": s.case.pk, "event_pk": s.event.pk}


def consent_kw(s):
    return {"pk": s.case.pk, "consent_pk": s.consent.pk}


def intervention_kw(s):
    return {"pk": s.intervention.pk}


def session_kw(s):
    return {"pk": s.intervention.pk, "session_pk": s.session.pk}


def vignette_kw(s):
    return {"pk": s.vignette.pk}


ROWS = [
    # Practical tests
    site_row("cases:test_list", who=VIEW),
    site_row("cases:test_create", who=WORK, post=True),
    site_row("cases:test_detail", who=VIEW, obj=test_kw),
    site_row("cases:test_print", who=VIEW, obj=test_kw),
    site_row("cases:test_print_pdf", who=VIEW, obj=test_kw),
    site_row("cases:test_step", who=WORK, obj=lambda s: {**test_kw(s), "step": "do"}, post=True),
    site_row("cases:test_next_cycle", who=WORK, obj=test_kw, post=True),
    # Cases
    case_row("cases:case_list"),
    case_row("cases:case_create", post=True),
    case_row("cases:case_export"),
    case_row("cases:case_detail", obj=case_kw),
    case_row("cases:case_edit", obj=case_kw, post=True),
    case_row("cases:case_close", obj=case_kw, post=True),
    case_row("cases:case_timeline", obj=case_kw, post=True),
    case_row("cases:event_edit", obj=event_kw, post=True),
    case_row("cases:event_delete", obj=event_kw, post=True),
    case_row("cases:consent_withdraw", obj=consent_kw, post=True),
    case_row("cases:case_history", obj=case_kw),
    case_row("cases:case_access_log", obj=case_kw),
    case_row("cases:case_access_log_export", obj=case_kw),
    # The monthly access review: the site's project leads; the coordinators as counts
    site_row("cases:access_review_list", who={"lead_a"}),
    site_row("cases:access_review_detail", who={"lead_a"}, obj=lambda s: {"pk": s.review.pk}),
    site_row("cases:access_review_export", who={"lead_a"}, obj=lambda s: {"pk": s.review.pk}),
    site_row(
        "cases:access_review_item",
        who={"lead_a"},
        obj=lambda s: {"pk": s.review_item.pk},
        post=True,
        post_data=lambda world: {f"item{world.a.review_item.pk}-verdict": "justified"},
    ),
    coordinator_row("cases:access_review_overview"),
    coordinator_row(
        "cases:access_review_coordinator", kwargs=lambda world: {"pk": world.a.review.pk}, post=True
    ),
    # Vignettes at a site
    site_row("cases:vignette_list", who=VIEW),
    site_row("cases:vignette_create", who=WORK, post=True),
    site_row("cases:vignette_detail", who=VIEW, obj=vignette_kw),
    site_row("cases:vignette_edit", who=WORK, obj=vignette_kw, post=True),
    site_row("cases:vignette_respond", who=WORK, obj=vignette_kw, post=True),
    # General interventions at a site
    site_row("cases:intervention_list", who=VIEW),
    site_row("cases:intervention_create", who=WORK, post=True),
    site_row("cases:intervention_detail", who=VIEW, obj=intervention_kw),
    site_row("cases:intervention_edit", who=WORK, obj=intervention_kw, post=True),
    site_row("cases:intervention_fidelity", who=WORK, obj=intervention_kw, post=True),
    site_row("cases:session_create", who=WORK, obj=intervention_kw, post=True),
    site_row("cases:session_edit", who=WORK, obj=session_kw, post=True),
    site_row("cases:session_delete", who=WORK, obj=session_kw, post=True),
    # The programme's library and programmes (coordinators)
    coordinator_row("cases:programme_vignette_list"),
    coordinator_row("cases:programme_vignette_create", post=True),
    coordinator_row(
        "cases:programme_vignette_edit", kwargs=lambda w: {"pk": w.programme_vignette.pk}, post=True
    ),
    coordinator_row(
        "cases:programme_vignette_compare", kwargs=lambda w: {"pk": w.programme_vignette.pk}
    ),
    coordinator_row("cases:programme_list"),
    coordinator_row("cases:programme_create", post=True),
    coordinator_row(
        "cases:programme_edit",
        kwargs=lambda w: {"pk": _yam_pk()},
        post=True,
    ),
]


def _yam_pk():
    from cases.models import InterventionProgramme

    return InterventionProgramme.objects.get(short_name="YAM").pk
