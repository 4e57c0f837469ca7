from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The security audit record, to read and search; nobody adds, changes or deletes."""

    list_display = ["at", "kind", "user_email", "ip", "status", "path"]
    list_filter = ["kind"]
    search_fields = ["user_email", "ip", "path", "site_slug"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
