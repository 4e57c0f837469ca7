"""The one rule for dates about a case or a child: first contact, timeline entries, consents,
closing, SIP, sessions held. Each lies between 2000-01-01 and today: what is logged has
happened, and a year like 0001 or 9999 is a slip of the keyboard that would bend every median
and run chart. Plans may lie ahead (a practical test's or an intervention's dates, workshops):
they do not use this rule.

Every such field is a `CaseDateField`, which checks the rule in its form field (before a
form's own checks, so the message is this one) and in the model's validation.
tests/cases/test_dates.py walks the models and fails for a date field of this app that is
neither one nor listed there as a plan."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(2000, 1, 1)


def validate_case_date(value):
    if value is None:
        return
    today = timezone.localdate()
    if not EARLIEST <= value <= today:
        raise ValidationError(
            _("A date in a case lies between %(earliest)s and today (%(today)s)."),
            code="case_date",
            params={"earliest": EARLIEST.isoformat(), "today": today.isoformat()},
        )


class CaseDateField(models.DateField):
    """A date about a case or a child: between 2000-01-01 and today."""

    default_validators = [validate_case_date]

    def formfield(self, **kwargs):
        return super().formfield(**{"validators": [validate_case_date], **kwargs})
