from django.contrib import admin

from .models import SentDigest, SiteSummary, SummaryRequest


@admin.register(SiteSummary)
class SiteSummaryAdmin(admin.ModelAdmin):
    list_display = ["site", "built_at", "trigger", "is_latest", "cases_total", "attention"]
    list_filter = ["trigger", "is_latest", "phase"]
    date_hierarchy = "built_at"
    raw_id_fields = ["site", "region"]


@admin.register(SummaryRequest)
class SummaryRequestAdmin(admin.ModelAdmin):
    list_display = ["site", "requested_by", "requested_at"]
    raw_id_fields = ["site", "requested_by"]


@admin.register(SentDigest)
class SentDigestAdmin(admin.ModelAdmin):
    list_display = ["site", "recipient", "week", "sent_at"]
    raw_id_fields = ["site", "recipient", "summary"]
