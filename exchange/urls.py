from django.urls import path

from .views import announcements, digests, library, threads

app_name = "exchange"

S = "sites/<slug:site_slug>/"

urlpatterns = [
    # --- The information channel ---------------------------------------------------------------
    path("exchange/", announcements.InboxView.as_view(), name="inbox"),
    path(
        "exchange/announcements/read/",
        announcements.MarkAllReadView.as_view(),
        name="announcements_read",
    ),
    path(
        "exchange/announcements/new/",
        announcements.AnnouncementCreateView.as_view(),
        name="announcement_create",
    ),
    path(
        "exchange/announcements/<int:pk>/",
        announcements.AnnouncementDetailView.as_view(),
        name="announcement_detail",
    ),
    path(
        "exchange/announcements/<int:pk>/edit/",
        announcements.AnnouncementUpdateView.as_view(),
        name="announcement_update",
    ),
    path("exchange/digest/", digests.DigestSettingsView.as_view(), name="digest_settings"),
    path("exchange/posts/<int:pk>/hide/", threads.HideView.as_view(), name="post_hide"),
]

# The exchange and the library exist programme-wide and within each site, with the same views.
for prefix, name_prefix in (("exchange/", ""), (f"{S}exchange/", "site_")):
    urlpatterns += [
        path(
            f"{prefix}threads/", threads.ThreadListView.as_view(), name=f"{name_prefix}thread_list"
        ),
        path(
            f"{prefix}threads/new/",
            threads.ThreadCreateView.as_view(),
            name=f"{name_prefix}thread_create",
        ),
        path(
            f"{prefix}threads/<int:pk>/",
            threads.ThreadDetailView.as_view(),
            name=f"{name_prefix}thread_detail",
        ),
        path(
            f"{prefix}threads/<int:pk>/reply/",
            threads.ReplyView.as_view(),
            name=f"{name_prefix}thread_reply",
        ),
        path(
            f"{prefix}threads/<int:pk>/follow/",
            threads.FollowView.as_view(),
            name=f"{name_prefix}thread_follow",
        ),
        path(
            f"{prefix}threads/<int:pk>/posts/<int:post_pk>/helpful/",
            threads.HelpfulView.as_view(),
            name=f"{name_prefix}post_helpful",
        ),
        path(
            f"{prefix}library/",
            library.LibraryListView.as_view(),
            name=f"{name_prefix}library_list",
        ),
        path(
            f"{prefix}library/new/",
            library.LibraryCreateView.as_view(),
            name=f"{name_prefix}library_create",
        ),
        path(
            f"{prefix}library/<int:pk>/download/",
            library.LibraryDownloadView.as_view(),
            name=f"{name_prefix}library_download",
        ),
    ]
