"""Finds personal identity and coordination numbers already stored: every text column of every
model of Triad's own apps (infra.guard.model_text_fields: names, notes, plans, JSON texts, file
names), allow-listed ones included. Prints where each is (model, pk, field) with the number
masked. With --mask, replaces each number in place with its masked form, except

- in the append-only audit records (AuditEvent, CaseAccess), which refuse every change: for
  those it reports how many rows hold a number;
- in allow-listed fields (digests, codes made by Triad) and in stored file paths, where a
  changed value would break a link to a token or a file: those are reported for a person to
  look at."""

from collections import defaultdict

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from infra import guard
from infra.pnr import find_personal_numbers, mask, mask_value, texts_in

# Tables that refuse updates (their models and, on PostgreSQL, a trigger): never changed here.
APPEND_ONLY = {"infra.AuditEvent", "cases.CaseAccess"}


class Command(BaseCommand):
    help = (
        "Scan every text column of Triad's models for personal identity and coordination "
        "numbers and print where they are, masked. --mask masks them in place (not in the "
        "append-only audit records, where only counts are reported)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mask",
            action="store_true",
            help="Replace each number found with its masked form (last four digits as ****).",
        )

    @scopes_disabled()
    def handle(self, *args, mask: bool = False, **options):
        by_model = defaultdict(list)
        for label, field in guard.model_text_fields():
            by_model[field.model].append((label, field))
        found_total, masked_total = 0, 0
        append_only_rows = defaultdict(set)
        for model, fields in by_model.items():
            found, masked = self.scan(model, fields, mask, append_only_rows)
            found_total += found
            masked_total += masked
        if not found_total:
            self.stdout.write("No personal identity or coordination numbers found.")
            return
        self.stdout.write(f"{found_total} value(s) with a number found.")
        if mask:
            self.stdout.write(f"{masked_total} value(s) masked.")
            for label, rows in sorted(append_only_rows.items()):
                self.stdout.write(
                    f"{label}: {len(rows)} row(s) hold a number; append-only, left as they are."
                )
        else:
            self.stdout.write("Run again with --mask to mask them in place.")

    def scan(self, model, fields, do_mask, append_only_rows):
        label = model._meta.label
        names = [field.name for _label, field in fields]
        rows = model._base_manager.order_by("pk").values_list("pk", *names)
        found = masked = 0
        changes = []
        for pk, *values in rows.iterator(chunk_size=2000):
            for (field_label, field), value in zip(fields, values, strict=True):
                numbers = [n for text in texts_in(value) for n in find_personal_numbers(text)]
                if not numbers:
                    continue
                found += 1
                shown = ", ".join(mask(n) for n in numbers)
                why_not = self.why_not_masked(label, field_label, field)
                note = f" ({why_not})" if do_mask and why_not else ""
                self.stdout.write(f"{label} pk={pk} {field.name}: {shown}{note}")
                if label in APPEND_ONLY:
                    append_only_rows[label].add(pk)
                if do_mask and not why_not:
                    changes.append((pk, field.name, mask_value(value)))
        if changes:
            with transaction.atomic():
                for pk, name, value in changes:
                    model._base_manager.filter(pk=pk).update(**{name: value})
                    masked += 1
        return found, masked

    @staticmethod
    def why_not_masked(label, field_label, field):
        if label in APPEND_ONLY:
            return "append-only, left as it is"
        if field.get_internal_type() in ("FileField", "ImageField", "FilePathField"):
            return "a stored file's path: rename the file by hand"
        if guard.model_field_allowed(field_label, field):
            return "allow-listed field, left as it is: look at it by hand"
        return None
