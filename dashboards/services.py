"""Building progress summaries. One build reads every site it is given with grouped aggregate
queries (`values("site").annotate(…)`): about twenty queries whether it builds one site or
three hundred, and however many cases they hold. Nothing loops over cases in Python, except
the median on SQLite, which has no percentile function (PostgreSQL computes it).

The nightly task, the refresh button, `manage.py build_summaries` and the demo all call
`build_summaries`, so they produce the same summary from the same data."""

import datetime
import statistics
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    When,
)
from django.db.models import Case as DbCase
from django.db.models.functions import TruncWeek
from django.utils import timezone

from cases.models import (
    Case,
    CaseConsent,
    Closure,
    ConsentStatus,
    Decision,
    Intervention,
    InterventionSession,
    InterventionStatus,
    PracticalTest,
    RaisedBy,
    Stage,
    StartingPoint,
)
from pilots.models import (
    Action,
    Actor,
    DocumentKind,
    Membership,
    Phase,
    PilotSite,
    PlanDocument,
    Role,
    SteeringMeeting,
)
from pilots.models import Decision as SteeringDecision
from workshops.models import Deliverable, Delivery, DeliveryStatus, Registration

from .models import SiteSummary, Trigger

# A median wait to the first intervention longer than this needs attention.
LONG_WAIT_DAYS = 14
# Sites in these phases are expected to log cases; none logged needs attention.
CASE_PHASES = (Phase.TESTING, Phase.REPORTING)
# The run chart shows at most this many weeks, ending at the site's latest week.
RUN_CHART_WEEKS = 52
# The national table's small chart shows this many of the latest weeks.
SPARK_WEEKS = 12

OUTSIDE_TESTS = "outside_tests"


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


# --- Cases ----------------------------------------------------------------------------------

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


def _weeks(site_ids, today):
    """{site: [{"week": iso date of the Monday, "n": cases first contacted that week}]},
    with empty weeks filled in: the run chart's points."""
    by_site = defaultdict(dict)
    for row in (
        Case.objects.filter(site__in=site_ids)
        .order_by()
        .values("site", week=TruncWeek("first_contact_on"))
        .annotate(n=Count("pk"))
    ):
        week = row["week"]
        if isinstance(week, datetime.datetime):
            week = week.date()
        by_site[row["site"]][week] = row["n"]
    this_week = today - datetime.timedelta(days=today.weekday())
    result = {}
    for site_id, counts in by_site.items():
        first, last = min(counts), max(counts)
        # A site still logging cases sees its chart run up to this week (empty weeks show);
        # one whose cases all lie far back sees the weeks it logged them.
        end = this_week if (this_week - last).days <= 7 * RUN_CHART_WEEKS else last
        start = max(first, end - datetime.timedelta(weeks=RUN_CHART_WEEKS - 1))
        weeks, week = [], start
        while week <= end:
            weeks.append({"week": week.isoformat(), "n": counts.get(week, 0)})
            week += datetime.timedelta(weeks=1)
        result[site_id] = weeks
    return result


def _cases(site_ids, today):
    tests = list(
        PracticalTest.objects.filter(site__in=site_ids)
        .order_by()
        .values("pk", "site", "stage", "decision", "starting_points")
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

    weeks = _weeks(site_ids, today)

    test_counts = defaultdict(lambda: {"total": 0, "by_stage": {}, "by_decision": {}})
    for t in tests:
        counts = test_counts[t["site"]]
        counts["total"] += 1
        counts["by_stage"][t["stage"]] = counts["by_stage"].get(t["stage"], 0) + 1
        if t["decision"]:
            counts["by_decision"][t["decision"]] = counts["by_decision"].get(t["decision"], 0) + 1

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
            },
            "tests": {
                "total": test_counts[site_id]["total"],
                "by_stage": {s: test_counts[site_id]["by_stage"].get(s, 0) for s in Stage.values},
                "by_decision": {
                    d: test_counts[site_id]["by_decision"].get(d, 0) for d in Decision.values
                },
            },
        }
    return result


# --- Governance and plans -------------------------------------------------------------------


def _governance(site_ids, today):
    result = {
        site_id: {
            "meetings": 0,
            "last_meeting": None,
            "decisions": 0,
            "decisions_without_action": 0,
            "actions_overdue": 0,
            "leads": 0,
            "working": dict.fromkeys(Actor.values, 0),
            "steering": dict.fromkeys(Actor.values, 0),
            "hours": {a: {"set_aside": 0.0, "planned": 0.0} for a in (Actor.SOCIAL, Actor.HEALTH)},
            "vacancies": 0,
            "handovers": 0,
        }
        for site_id in site_ids
    }
    for row in (
        SteeringMeeting.objects.filter(site__in=site_ids)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"), last=Max("held_on"))
    ):
        result[row["site"]]["meetings"] = row["n"]
        result[row["site"]]["last_meeting"] = row["last"].isoformat() if row["last"] else None
    followed = Action.objects.filter(decision=OuterRef("pk"))
    for row in (
        SteeringDecision.objects.filter(meeting__site__in=site_ids)
        .order_by()
        .values(site=F("meeting__site"))
        .annotate(n=Count("pk"), unfollowed=Count("pk", filter=~Q(Exists(followed))))
    ):
        result[row["site"]]["decisions"] = row["n"]
        result[row["site"]]["decisions_without_action"] = row["unfollowed"]
    for row in (
        Action.objects.filter(site__in=site_ids)
        .overdue(today)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
    ):
        result[row["site"]]["actions_overdue"] = row["n"]
    for row in (
        Membership.objects.active(today)
        .filter(site__in=site_ids)
        .order_by()
        .values("site", "role", "actor")
        .annotate(n=Count("pk"), hours=Sum("hours_per_week"), planned=Sum("planned_hours_per_week"))
    ):
        g = result[row["site"]]
        if row["role"] == Role.LEAD:
            g["leads"] += row["n"]
            continue
        group = g["working" if row["role"] == Role.WORKING else "steering"]
        # Members not tied to one of the three actors are counted under "" (shown as other).
        group[row["actor"]] = group.get(row["actor"], 0) + row["n"]
        if row["role"] == Role.WORKING and row["actor"] in g["hours"]:
            g["hours"][row["actor"]]["set_aside"] += float(row["hours"] or 0)
            g["hours"][row["actor"]]["planned"] += float(row["planned"] or 0)
    succeeded = Membership.objects.filter(succeeds=OuterRef("pk"))
    for row in (
        Membership.objects.filter(site__in=site_ids)
        .order_by()
        .values("site")
        .annotate(
            handovers=Count("pk", filter=Q(succeeds__isnull=False)),
            vacancies=Count("pk", filter=Q(ends_on__lt=today) & ~Q(Exists(succeeded))),
        )
    ):
        result[row["site"]]["handovers"] = row["handovers"]
        result[row["site"]]["vacancies"] = row["vacancies"]
    return result


def _plans(site_ids):
    result = {site_id: dict.fromkeys(DocumentKind.values, "missing") for site_id in site_ids}
    for row in (
        PlanDocument.objects.filter(site__in=site_ids)
        .order_by()
        .values("site", "kind", "approved_version")
        .annotate(versions=Count("versions"))
    ):
        if row["approved_version"]:
            state = "approved"
        elif row["versions"]:
            state = "draft"
        else:
            state = "missing"
        result[row["site"]][row["kind"]] = state
    return result


# --- Workshops and general interventions ----------------------------------------------------


def _workshops(site_ids, now):
    result = {
        site_id: {
            "workshops": 0,
            "registered": 0,
            "attended": 0,
            "absent": 0,
            "cancelled": 0,
            "deliverables": {
                "total": 0,
                "due": 0,
                "submitted": 0,
                "accepted": 0,
                "needs_revision": 0,
                "overdue": 0,
            },
        }
        for site_id in site_ids
    }
    standing = Q(cancelled_at__isnull=True)
    for row in (
        Registration.objects.filter(site__in=site_ids, workshop__is_published=True)
        .order_by()
        .values("site")
        .annotate(
            # SQLite refuses FILTER on a DISTINCT count; a CASE does the same everywhere.
            workshops=Count(DbCase(When(standing, then="workshop")), distinct=True),
            registered=Count("pk", filter=standing),
            # Not named after the model's own fields, which a later filter would then mean.
            n_attended=Count("pk", filter=standing & Q(attended=True)),
            n_absent=Count("pk", filter=standing & Q(attended=False)),
            n_cancelled=Count("pk", filter=Q(cancelled_at__isnull=False)),
        )
    ):
        result[row["site"]].update(
            workshops=row["workshops"],
            registered=row["registered"],
            attended=row["n_attended"],
            absent=row["n_absent"],
            cancelled=row["n_cancelled"],
        )
    for row in (
        Deliverable.objects.filter(
            workshop__is_published=True, workshop__programme__sites__in=site_ids
        )
        .order_by()
        .values(site=F("workshop__programme__sites"))
        .annotate(total=Count("pk"), due=Count("pk", filter=Q(due_at__lt=now)))
    ):
        result[row["site"]]["deliverables"].update(total=row["total"], due=row["due"])
    for row in (
        Delivery.objects.filter(site__in=site_ids, deliverable__workshop__is_published=True)
        .order_by()
        .values("site")
        .annotate(
            submitted=Count("pk", filter=Q(status=DeliveryStatus.SUBMITTED)),
            accepted=Count("pk", filter=Q(status=DeliveryStatus.ACCEPTED)),
            needs_revision=Count("pk", filter=Q(status=DeliveryStatus.NEEDS_REVISION)),
            due_settled=Count(
                "pk",
                filter=Q(deliverable__due_at__lt=now) & ~Q(status=DeliveryStatus.NEEDS_REVISION),
            ),
        )
    ):
        d = result[row["site"]]["deliverables"]
        d.update(
            submitted=row["submitted"],
            accepted=row["accepted"],
            needs_revision=row["needs_revision"],
        )
        d["settled"] = row["due_settled"]
    for w in result.values():
        d = w["deliverables"]
        # Past its due date and not delivered, or sent back for revision: still owed.
        d["overdue"] = max(d["due"] - d.pop("settled", 0), 0)
    return result


def _interventions(site_ids):
    rows = defaultdict(dict)
    for row in (
        Intervention.objects.filter(site__in=site_ids)
        .order_by()
        .values("site", short_name=F("programme__short_name"))
        .annotate(
            schools=Count("school", distinct=True),
            running=Count("pk", filter=Q(status=InterventionStatus.RUNNING)),
            completed=Count("pk", filter=Q(status=InterventionStatus.COMPLETED)),
            groups=Sum("groups_reached"),
        )
    ):
        rows[row["site"]][row["short_name"]] = {
            "programme": row["short_name"],
            "schools": row["schools"],
            "running": row["running"],
            "completed": row["completed"],
            "groups": row["groups"] or 0,
            "sessions": 0,
            "pupils": 0,
        }
    for row in (
        InterventionSession.objects.filter(intervention__site__in=site_ids)
        .order_by()
        .values(site=F("intervention__site"), short_name=F("intervention__programme__short_name"))
        .annotate(sessions=Count("pk"), pupils=Sum("pupils_reached"))
    ):
        entry = rows[row["site"]].get(row["short_name"])
        if entry is not None:
            entry.update(sessions=row["sessions"], pupils=row["pupils"] or 0)
    return {
        site_id: sorted(rows.get(site_id, {}).values(), key=lambda r: r["programme"])
        for site_id in site_ids
    }


# --- Putting it together --------------------------------------------------------------------


def attention(phase, cases_total, median_days, overdue):
    """The warning signs a coordinator looks for first, as keys (see templates)."""
    signs = []
    if overdue:
        signs.append("overdue")
    if phase in CASE_PHASES and not cases_total:
        signs.append("no_cases")
    if median_days is not None and median_days > LONG_WAIT_DAYS:
        signs.append("long_wait")
    return signs


def collect(sites) -> dict:
    """{site id: payload} for the given sites (a list of PilotSite with region loaded)."""
    now = timezone.now()
    today = timezone.localdate(now)
    site_ids = [s.pk for s in sites]
    cases = _cases(site_ids, today)
    governance = _governance(site_ids, today)
    plans = _plans(site_ids)
    workshops = _workshops(site_ids, now)
    interventions = _interventions(site_ids)
    payloads = {}
    for site in sites:
        c = cases[site.pk]
        all_cases = c["cases"]["all"]
        overdue = workshops[site.pk]["deliverables"]["overdue"]
        payloads[site.pk] = {
            "site": {
                "name": site.name,
                "slug": site.slug,
                "phase": site.phase,
                "region": site.region.name,
            },
            "governance": governance[site.pk],
            "plans": plans[site.pk],
            "workshops": workshops[site.pk],
            "tests": c["tests"],
            "cases": c["cases"],
            "interventions": interventions[site.pk],
            "attention": attention(
                site.phase, all_cases["total"], all_cases["median_days"], overdue
            ),
        }
    return payloads


def build_summaries(sites=None, *, trigger=Trigger.COMMAND) -> list[SiteSummary]:
    """Build and keep a new summary of each site (all sites by default); the new ones become
    the latest. Returns them."""
    queryset = PilotSite.objects.all() if sites is None else sites
    if isinstance(queryset, PilotSite):
        queryset = PilotSite.objects.filter(pk=queryset.pk)
    site_list = list(queryset.select_related("region").order_by("pk"))
    if not site_list:
        return []
    payloads = collect(site_list)
    built_at = timezone.now()
    summaries = []
    for site in site_list:
        payload = payloads[site.pk]
        all_cases = payload["cases"]["all"]
        summaries.append(
            SiteSummary(
                site=site,
                built_at=built_at,
                trigger=trigger,
                is_latest=True,
                phase=site.phase,
                region_id=site.region_id,
                cases_total=all_cases["total"],
                cases_open=all_cases["open"],
                median_days=all_cases["median_days"],
                self_referral_share=all_cases["self_referral_share"],
                resolved_share=all_cases["resolved_share"],
                signs=payload["attention"],
                recent_weeks=[w["n"] for w in payload["cases"]["weekly"]][-SPARK_WEEKS:],
                overdue_deliverables=payload["workshops"]["deliverables"]["overdue"],
                attention=len(payload["attention"]),
                payload=payload,
            )
        )
    with transaction.atomic():
        SiteSummary.objects.filter(site__in=site_list, is_latest=True).update(is_latest=False)
        SiteSummary.objects.bulk_create(summaries, batch_size=500)
    return summaries
