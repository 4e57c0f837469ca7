"""The workshop programme: rounds with their workshops, who registers and attends, the work
sites deliver between workshops, and the reminders that keep everyone on time."""

from .deliverables import Deliverable, DeliverableKind, Delivery, DeliveryEvent, DeliveryStatus
from .programmes import Material, Programme, Workshop
from .registrations import Registration
from .reminders import CalendarFeed, ReminderKind, ReminderOptOut, SentReminder

__all__ = [
    "CalendarFeed",
    "Deliverable",
    "DeliverableKind",
    "Delivery",
    "DeliveryEvent",
    "DeliveryStatus",
    "Material",
    "Programme",
    "Registration",
    "ReminderKind",
    "ReminderOptOut",
    "SentReminder",
    "Workshop",
]
