from django.urls import path

from .views import access_review, cases, consents, interventions, practical_tests, vignettes

app_name = "cases"

S = "sites/<slug:site_slug>/"

urlpatterns = [
    # --- Practical tests (PDSA cycles): followed by everyone at the site -------------------
    path(f"{S}tests/", practical_tests.PracticalTestListView.as_view(), name="test_list"),
    path(f"{S}tests/new/", practical_tests.PracticalTestCreateView.as_view(), name="test_create"),
    path(
        f"{S}tests/<int:pk>/", practical_tests.PracticalTestDetailView.as_view(), name="test_detail"
    ),
    path(
        f"{S}tests/<int:pk>/print/",
        practical_tests.PracticalTestPrintView.as_view(),
        name="test_print",
    ),
    path(
        f"{S}tests/<int:pk>/print.pdf",
        practical_tests.PracticalTestPdfView.as_view(),
        name="test_print_pdf",
    ),
    path(
        f"{S}tests/<int:pk>/next-cycle/",
        practical_tests.NextCycleView.as_view(),
        name="test_next_cycle",
    ),
    path(
        f"{S}tests/<int:pk>/<str:step>/",
        practical_tests.PracticalTestStepView.as_view(),
        name="test_step",
    ),
    # --- Cases: project leads and working-group members only, every access audited --------
    path(f"{S}cases/", cases.CaseListView.as_view(), name="case_list"),
    path(f"{S}cases/new/", cases.CaseCreateView.as_view(), name="case_create"),
    path(f"{S}cases/export/", cases.CaseExportView.as_view(), name="case_export"),
    path(f"{S}cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path(f"{S}cases/<int:pk>/edit/", cases.CaseUpdateView.as_view(), name="case_edit"),
    path(f"{S}cases/<int:pk>/close/", cases.CaseCloseView.as_view(), name="case_close"),
    path(f"{S}cases/<int:pk>/timeline/", cases.CaseTimelineView.as_view(), name="case_timeline"),
    path(
        f"{S}cases/<int:pk>/timeline/<int:event_pk>/edit/",
        cases.EventUpdateView.as_view(),
        name="event_edit",
    ),
    path(
        f"{S}cases/<int:pk>/timeline/<int:event_pk>/delete/",
        cases.EventDeleteView.as_view(),
        name="event_delete",
    ),
    path(
        f"{S}cases/<int:pk>/consents/<int:consent_pk>/withdraw/",
        consents.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
    path(f"{S}cases/<int:pk>/history/", cases.CaseHistoryView.as_view(), name="case_history"),
    path(
        f"{S}cases/<int:pk>/access-log/",
        cases.CaseAccessLogView.as_view(),
        name="case_access_log",
    ),
    path(
        f"{S}cases/<int:pk>/access-log/download/",
        cases.CaseAccessLogExportView.as_view(),
        name="case_access_log_export",
    ),
    # --- The monthly access review: the site's project leads ----------------------------------
    path(
        f"{S}access-review/",
        access_review.AccessReviewListView.as_view(),
        name="access_review_list",
    ),
    path(
        f"{S}access-review/<int:pk>/",
        access_review.AccessReviewDetailView.as_view(),
        name="access_review_detail",
    ),
    path(
        f"{S}access-review/<int:pk>/download/",
        access_review.AccessReviewExportView.as_view(),
        name="access_review_export",
    ),
    path(
        f"{S}access-review/reads/<int:pk>/",
        access_review.AccessReviewItemView.as_view(),
        name="access_review_item",
    ),
    # --- Vignettes at a site ------------------------------------------------------------------
    path(f"{S}vignettes/", vignettes.VignetteListView.as_view(), name="vignette_list"),
    path(f"{S}vignettes/new/", vignettes.VignetteCreateView.as_view(), name="vignette_create"),
    path(f"{S}vignettes/<int:pk>/", vignettes.VignetteDetailView.as_view(), name="vignette_detail"),
    path(
        f"{S}vignettes/<int:pk>/edit/",
        vignettes.VignetteUpdateView.as_view(),
        name="vignette_edit",
    ),
    path(
        f"{S}vignettes/<int:pk>/respond/",
        vignettes.VignetteRespondView.as_view(),
        name="vignette_respond",
    ),
    # --- General interventions at a site ------------------------------------------------------
    path(
        f"{S}interventions/",
        interventions.InterventionListView.as_view(),
        name="intervention_list",
    ),
    path(
        f"{S}interventions/new/",
        interventions.InterventionCreateView.as_view(),
        name="intervention_create",
    ),
    path(
        f"{S}interventions/<int:pk>/",
        interventions.InterventionDetailView.as_view(),
        name="intervention_detail",
    ),
    path(
        f"{S}interventions/<int:pk>/edit/",
        interventions.InterventionUpdateView.as_view(),
        name="intervention_edit",
    ),
    path(
        f"{S}interventions/<int:pk>/fidelity/",
        interventions.FidelityView.as_view(),
        name="intervention_fidelity",
    ),
    path(
        f"{S}interventions/<int:pk>/sessions/new/",
        interventions.SessionCreateView.as_view(),
        name="session_create",
    ),
    path(
        f"{S}interventions/<int:pk>/sessions/<int:session_pk>/edit/",
        interventions.SessionUpdateView.as_view(),
        name="session_edit",
    ),
    path(
        f"{S}interventions/<int:pk>/sessions/<int:session_pk>/delete/",
        interventions.SessionDeleteView.as_view(),
        name="session_delete",
    ),
    # --- Every site's access review, as counts (coordinators) ---------------------------------
    path(
        "programme/access-reviews/",
        access_review.CoordinatorAccessReviewListView.as_view(),
        name="access_review_overview",
    ),
    path(
        "programme/access-reviews/<int:pk>/",
        access_review.CoordinatorAccessReviewView.as_view(),
        name="access_review_coordinator",
    ),
    # --- The programme's vignette library and intervention programmes (coordinators) ------------
    path(
        "programme/vignettes/",
        vignettes.ProgrammeVignetteListView.as_view(),
        name="programme_vignette_list",
    ),
    path(
        "programme/vignettes/new/",
        vignettes.ProgrammeVignetteCreateView.as_view(),
        name="programme_vignette_create",
    ),
    path(
        "programme/vignettes/<int:pk>/edit/",
        vignettes.ProgrammeVignetteUpdateView.as_view(),
        name="programme_vignette_edit",
    ),
    path(
        "programme/vignettes/<int:pk>/",
        vignettes.ProgrammeVignetteCompareView.as_view(),
        name="programme_vignette_compare",
    ),
    path(
        "programme/interventions/",
        interventions.ProgrammeListView.as_view(),
        name="programme_list",
    ),
    path(
        "programme/interventions/new/",
        interventions.ProgrammeEditView.as_view(),
        name="programme_create",
    ),
    path(
        "programme/interventions/<int:pk>/edit/",
        interventions.ProgrammeEditView.as_view(),
        name="programme_edit",
    ),
]
