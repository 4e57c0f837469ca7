from allauth import urls as allauth_urls
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.enrolment import with_enrolment_proof
from config.health import healthz
from infra import accessibility
from infra.language_views import set_language

# The admin signs in through allauth, so its rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Triad"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The base template and nothing else, for a signed-in person: the yardstick that
    # `make bench` measures every other page against.
    path("baseline/", TemplateView.as_view(template_name="baseline.html"), name="baseline"),
    path("i18n/setlang/", set_language, name="set_language"),
    # The accessibility statement (lag 2018:1937), in the footer of every page.
    path("tillganglighet/", accessibility.StatementView.as_view(), name="accessibility"),
    path(
        "tillganglighet/edit/",
        accessibility.StatementEditView.as_view(),
        name="accessibility_edit",
    ),
    # allauth's pages, those that add a second factor wanting proof of the e-mail first.
    path("accounts/", include(with_enrolment_proof(allauth_urls.urlpatterns))),
    path("admin/", admin.site.urls),
    path("", include("pilots.urls")),
    path("", include("accounts.urls")),
    path("", include("cases.urls")),
    path("", include("workshops.urls")),
    path("", include("dashboards.urls")),
    path("", include("exchange.urls")),
]

handler403 = "infra.errors.permission_denied"
handler404 = "infra.errors.page_not_found"
handler500 = "infra.errors.server_error"
