"""The programme's digital platform: the information channel (announcements), the experience
exchange between sites (threads, posts, digests) and the material library."""

from .announcements import Announcement, AnnouncementDelivery, AnnouncementRead
from .library import LibraryItem
from .threads import (
    DigestFrequency,
    DigestPreference,
    DigestSent,
    Follow,
    HelpfulMark,
    Post,
    Thread,
)

__all__ = [
    "Announcement",
    "AnnouncementDelivery",
    "AnnouncementRead",
    "DigestFrequency",
    "DigestPreference",
    "DigestSent",
    "Follow",
    "HelpfulMark",
    "LibraryItem",
    "Post",
    "Thread",
]
