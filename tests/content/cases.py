"""Practical tests, cases, vignettes and general interventions. Case data (codes, notes) is
for the site's project leads and working-group members only: coordinators and steering
members never see it, aggregates aside."""

from cases.models import (
    AccessAction,
    AccessReviewItem,
    CaseAccess,
    InterventionProgramme,
    SampleReason,
)
from tests.cases.factories import (
    CaseConsentFactory,
    CaseEventFactory,
    CaseFactory,
    InterventionFactory,
    InterventionSessionFactory,
    PracticalTestFactory,
    VignetteFactory,
    VignetteResponseFactory,
    VignetteStageFactory,
)
from tests.matrix.cases import access_review_of

from . import programme_object, programme_page, site_object, site_page

CASE_PEOPLE_A = {"lead_a", "member_a"}


def build(w):
    # An intervention programme like PALS or YAM: the programme's, coordinators edit it.
    w.method = InterventionProgramme.objects.create(
        name=w.all.tag("Method"), short_name="ALLM", description="Ett program för klasser."
    )
    w.programme_vignette = VignetteFactory(site=None, title=w.all.tag("Vignette"))
    w.programme_stage = VignetteStageFactory(
        vignette=w.programme_vignette, position=1, text=w.all.tag("Story")
    )
    for s in (w.a, w.b):
        site = s.site
        s.test = PracticalTestFactory(
            site=site, title=s.tag("Test"), change_idea=s.tag("ChangeIdea")
        )
        s.test.schools.set([s.school])
        s.case = CaseFactory(
            site=site, school=s.school, practical_test=s.test, code=s.tag("Case", cases=True)
        )
        s.event = CaseEventFactory(case=s.case, note=s.tag("EventNote", cases=True))
        s.consent = CaseConsentFactory(case=s.case)
        s.vignette = VignetteFactory(site=site, title=s.tag("Vignette"))
        VignetteStageFactory(vignette=s.vignette, position=1, text=s.tag("Story"))
        # The site's answer to the programme's vignette: its own, and the coordinators'.
        s.answer = VignetteResponseFactory(site=site, stage=w.programme_stage, text=s.tag("Answer"))
        s.intervention = InterventionFactory(
            site=site, school=s.school, groups_description=s.tag("Intervention")
        )
        s.session = InterventionSessionFactory(
            intervention=s.intervention, instructors=s.tag("Instructors")
        )
        # A month's access review: a member's read for the leads, and where the site has one
        # lead, that lead's own read for the coordinators (as counts: its code never shown).
        s.review, s.review_item = access_review_of(s.case, s.member.user)
        lead = w.people["lead_a"] if s is w.a else s.member.user
        own = CaseAccess.objects.create(
            site=site,
            case=s.case,
            case_code=s.case.code,
            user=lead,
            user_email=lead.email,
            user_name=lead.full_name,
            action=AccessAction.VIEWED,
        )
        AccessReviewItem.objects.create(
            review=s.review, access=own, reason=SampleReason.OFF_HOURS, for_coordinators=True
        )


def _pk(attr):
    return lambda s: {"pk": getattr(s, attr).pk}


def _text(model):
    return lambda s: f"{s.prefix}-{model}"


def _event(s):
    return {"pk": s.case.pk, "event_pk": s.event.pk}


def _session(s):
    return {"pk": s.intervention.pk, "session_pk": s.session.pk}


CASES_SHOWN = {p: {"OWN-Case"} for p in CASE_PEOPLE_A}

PAGES = [
    site_page("cases:test_list", shows={"OWN-Test"}),
    site_page("cases:test_create", shows={"OWN-School"}),
    site_page("cases:case_list", shows={"OWN-Case", "OWN-Test"}),
    site_page("cases:case_create", shows={"OWN-School", "OWN-Test"}),
    site_page("cases:case_export", query="?format=csv", confirm_password=True, shows={"OWN-Case"}),
    site_page("cases:vignette_list", shows={"OWN-Vignette", "ALL-Vignette"}),
    # The programme's vignette at site A: site A's answers only, never site B's.
    site_page(
        "cases:vignette_detail",
        obj=lambda w: {"pk": w.programme_vignette.pk},
        shows={"ALL-Vignette", "ALL-Story", "OWN-Answer"},
    ),
    site_page(
        "cases:vignette_respond",
        obj=lambda w: {"pk": w.programme_vignette.pk},
        shows={"ALL-Story", "OWN-Answer"},
    ),
    site_page("cases:vignette_create"),
    site_page("cases:intervention_list", shows={"OWN-School"}),
    site_page("cases:intervention_create", shows={"OWN-School"}),
    programme_page("cases:programme_vignette_list", shows={"ALL-Vignette"}),
    programme_page("cases:programme_vignette_create"),
    programme_page(
        "cases:programme_vignette_compare",
        kwargs=lambda w: {"pk": w.programme_vignette.pk},
        shows={"ALL-Story", "OWN-Answer", "LEAK-Answer"},
    ),
    programme_page("cases:programme_list", shows={"ALL-Method"}),
    site_page("cases:access_review_list"),
    # Every site's review as counts: the sites' names, never a case code.
    programme_page("cases:access_review_overview", shows={"OWN-Site", "LEAK-Site"}),
    programme_page("cases:programme_create"),
]

OBJECTS = [
    site_object("cases:test_detail", obj=_pk("test"), tag=_text("Test")),
    site_object("cases:test_print", obj=_pk("test"), tag=_text("Test")),
    # A PDF: its words are in compressed streams (tests/cases/test_practical_tests.py reads them).
    site_object("cases:test_print_pdf", obj=_pk("test"), tag=_text("Test"), shown=False),
    site_object(
        "cases:test_step", obj=lambda s: {"pk": s.test.pk, "step": "plan"}, tag=_text("Test")
    ),
    site_object("cases:test_next_cycle", obj=_pk("test"), tag=_text("Test")),
    site_object("cases:case_detail", obj=_pk("case"), tag=_text("Case")),
    site_object("cases:case_edit", obj=_pk("case"), tag=_text("Case")),
    site_object("cases:case_close", obj=_pk("case"), tag=_text("Case")),
    site_object("cases:case_timeline", obj=_pk("case"), tag=_text("Case")),
    site_object("cases:event_edit", obj=_event, tag=_text("EventNote")),
    site_object("cases:event_delete", obj=_event, tag=_text("Case")),
    site_object(
        "cases:consent_withdraw",
        obj=lambda s: {"pk": s.case.pk, "consent_pk": s.consent.pk},
        tag=_text("Case"),
    ),
    site_object("cases:case_history", obj=_pk("case"), tag=_text("Case")),
    site_object("cases:case_access_log", obj=_pk("case"), tag=_text("Case")),
    site_object("cases:case_access_log_export", obj=_pk("case"), tag=_text("Case")),
    site_object("cases:vignette_detail", obj=_pk("vignette"), tag=_text("Vignette")),
    site_object("cases:vignette_edit", obj=_pk("vignette"), tag=_text("Vignette")),
    site_object("cases:vignette_respond", obj=_pk("vignette"), tag=_text("Vignette")),
    site_object("cases:intervention_detail", obj=_pk("intervention"), tag=_text("Intervention")),
    site_object("cases:intervention_edit", obj=_pk("intervention"), tag=_text("Intervention")),
    # An intervention is named by its programme and school.
    site_object("cases:intervention_fidelity", obj=_pk("intervention"), tag=_text("School")),
    site_object("cases:session_create", obj=_pk("intervention"), tag=_text("School")),
    site_object("cases:session_edit", obj=_session, tag=_text("Instructors")),
    site_object("cases:session_delete", obj=_session, tag=_text("School")),
    site_object("cases:access_review_detail", obj=_pk("review"), tag=_text("Case")),
    site_object("cases:access_review_item", obj=_pk("review_item"), tag=_text("Case")),
    site_object("cases:access_review_export", obj=_pk("review"), tag=_text("Case")),
    # The coordinators' page of one site's month: the site's name, and a lead's own reads as
    # counts; the case codes of those reads (OWN-Case) are forbidden to them, so checked absent.
    programme_object(
        "cases:access_review_coordinator",
        obj=lambda w: {"pk": w.b.review.pk},
        tag=lambda w: "LEAK-Member",
        own=lambda w: ({"pk": w.a.review.pk}, "OWN-Site"),
    ),
    programme_object(
        "cases:programme_edit",
        obj=lambda w: {"pk": w.method.pk},
        tag=lambda w: "ALL-Method",
        own=lambda w: ({"pk": w.method.pk}, "ALL-Method"),
    ),
    # The programme's vignette pages take only the programme's vignettes, never a site's.
    programme_object(
        "cases:programme_vignette_edit",
        obj=lambda w: {"pk": w.b.vignette.pk},
        tag=lambda w: "LEAK-Vignette",
        coordinator=True,
    ),
    programme_object(
        "cases:programme_vignette_compare",
        obj=lambda w: {"pk": w.b.vignette.pk},
        tag=lambda w: "LEAK-Vignette",
        coordinator=True,
    ),
]

OTHER = {}
