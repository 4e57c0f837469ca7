"""The monthly follow-up of the case access record (HSLF-FS 2016:40 4 kap. 9 §).

Once a month has ended, the scan (cases.tasks.scan_access_reviews, from beat) draws for each
site that read cases in it a sample of the reads: by rules — reads of a case already closed,
one person reading many cases in one day, reads at night or at the weekend (Europe/Stockholm),
reads by someone no longer in the site's working group — and at random. Each read is drawn
once, for the first rule it meets. The site's project leads review the sample; a lead's own
reads go to another lead, or to the coordinators as counts where the site has no other.

A review is one row per site and month (a unique constraint): a scan that runs twice, or two
workers at once, draw one sample."""

import datetime
import zoneinfo

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from pilots.models import Membership, PilotSite, Role

from .models import AccessAction, AccessReview, AccessReviewItem, CaseAccess, SampleReason

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# What counts as reading a case (a list shows codes only; a log read is the log's own).
READS = (AccessAction.VIEWED, AccessAction.EXPORTED)
# Per rule, and at random, this many reads at most.
PER_RULE = 5
AT_RANDOM = 10
MANY_A_DAY = 20  # distinct cases one person read in one day
DAY_STARTS, NIGHT_STARTS = 7, 19  # local hours


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(month.year, month.month, 1, tzinfo=STOCKHOLM)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following


def last_month(now=None) -> datetime.date:
    today = timezone.localtime(now or timezone.now(), STOCKHOLM).date()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _rules(site, reads):
    """(reason, queryset) for each rule, in the order a read is attributed. "No longer in the
    working group": without a working-group or lead membership there when the sample is drawn."""
    working = Membership.objects.active().filter(site=site, role__in=[Role.WORKING, Role.LEAD])
    busy = (
        reads.annotate(day=TruncDate("at", tzinfo=STOCKHOLM))
        .values("user_email", "day")
        .annotate(cases=Count("case_code", distinct=True))
        .filter(cases__gte=MANY_A_DAY)
    )
    busy_q = Q(pk__in=[])
    for row in busy:
        busy_q |= Q(user_email=row["user_email"], day=row["day"])
    return [
        (
            SampleReason.CLOSED,
            reads.filter(
                case__closed_on__isnull=False,
                case__closed_on__lt=TruncDate("at", tzinfo=STOCKHOLM),
            ),
        ),
        (SampleReason.MANY, reads.annotate(day=TruncDate("at", tzinfo=STOCKHOLM)).filter(busy_q)),
        (
            SampleReason.OFF_HOURS,
            reads.annotate(
                hour=ExtractHour("at", tzinfo=STOCKHOLM),
                weekday=ExtractIsoWeekDay("at", tzinfo=STOCKHOLM),
            ).filter(Q(hour__lt=DAY_STARTS) | Q(hour__gte=NIGHT_STARTS) | Q(weekday__gte=6)),
        ),
        (
            SampleReason.FORMER,
            reads.filter(Q(user__isnull=True) | ~Q(user__in=working.values("user"))),
        ),
        (SampleReason.RANDOM, reads),
    ]


def draw(site: PilotSite, month: datetime.date) -> AccessReview | None:
    """The site's review of `month`, drawn now unless it already was. None when nobody read a
    case there that month (nothing to review)."""
    existing = AccessReview.objects.filter(site=site, month=month).first()
    if existing is not None:
        return existing
    start, end = month_bounds(month)
    reads = CaseAccess.objects.filter(site=site, action__in=READS, at__gte=start, at__lt=end)
    if not reads.exists():
        return None
    # The site's leads now, who will judge the sample.
    leads = set(
        Membership.objects.active().filter(site=site, role=Role.LEAD).values_list("user", flat=True)
    )
    chosen: dict[int, tuple[str, int | None]] = {}
    for reason, queryset in _rules(site, reads):
        limit = AT_RANDOM if reason == SampleReason.RANDOM else PER_RULE
        rows = queryset.exclude(pk__in=list(chosen)).order_by("?").values_list("pk", "user")
        for pk, user in rows[:limit]:
            chosen[pk] = (reason, user)
    try:
        with transaction.atomic():
            review = AccessReview.objects.create(site=site, month=month)
            AccessReviewItem.objects.bulk_create(
                AccessReviewItem(
                    review=review,
                    access_id=pk,
                    reason=reason,
                    # A lead's own reads: another lead's to judge, or the coordinators'.
                    for_coordinators=user in leads and not (leads - {user}),
                )
                for pk, (reason, user) in chosen.items()
            )
    except IntegrityError:  # another worker drew it a moment ago
        return AccessReview.objects.filter(site=site, month=month).first()
    single_lead_drawn = len(leads) == 1 and any(user in leads for _r, user in chosen.values())
    ask_to_review(review, leads, coordinators=single_lead_drawn)
    return review


def ask_to_review(review: AccessReview, leads: set, *, coordinators: bool) -> None:
    """E-mail the site's leads (and the coordinators, when a single lead's reads go to them)
    that the month's sample waits for them, after the drawing commits."""
    from django.urls import reverse

    from infra.mail import absolute, send_templated
    from pilots.models import User

    site_link = absolute(reverse("cases:access_review_detail", args=[review.site.slug, review.pk]))
    recipients = [(user, site_link) for user in User.objects.filter(pk__in=leads, is_active=True)]
    if coordinators:
        link = absolute(reverse("cases:access_review_coordinator", args=[review.pk]))
        recipients += [
            (user, link) for user in User.objects.filter(is_coordinator=True, is_active=True)
        ]
    for user, link in recipients:
        send_templated(
            user.email,
            "cases/email/access_review",
            {"review": review, "recipient": user, "link": link},
            language=user.language,
        )


def draw_due(now=None) -> list[AccessReview]:
    """Last month's review for every site that read cases then and has none yet."""
    month = last_month(now)
    start, end = month_bounds(month)
    sites = PilotSite.objects.filter(
        case_accesses__at__gte=start, case_accesses__at__lt=end
    ).exclude(access_reviews__month=month)
    return [r for site in sites.distinct() if (r := draw(site, month)) is not None]


def to_judge_by(items, user):
    """The items a project lead reviews: their site's, never their own reads nor those sent
    to the coordinators."""
    return items.filter(for_coordinators=False).exclude(access__user=user)


def review_item(item: AccessReviewItem, *, verdict: str, note: str, by) -> AccessReviewItem:
    item.verdict, item.note = verdict, note
    item.reviewed_by, item.reviewed_at = by, timezone.now()
    item.save(update_fields=["verdict", "note", "reviewed_by", "reviewed_at"])
    return item
