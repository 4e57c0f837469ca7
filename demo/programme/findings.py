"""What a demo practical test's steps say happened and what its study found, written from its
own cases once they are made: how many cases it took, and the result of its predicted measure
against the site's cases before the test began. So the text on a test's page never states a
figure the data does not hold."""

import statistics

from cases.models import (
    CaseConsent,
    ConsentStatus,
    PracticalTest,
    PredictedMeasure,
    RaisedBy,
    Stage,
)
from demo.programme.caseload import TERM_ENDS


def _day(day):
    return f"{day.day}/{day.month}"


def _number(value):
    return f"{value:g}".replace(".", ",")


def write_findings(site, tests):
    """What happened in each test that has run, and what its study found, from its cases: the
    test's own cases against the site's cases before it started."""
    for test in tests:
        if test.stage in (Stage.PLAN, Stage.DO):
            continue
        own = list(test.cases.all())
        before = list(site.cases.filter(first_contact_on__lt=test.starts_on))
        ends = test.ends_on or TERM_ENDS
        happened = (
            f"Testet tog {len(own)} nya ärenden mellan {_day(test.starts_on)} och "
            f"{_day(ends)}, på {test.schools.count()} skolor."
        )
        PracticalTest.objects.filter(pk=test.pk).update(
            what_happened=happened, study_results=_study(test, own, before)
        )


def _study(test, own, before):
    measure = test.predicted_measure or PredictedMeasure.DAYS
    if measure == PredictedMeasure.DAYS:

        def median(cases):
            days = [c.days_to_first_intervention for c in cases]
            days = [d for d in days if d is not None]
            return _number(statistics.median(days)) if days else "–"

        return (
            f"Median {median(own)} dagar från första kontakt till första insats, mot "
            f"{median(before)} dagar för ärendena före testet."
        )
    if measure == PredictedMeasure.RESOLVED:

        def part(cases):
            closed = [c for c in cases if c.closure]
            return f"{sum(c.closure == 'resolved' for c in closed)} av {len(closed)}"

        return (
            f"{part(own)} avslutade ärenden löstes i första linjen, mot {part(before)} före testet."
        )
    if measure == PredictedMeasure.SELF:

        def part(cases):
            return f"{sum(c.raised_by == RaisedBy.CHILD for c in cases)} av {len(cases)}"

        return f"{part(own)} ärenden togs upp av eleven själv, mot {part(before)} före testet."

    def part(cases):
        given = CaseConsent.objects.filter(case__in=cases, status=ConsentStatus.GIVEN)
        return f"{given.values('case').distinct().count()} av {len(cases)}"

    return f"{part(own)} ärenden hade samtycke till en annan aktör, mot {part(before)} före testet."
