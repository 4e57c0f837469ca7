from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dashboards/", views.NationalView.as_view(), name="national"),
    path("dashboards/export/", views.NationalExportView.as_view(), name="national_export"),
    path("sites/<slug:site_slug>/dashboard/", views.SiteDashboardView.as_view(), name="site"),
    path(
        "sites/<slug:site_slug>/dashboard/refresh/",
        views.SiteRefreshView.as_view(),
        name="site_refresh",
    ),
    path(
        "sites/<slug:site_slug>/dashboard/status/",
        views.SiteStatusView.as_view(),
        name="site_status",
    ),
    path("sites/<slug:site_slug>/dashboard/pdf/", views.SitePdfView.as_view(), name="site_pdf"),
    path(
        "sites/<slug:site_slug>/dashboard/charts/",
        views.ChartSettingsView.as_view(),
        name="chart_settings",
    ),
]
