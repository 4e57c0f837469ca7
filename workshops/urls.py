from django.urls import path

from .views import deliverables, materials, participation, programmes, sites, workshops

app_name = "workshops"

urlpatterns = [
    # --- The programme: timelines for everyone, running it for coordinators ---
    path("workshops/", programmes.ProgrammeIndexView.as_view(), name="programme_index"),
    path(
        "workshops/programmes/new/",
        programmes.ProgrammeCreateView.as_view(),
        name="programme_create",
    ),
    path(
        "workshops/programmes/<int:pk>/",
        programmes.ProgrammeDetailView.as_view(),
        name="programme_detail",
    ),
    path(
        "workshops/programmes/<int:pk>/edit/",
        programmes.ProgrammeUpdateView.as_view(),
        name="programme_update",
    ),
    path(
        "workshops/programmes/<int:pk>/progress/",
        programmes.ProgrammeProgressView.as_view(),
        name="programme_progress",
    ),
    path(
        "workshops/programmes/<int:pk>/workshops/new/",
        workshops.WorkshopCreateView.as_view(),
        name="workshop_create",
    ),
    path("workshops/<int:pk>/", workshops.WorkshopDetailView.as_view(), name="workshop_detail"),
    path(
        "workshops/<int:pk>/edit/", workshops.WorkshopUpdateView.as_view(), name="workshop_update"
    ),
    path(
        "workshops/<int:pk>/attendance/",
        workshops.AttendanceView.as_view(),
        name="workshop_attendance",
    ),
    path(
        "workshops/<int:pk>/deliverables/new/",
        deliverables.DeliverableCreateView.as_view(),
        name="deliverable_create",
    ),
    path(
        "workshops/deliverables/<int:pk>/edit/",
        deliverables.DeliverableUpdateView.as_view(),
        name="deliverable_update",
    ),
    path(
        "workshops/<int:pk>/materials/new/",
        materials.MaterialCreateView.as_view(),
        name="material_create",
    ),
    path(
        "workshops/materials/<int:pk>/",
        materials.MaterialDownloadView.as_view(),
        name="material_download",
    ),
    path(
        "workshops/materials/<int:pk>/remove/",
        materials.MaterialDeleteView.as_view(),
        name="material_delete",
    ),
    # --- Taking part: registering, calendars, reminders ---
    path(
        "workshops/<int:pk>/register/",
        participation.RegisterView.as_view(),
        name="workshop_register",
    ),
    path("workshops/<int:pk>/cancel/", participation.CancelView.as_view(), name="workshop_cancel"),
    path("workshops/<int:pk>/event.ics", participation.workshop_ics, name="workshop_ics"),
    path(
        "workshops/reminders/",
        participation.ReminderSettingsView.as_view(),
        name="reminder_settings",
    ),
    path(
        "workshops/calendar/",
        participation.calendar_feed_manage,
        name="calendar_feed_manage",
    ),
    path(
        "workshops/calendar/<str:token>.ics",
        participation.calendar_feed,
        name="calendar_feed",
    ),
    # --- A site's part: registrations, deliverables, deliveries and their review ---
    path(
        "sites/<slug:site_slug>/workshops/",
        sites.SiteProgrammeView.as_view(),
        name="site_programme",
    ),
    path(
        "sites/<slug:site_slug>/workshops/<int:workshop_pk>/registrations/",
        sites.SiteRegistrationsView.as_view(),
        name="site_registrations",
    ),
    path(
        "sites/<slug:site_slug>/workshops/registrations/<int:pk>/cancel/",
        sites.SiteRegistrationCancelView.as_view(),
        name="site_registration_cancel",
    ),
    path(
        "sites/<slug:site_slug>/workshops/deliverables/<int:pk>/",
        sites.SiteDeliverableView.as_view(),
        name="site_deliverable",
    ),
    path(
        "sites/<slug:site_slug>/workshops/deliverables/<int:pk>/deliver/",
        sites.SiteDeliverView.as_view(),
        name="site_deliver",
    ),
    path(
        "sites/<slug:site_slug>/workshops/deliveries/<int:pk>/file/",
        sites.DeliveryFileView.as_view(),
        name="delivery_file",
    ),
    path(
        "sites/<slug:site_slug>/workshops/deliveries/<int:pk>/review/",
        sites.DeliveryReviewView.as_view(),
        name="delivery_review",
    ),
]
