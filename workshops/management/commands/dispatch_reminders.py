"""Run the reminder scan at once, as if at a given moment (default: now)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from workshops import reminders
from workshops.models import ReminderKind
from workshops.tasks import send_reminder


def _moment(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--at wants an ISO date and time, e.g. 2018-02-27T08:00 (got {value!r})"
        ) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Send the workshop reminders that are due, as the periodic task does. "
        "Each reminder goes out once: a second run with the same --at sends none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            type=_moment,
            help="Scan as if at this moment (ISO, local time unless an offset is given).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be sent; send and record nothing.",
        )

    @scopes_disabled()  # every site
    def handle(self, *args, at=None, dry_run=False, **options):
        at = at or timezone.now()
        counts = reminders.dispatch(at, queue=send_reminder.delay_on_commit, dry_run=dry_run)
        total = sum(counts.values())
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{when}: {verb} {total} reminder{'s' if total != 1 else ''}.")
        labels = dict(ReminderKind.choices)
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"  {count:4d}  {labels[kind]}")
