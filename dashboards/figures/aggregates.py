"""What the summary queries compute with: the median (PostgreSQL's ordered-set aggregate), the
days from first contact to first intervention, and a whole percentage."""

from django.db.models import Aggregate, F, FloatField, Func, IntegerField


class Median(Aggregate):
    """PostgreSQL's continuous median of an ordered set."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def days_to_intervention():
    """Whole days from first contact to first intervention (PostgreSQL: date - date)."""
    return Func(
        F("first_intervention_on"),
        F("first_contact_on"),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def share(part, whole):
    """A whole percentage, or None when there is nothing to divide by."""
    return round(100 * part / whole) if whole else None
