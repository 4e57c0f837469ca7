from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Action,
    Decision,
    InterestRegistration,
    Membership,
    Organisation,
    PhaseChange,
    PilotSite,
    PlanDocument,
    PlanVersion,
    RegistrationNote,
    School,
    SteeringMeeting,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_coordinator", "is_active", "is_staff"]
    list_filter = ["is_coordinator", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_coordinator", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = []


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(PilotSite)
class PilotSiteAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region", "phase"]
    list_filter = ["phase"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SchoolInline, MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "actor", "parent"]
    list_filter = ["kind", "actor"]
    search_fields = ["name"]


@admin.register(InterestRegistration)
class InterestRegistrationAdmin(admin.ModelAdmin):
    list_display = ["municipality_name", "region_name", "status", "created_at"]
    list_filter = ["status"]


for model in (
    PhaseChange,
    PlanDocument,
    PlanVersion,
    SteeringMeeting,
    Decision,
    Action,
    RegistrationNote,
    Membership,
    School,
):
    admin.site.register(model)
