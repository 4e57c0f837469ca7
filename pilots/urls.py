from django.urls import path

from .views import (
    documents,
    governance,
    groups,
    home,
    intake,
    interest_form,
    organisations,
    processing,
    schools,
    site_list,
    sites,
)

app_name = "pilots"

urlpatterns = [
    path("", home.home, name="home"),
    # What Triad processes (personuppgiftsbehandling): for everyone; coordinators edit it.
    path("processing/", processing.ProcessingView.as_view(), name="processing"),
    path("processing/edit/", processing.ProcessingEditView.as_view(), name="processing_edit"),
    # --- A site's structure: the site, organisations, schools, groups, plans, governance ---
    path("sites/<slug:site_slug>/", sites.SiteHomeView.as_view(), name="site_home"),
    path("sites/<slug:site_slug>/edit/", sites.SiteUpdateView.as_view(), name="site_update"),
    path("sites/<slug:site_slug>/phase/", sites.SitePhaseView.as_view(), name="site_phase"),
    path(
        "sites/<slug:site_slug>/organisations/",
        organisations.SiteOrganisationListView.as_view(),
        name="organisation_list",
    ),
    path(
        "sites/<slug:site_slug>/organisations/new/",
        organisations.SiteUnitCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "sites/<slug:site_slug>/organisations/<int:pk>/edit/",
        organisations.SiteUnitUpdateView.as_view(),
        name="organisation_update",
    ),
    path("sites/<slug:site_slug>/schools/", schools.SchoolListView.as_view(), name="school_list"),
    path(
        "sites/<slug:site_slug>/schools/new/",
        schools.SchoolCreateView.as_view(),
        name="school_create",
    ),
    path(
        "sites/<slug:site_slug>/schools/<int:pk>/edit/",
        schools.SchoolUpdateView.as_view(),
        name="school_update",
    ),
    path(
        "sites/<slug:site_slug>/schools/<int:pk>/leave/",
        schools.SchoolLeaveView.as_view(),
        name="school_leave",
    ),
    path(
        "sites/<slug:site_slug>/steering-group/",
        groups.SteeringGroupView.as_view(),
        name="steering_group",
    ),
    path(
        "sites/<slug:site_slug>/working-group/",
        groups.WorkingGroupView.as_view(),
        name="working_group",
    ),
    path(
        "sites/<slug:site_slug>/memberships/<int:pk>/edit/",
        groups.MembershipUpdateView.as_view(),
        name="membership_update",
    ),
    path(
        "sites/<slug:site_slug>/memberships/<int:pk>/end/",
        groups.MembershipEndView.as_view(),
        name="membership_end",
    ),
    path(
        "sites/<slug:site_slug>/plans/", documents.DocumentListView.as_view(), name="document_list"
    ),
    path(
        "sites/<slug:site_slug>/plans/versions/<int:pk>/",
        documents.DocumentVersionView.as_view(),
        name="document_version",
    ),
    path(
        "sites/<slug:site_slug>/plans/versions/<int:pk>/approve/",
        documents.DocumentApproveView.as_view(),
        name="document_approve",
    ),
    path(
        "sites/<slug:site_slug>/plans/<slug:kind>/",
        documents.DocumentDetailView.as_view(),
        name="document_detail",
    ),
    path(
        "sites/<slug:site_slug>/plans/<slug:kind>/edit/",
        documents.DocumentEditView.as_view(),
        name="document_edit",
    ),
    path(
        "sites/<slug:site_slug>/meetings/",
        governance.MeetingListView.as_view(),
        name="meeting_list",
    ),
    path(
        "sites/<slug:site_slug>/meetings/new/",
        governance.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path(
        "sites/<slug:site_slug>/meetings/<int:pk>/",
        governance.MeetingDetailView.as_view(),
        name="meeting_detail",
    ),
    path(
        "sites/<slug:site_slug>/meetings/<int:pk>/edit/",
        governance.MeetingUpdateView.as_view(),
        name="meeting_update",
    ),
    path(
        "sites/<slug:site_slug>/meetings/<int:pk>/decisions/new/",
        governance.DecisionCreateView.as_view(),
        name="decision_create",
    ),
    path(
        "sites/<slug:site_slug>/decisions/<int:pk>/edit/",
        governance.DecisionUpdateView.as_view(),
        name="decision_update",
    ),
    path(
        "sites/<slug:site_slug>/actions/", governance.ActionListView.as_view(), name="action_list"
    ),
    path(
        "sites/<slug:site_slug>/actions/new/",
        governance.ActionCreateView.as_view(),
        name="action_create",
    ),
    path(
        "sites/<slug:site_slug>/actions/<int:pk>/",
        governance.ActionDetailView.as_view(),
        name="action_detail",
    ),
    path(
        "sites/<slug:site_slug>/actions/<int:pk>/edit/",
        governance.ActionUpdateView.as_view(),
        name="action_update",
    ),
    path(
        "sites/<slug:site_slug>/actions/<int:pk>/status/",
        governance.ActionStatusView.as_view(),
        name="action_status",
    ),
    path(
        "programme/organisations/",
        organisations.ProgrammeOrganisationListView.as_view(),
        name="programme_organisation_list",
    ),
    path(
        "programme/organisations/new/",
        organisations.ProgrammeOrganisationCreateView.as_view(),
        name="programme_organisation_create",
    ),
    path(
        "programme/organisations/<int:pk>/edit/",
        organisations.ProgrammeOrganisationUpdateView.as_view(),
        name="programme_organisation_update",
    ),
    # --- Intake and people: interest registrations, invitations, coordinators' site list ---
    path("intresseanmalan/", interest_form.registration_create, name="registration_create"),
    path("intresseanmalan/skickad/", interest_form.registration_sent, name="registration_sent"),
    path(
        "intresseanmalan/<str:token>/",
        interest_form.registration_follow,
        name="registration_follow",
    ),
    path("registrations/", intake.RegistrationListView.as_view(), name="registration_list"),
    path(
        "registrations/<int:pk>/",
        intake.RegistrationDetailView.as_view(),
        name="registration_detail",
    ),
    path(
        "registrations/<int:pk>/notes/",
        intake.RegistrationNoteView.as_view(),
        name="registration_note",
    ),
    path(
        "registrations/<int:pk>/status/",
        intake.RegistrationStatusView.as_view(),
        name="registration_status",
    ),
    path(
        "registrations/<int:pk>/accept/",
        intake.RegistrationAcceptView.as_view(),
        name="registration_accept",
    ),
    path("sites/", site_list.SiteListView.as_view(), name="site_list"),
]
