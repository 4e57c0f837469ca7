"""The admin shows what a technical administrator needs. Cases, their timelines and history are
deliberately absent: they are read only through the site's audited pages. The access record is
read-only here."""

from django.contrib import admin

from .models import (
    CaseAccess,
    FidelityItem,
    Intervention,
    InterventionProgramme,
    PracticalTest,
    RetentionRecord,
    Vignette,
    VignetteStage,
)


class FidelityItemInline(admin.TabularInline):
    model = FidelityItem
    extra = 0


@admin.register(InterventionProgramme)
class InterventionProgrammeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "is_active"]
    inlines = [FidelityItemInline]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["programme", "school", "site", "status"]
    list_filter = ["programme", "status", "site"]


class VignetteStageInline(admin.StackedInline):
    model = VignetteStage
    extra = 0


@admin.register(Vignette)
class VignetteAdmin(admin.ModelAdmin):
    list_display = ["title", "site"]
    list_filter = ["site"]
    inlines = [VignetteStageInline]


@admin.register(PracticalTest)
class PracticalTestAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "cycle", "stage", "decision"]
    list_filter = ["stage", "decision", "site"]
    search_fields = ["title"]
    filter_horizontal = ["schools", "people"]


@admin.register(CaseAccess)
class CaseAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user_email", "action", "case_code", "site"]
    list_filter = ["action", "site"]
    search_fields = ["case_code", "user_email"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRecord)
class RetentionRecordAdmin(admin.ModelAdmin):
    """What the retention task removed, site by site; a record, not something to edit."""

    list_display = [
        "ran_at",
        "site_name",
        "cases_removed",
        "access_lines_removed",
        "retention_days",
    ]
    date_hierarchy = "ran_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
