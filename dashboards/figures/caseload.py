"""The cases part of a summary, for many sites at once: counts and medians per site, per
starting point and outside practical tests, where cases were referred, consents per actor,
the weekly run chart and the practical tests by stage and decision."""

import datetime
import statistics
from collections import defaultdict

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth, TruncWeek

from cases.models import (
    Case,
    CaseConsent,
    Closure,
    ConsentStatus,
    Decision,
    PracticalTest,
    RaisedBy,
    Stage,
    StartingPoint,
)
from pilots.models import Actor

from .aggregates import Median, days_to_intervention, share

# The charts show at most this many weeks (or months), ending at the site's latest.
RUN_CHART_WEEKS = 52
RUN_CHART_MONTHS = 24

OUTSIDE_TESTS = "outside_tests"

CASE_COUNTS = ("total", "open", "resolved", "referred", "self_referrals", "sip", "with_consent")


def _case_counts(site_ids):
    """Counts per site and practical test (None: outside a test). Counts add up, so the
    site's totals and the totals per starting point are sums of these rows."""
    consent_given = Exists(
        CaseConsent.objects.filter(case=OuterRef("pk"), status=ConsentStatus.GIVEN)
    )
    return (
        Case.objects.filter(site__in=site_ids)
        .order_by()
        .values("site", "practical_test")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(closed_on__isnull=True)),
            resolved=Count("pk", filter=Q(closure=Closure.RESOLVED)),
            referred=Count("pk", filter=Q(closure=Closure.REFERRED)),
            self_referrals=Count("pk", filter=Q(raised_by=RaisedBy.CHILD)),
            sip=Count("pk", filter=Q(sip_started=True)),
            with_consent=Count("pk", filter=Q(consent_given)),
            with_intervention=Count("pk", filter=Q(first_intervention_on__isnull=False)),
        )
    )


def _medians(site_ids):
    """{site: {"all": median, <starting point>: median, OUTSIDE_TESTS: median}} of the days
    from first contact to first intervention."""
    medians = defaultdict(dict)
    with_intervention = Case.objects.filter(
        site__in=site_ids, first_intervention_on__isnull=False
    ).order_by()
    if connection.vendor == "postgresql":
        for row in with_intervention.values("site").annotate(m=Median(days_to_intervention())):
            medians[row["site"]]["all"] = row["m"]
        for row in (
            with_intervention.filter(practical_test__isnull=True)
            .values("site")
            .annotate(m=Median(days_to_intervention()))
        ):
            medians[row["site"]][OUTSIDE_TESTS] = row["m"]
        # A test may serve several starting points: its cases count towards each of them.
        case, test = Case._meta.db_table, PracticalTest._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT c.site_id, sp.value,
                       percentile_cont(0.5) WITHIN GROUP (
                           ORDER BY (c.first_intervention_on - c.first_contact_on))
                FROM {case} c
                JOIN {test} t ON t.id = c.practical_test_id
                CROSS JOIN LATERAL jsonb_array_elements_text(t.starting_points) AS sp(value)
                WHERE c.first_intervention_on IS NOT NULL AND c.site_id = ANY(%s)
                GROUP BY c.site_id, sp.value
                """,  # noqa: S608 - table names come from the models, values are parameters
                [list(site_ids)],
            )
            for site_id, starting_point, median in cursor.fetchall():
                medians[site_id][starting_point] = median
        return medians

    # SQLite has no percentile function: read the two dates of each case and count here.
    points_of = dict(
        PracticalTest.objects.filter(site__in=site_ids).values_list("pk", "starting_points")
    )
    days = defaultdict(lambda: defaultdict(list))
    for site_id, test_id, first, intervention in with_intervention.values_list(
        "site", "practical_test", "first_contact_on", "first_intervention_on"
    ):
        d = (intervention - first).days
        days[site_id]["all"].append(d)
        groups = (points_of.get(test_id) or []) if test_id else [OUTSIDE_TESTS]
        for group in groups:
            days[site_id][group].append(d)
    for site_id, groups in days.items():
        for group, values in groups.items():
            medians[site_id][group] = float(statistics.median(values))
    return medians


def _case_metrics(counts, median):
    metrics = {key: counts.get(key, 0) for key in (*CASE_COUNTS, "with_intervention")}
    metrics["closed"] = metrics["resolved"] + metrics["referred"]
    metrics["median_days"] = median
    metrics["self_referral_share"] = share(metrics["self_referrals"], metrics["total"])
    metrics["resolved_share"] = share(metrics["resolved"], metrics["closed"])
    metrics["referred_share"] = share(metrics["referred"], metrics["closed"])
    metrics["sip_share"] = share(metrics["sip"], metrics["total"])
    metrics["consent_share"] = share(metrics["with_consent"], metrics["total"])
    return metrics


def _add(into, row):
    for key in (*CASE_COUNTS, "with_intervention"):
        into[key] = into.get(key, 0) + row[key]


# What each point of a measure's chart counts, per week or month (see dashboards.measures).
PERIOD_COUNTS = ("n", "closed", "resolved", "self_referrals", "with_consent", "reached")


def _period_rows(site_ids, trunc):
    """One row per site and period with something in it: the counts each measure needs and the
    sum of days to first intervention (a duration on every database)."""
    consent_given = Exists(
        CaseConsent.objects.filter(case=OuterRef("pk"), status=ConsentStatus.GIVEN)
    )
    days = ExpressionWrapper(
        F("first_intervention_on") - F("first_contact_on"), output_field=DurationField()
    )
    return (
        Case.objects.filter(site__in=site_ids)
        .order_by()
        .values("site", period=trunc("first_contact_on"))
        .annotate(
            n=Count("pk"),
            closed=Count("pk", filter=~Q(closure="")),
            resolved=Count("pk", filter=Q(closure=Closure.RESOLVED)),
            self_referrals=Count("pk", filter=Q(raised_by=RaisedBy.CHILD)),
            with_consent=Count("pk", filter=Q(consent_given)),
            reached=Count("pk", filter=Q(first_intervention_on__isnull=False)),
            days=Sum(days, filter=Q(first_intervention_on__isnull=False)),
        )
    )


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _periods(site_ids, today, unit):
    """{site: [{"week"/"month": iso date the period starts, "n": cases first contacted in it,
    and the other PERIOD_COUNTS, "days": their total days to first intervention}]}, empty
    periods filled in: the points of the measures' charts."""
    weekly = unit == "week"
    by_site = defaultdict(dict)
    for row in _period_rows(site_ids, TruncWeek if weekly else TruncMonth):
        counts = {key: row[key] for key in PERIOD_COUNTS}
        total = row["days"]
        counts["days"] = 0 if total is None else round(total.total_seconds() / 86400)
        by_site[row["site"]][_as_date(row["period"])] = counts
    empty = dict.fromkeys((*PERIOD_COUNTS, "days"), 0)
    result = {}
    for site_id, counts in by_site.items():
        periods = shown_periods(min(counts), max(counts), today, unit)
        result[site_id] = [{unit: p.isoformat(), **counts.get(p, empty)} for p in periods]
    return result


def _month_before(day):
    return (day - datetime.timedelta(days=1)).replace(day=1)


def _before(period, weekly):
    return period - datetime.timedelta(weeks=1) if weekly else _month_before(period)


def shown_periods(first, last, today, unit):
    """The weeks or months a chart shows, oldest first, for cases from `first` to `last`: a
    site still logging cases sees its chart run up to now (empty periods show); one whose cases
    all lie far back sees the periods it logged them in. Never before `first`."""
    weekly = unit == "week"
    if weekly:
        now, back = today - datetime.timedelta(days=today.weekday()), RUN_CHART_WEEKS
    else:
        now, back = today.replace(day=1), RUN_CHART_MONTHS
    oldest = now
    for _i in range(back - 1):
        oldest = _before(oldest, weekly)
    period = now if last >= oldest else last
    periods = []
    while len(periods) < back and period >= first:
        periods.append(period)
        period = _before(period, weekly)
    return periods[::-1]


def case_figures(site_ids, today):
    tests = list(
        PracticalTest.objects.filter(site__in=site_ids)
        .order_by()
        .values(
            "pk",
            "site",
            "stage",
            "decision",
            "starting_points",
            "title",
            "cycle",
            "starts_on",
            "decided_on",
        )
    )
    points_of = {t["pk"]: t["starting_points"] or [] for t in tests}
    sums = defaultdict(lambda: defaultdict(dict))
    for row in _case_counts(site_ids):
        site_sums = sums[row["site"]]
        _add(site_sums["all"], row)
        test_id = row["practical_test"]
        for group in points_of.get(test_id, []) if test_id else [OUTSIDE_TESTS]:
            _add(site_sums[group], row)
    medians = _medians(site_ids)

    referred_to = defaultdict(dict)
    for row in (
        Case.objects.filter(site__in=site_ids, closure=Closure.REFERRED)
        .exclude(referred_to="")
        .order_by()
        .values("site", "referred_to")
        .annotate(n=Count("pk"))
    ):
        referred_to[row["site"]][row["referred_to"]] = row["n"]

    consents = defaultdict(dict)
    for row in (
        CaseConsent.objects.filter(case__site__in=site_ids)
        .order_by()
        .values("case__site", "actor")
        .annotate(
            given=Count("pk", filter=Q(status=ConsentStatus.GIVEN)),
            declined=Count("pk", filter=Q(status=ConsentStatus.DECLINED)),
        )
    ):
        consents[row["case__site"]][row["actor"]] = {
            "given": row["given"],
            "declined": row["declined"],
        }

    weeks = _periods(site_ids, today, "week")
    months = _periods(site_ids, today, "month")

    test_counts = defaultdict(lambda: {"total": 0, "by_stage": {}, "by_decision": {}})
    for t in tests:
        counts = test_counts[t["site"]]
        counts["total"] += 1
        counts["by_stage"][t["stage"]] = counts["by_stage"].get(t["stage"], 0) + 1
        if t["decision"]:
            counts["by_decision"][t["decision"]] = counts["by_decision"].get(t["decision"], 0) + 1

    cycles = defaultdict(list)
    for t in sorted(tests, key=lambda t: (t["starts_on"], t["pk"])):
        cycles[t["site"]].append(
            {
                "pk": t["pk"],
                "title": t["title"] if t["cycle"] == 1 else f"{t['title']} ({t['cycle']})",
                "starts_on": t["starts_on"].isoformat(),
                "decision": t["decision"],
                "decided_on": t["decided_on"].isoformat() if t["decided_on"] else None,
            }
        )

    result = {}
    for site_id in site_ids:
        site_sums, site_medians = sums.get(site_id, {}), medians.get(site_id, {})
        groups = ("all", *StartingPoint.values, OUTSIDE_TESTS)
        metrics = {g: _case_metrics(site_sums.get(g, {}), site_medians.get(g)) for g in groups}
        result[site_id] = {
            "cases": {
                "all": metrics["all"],
                "by_starting_point": {sp: metrics[sp] for sp in StartingPoint.values},
                OUTSIDE_TESTS: metrics[OUTSIDE_TESTS],
                "referred_to": referred_to.get(site_id, {}),
                "consent_by_actor": {
                    a: consents.get(site_id, {}).get(a, {"given": 0, "declined": 0})
                    for a in Actor.values
                },
                "weekly": weeks.get(site_id, []),
                "monthly": months.get(site_id, []),
            },
            "tests": {
                "total": test_counts[site_id]["total"],
                "by_stage": {s: test_counts[site_id]["by_stage"].get(s, 0) for s in Stage.values},
                "by_decision": {
                    d: test_counts[site_id]["by_decision"].get(d, 0) for d in Decision.values
                },
                # The PDSA cycles the site's charts mark, first started first.
                "cycles": cycles.get(site_id, []),
            },
        }
    return result
