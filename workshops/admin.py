from django.contrib import admin

from .models import (
    CalendarFeed,
    Deliverable,
    Delivery,
    DeliveryEvent,
    Material,
    Programme,
    Registration,
    ReminderOptOut,
    SentReminder,
    Workshop,
)


class WorkshopInline(admin.TabularInline):
    model = Workshop
    fields = ["number", "title", "starts_at", "ends_at", "is_published"]
    extra = 0
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "case_retention_days", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["sites"]
    inlines = [WorkshopInline]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    fields = ["kind", "title", "due_at"]
    extra = 0


class MaterialInline(admin.TabularInline):
    model = Material
    fields = ["title", "original_name", "size", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_at"]
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "starts_at", "registration_closes_at", "is_published"]
    list_filter = ["programme", "is_published"]
    search_fields = ["title"]
    inlines = [DeliverableInline, MaterialInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "workshop",
        "site",
        "actor",
        "registered_at",
        "cancelled_at",
        "attended",
    ]
    list_filter = ["workshop", "site", "actor", "attended"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user", "registered_by", "cancelled_by"]


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    fields = ["action", "comment", "by", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["deliverable", "site", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "deliverable__workshop", "site"]
    raw_id_fields = ["submitted_by", "reviewed_by"]
    inlines = [DeliveryEventInline]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "workshop", "site", "due_at", "sent_at", "delivered_at"]
    list_filter = ["kind", "workshop"]
    search_fields = ["recipient__email", "occasion"]
    raw_id_fields = ["recipient"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_fetched_at"]
    readonly_fields = ["token_digest", "created_at", "last_fetched_at"]
    raw_id_fields = ["user"]
