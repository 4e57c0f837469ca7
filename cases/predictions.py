"""A practical test's result set against its prediction in figures, in a sentence computed from
its cases: "Predicted: at least 4 of 5 resolved at the first line. Result: 3 of 5 — below the
prediction." A test without a prediction in figures gets no sentence.

The figures are those the viewer may see (cases.summaries.SummaryFigures): where a count is
hidden as a small number, the sentence says so instead of giving it away."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Comparator, PredictedMeasure

# What each measure counts among the test's cases, as the sentence names it.
COUNTED = {
    PredictedMeasure.RESOLVED: ("resolved", gettext_lazy("resolved at the first line")),
    PredictedMeasure.SELF: ("self_referrals", gettext_lazy("raised by the child themself")),
    PredictedMeasure.CONSENT: (
        "with_consent",
        gettext_lazy("with consent to share with another actor"),
    ),
}


def target(test):
    """The prediction as the charts draw it: {measure key: value} (a share in %, or days)."""
    if not has_prediction(test):
        return {}
    if test.predicted_measure == PredictedMeasure.DAYS:
        return {"days": test.predicted_value}
    return {test.predicted_measure: round(100 * test.predicted_value / test.planned_cases, 1)}


def join(predicted, result):
    return f"{predicted} {result}"


def has_prediction(test):
    return bool(
        test.predicted_measure and test.predicted_comparator and test.predicted_value is not None
    )


def _verdict(result, predicted, comparator):
    if comparator == Comparator.AT_LEAST:
        return _("as predicted") if result >= predicted else _("below the prediction")
    return _("as predicted") if result <= predicted else _("above the prediction")


def sentence(test, figures) -> str | None:
    """The sentence, or None for a test without a prediction in figures."""
    if not has_prediction(test):
        return None
    comparator = Comparator(test.predicted_comparator).label
    value = test.predicted_value
    if test.predicted_measure == PredictedMeasure.DAYS:
        predicted = _("Predicted: median days to first intervention %(comparator)s %(value)s.") % {
            "comparator": comparator,
            "value": value,
        }
        median = figures.median_days
        if not figures.days:
            return join(predicted, _("Result: no case has had an intervention yet."))
        if median.hidden:
            return join(predicted, _("Result: not shown, as it would show a small number."))
        result = _("Result: %(days)s days — %(verdict)s.") % {
            "days": median,
            "verdict": _verdict(median.data, value, test.predicted_comparator),
        }
        return f"{predicted} {result}"
    key, words = COUNTED[test.predicted_measure]
    predicted = _("Predicted: %(comparator)s %(value)s of %(planned)s %(measure)s.") % {
        "comparator": comparator,
        "value": value,
        "planned": test.planned_cases,
        "measure": words,
    }
    total, part = figures.total, getattr(figures, key)
    if total.exact and not total.data:
        return join(predicted, _("Result: no cases yet."))
    if total.hidden or part.hidden:
        return join(predicted, _("Result: not shown, as it would show a small number."))
    result = _("Result: %(n)s of %(total)s — %(verdict)s.") % {
        "n": part.data,
        "total": total.data,
        "verdict": _verdict(
            part.data / total.data, value / test.planned_cases, test.predicted_comparator
        ),
    }
    return f"{predicted} {result}"
