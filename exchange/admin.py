from django.contrib import admin

from .models import Announcement, LibraryItem, Post, Thread


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "all_sites", "pinned", "send_email", "published_at"]
    filter_horizontal = ["sites"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fields = ["author", "created_at", "hidden_at", "hidden_reason"]
    readonly_fields = ["author", "created_at"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "last_post_at"]
    list_filter = ["site"]
    inlines = [PostInline]


@admin.register(LibraryItem)
class LibraryItemAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "workshop", "created_at"]
    list_filter = ["site"]
