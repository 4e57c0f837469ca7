"""Invitations: a project lead invites people to a role at their site, coordinators invite
coordinators, and the person accepts through the link in the e-mail. And the proof of the
account's e-mail before a second factor is added (accounts/enrolment.py)."""

from django.urls import path

from . import enrolment, federation_views, owndata_views, views

app_name = "accounts"

urlpatterns = [
    path(
        "sites/<slug:site_slug>/invitations/",
        views.InvitationListView.as_view(),
        name="invitation_list",
    ),
    path(
        "sites/<slug:site_slug>/invitations/new/",
        views.InvitationCreateView.as_view(),
        name="invitation_create",
    ),
    path(
        "sites/<slug:site_slug>/invitations/<int:pk>/resend/",
        views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path(
        "sites/<slug:site_slug>/invitations/<int:pk>/withdraw/",
        views.InvitationWithdrawView.as_view(),
        name="invitation_withdraw",
    ),
    path("coordinators/", views.CoordinatorListView.as_view(), name="coordinator_list"),
    path(
        "coordinators/invitations/<int:pk>/resend/",
        views.CoordinatorInvitationResendView.as_view(),
        name="coordinator_invitation_resend",
    ),
    path(
        "coordinators/invitations/<int:pk>/withdraw/",
        views.CoordinatorInvitationWithdrawView.as_view(),
        name="coordinator_invitation_withdraw",
    ),
    # A person's own data (GDPR art. 15): their own, or produced by a coordinator.
    path("account/my-data/", owndata_views.OwnDataView.as_view(), name="own_data"),
    path("programme/people/data/", owndata_views.FindPersonView.as_view(), name="find_person"),
    path(
        "programme/people/<int:pk>/data/",
        owndata_views.PersonDataView.as_view(),
        name="person_data",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Signing in through the organisation's own identity provider (accounts/federation.py)
    path("accounts/organisation/", federation_views.federated_login, name="federated_login"),
    path(
        "invitation/<str:token>/organisation/",
        federation_views.federated_invitation,
        name="federated_invitation",
    ),
    path(
        "accounts/organisation/link/",
        federation_views.federated_connect,
        name="federated_connect",
    ),
    path(
        "identity-providers/",
        federation_views.ConnectionListView.as_view(),
        name="connection_list",
    ),
    path(
        "identity-providers/new/",
        federation_views.ConnectionCreateView.as_view(),
        name="connection_create",
    ),
    path(
        "identity-providers/<int:pk>/",
        federation_views.ConnectionUpdateView.as_view(),
        name="connection_update",
    ),
    path(
        "identity-providers/<int:pk>/remove/",
        federation_views.ConnectionDeleteView.as_view(),
        name="connection_delete",
    ),
    # Beside allauth's two-factor pages: the e-mailed code before a second factor is added.
    path(
        "accounts/2fa/confirm-email/",
        enrolment.EnrolmentProofView.as_view(),
        name="mfa_enrolment_proof",
    ),
]
