"""What a person's home page offers for their work at one site, in the site's phase: counts and
links only — a home page never shows a case, so it needs no second factor and writes no
access record."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models.sites import Phase


@dataclass(frozen=True)
class WorkLink:
    """A link on the home page to a piece of the person's work, with how many it leads to
    (counts only: a home page never shows a case, so it needs no second factor and writes no
    access record)."""

    text: str
    url: str
    icon: str = ""
    count: int | None = None
    action: str = ""
    primary: bool = False
    urgent: bool = False


# The phases in which a site runs practical tests and logs cases.
TESTING_PHASES = (Phase.TESTING, Phase.REPORTING)
WORK_PHASES = (Phase.PLANNING, *TESTING_PHASES)


def _site_url(name, site, query=None):
    url = reverse(name, kwargs={"site_slug": site.slug})
    return f"{url}?{urlencode(query)}" if query else url


def work_of(card, user):
    """What the card's person does at the site in its phase: for the working level the cases
    and tests, for the lead what is due, for the steering group what awaits a decision."""
    from cases.models import Case, PracticalTest, Stage
    from cases.models.cases import OPEN_LONG_DAYS, CaseQuerySet
    from workshops.models import Delivery, DeliveryStatus
    from workshops.views.sites import site_deliverables

    site, access = card.site, card.access
    if access.is_steering_member and not access.can_manage():
        # What awaits the steering group's decision comes first, with what to do about it.
        awaiting = [s for s in card.steps if s.key.endswith("_approval") or s.key == "decisions"]
        card.steps = [s for s in card.steps if s not in awaiting]
        card.follow[:0] = [
            WorkLink(s.status, s.url, action=s.action_label, urgent=True) for s in awaiting
        ]
    if access.is_lead:
        # Decisions still without an action and actions past due are due now, not "next".
        due = [s for s in card.steps if s.key in ("decisions", "overdue")]
        card.steps = [s for s in card.steps if s not in due]
        card.due[:0] = [
            WorkLink(s.todo, s.url, action=s.action_label, urgent=s.urgent) for s in due
        ]
    if site.phase not in WORK_PHASES:
        return
    today = timezone.localdate()
    tests = PracticalTest.objects.filter(site=site).aggregate(
        running=Count("pk", filter=~Q(stage=Stage.DONE)),
        deciding=Count("pk", filter=Q(stage=Stage.ACT)),
    )
    cases = {}
    if access.can_see_cases():
        cases = Case.objects.filter(site=site).aggregate(
            mine=Count("pk", filter=Q(closed_on__isnull=True, created_by=user)),
            open=Count("pk", filter=Q(closed_on__isnull=True)),
            long=Count("pk", filter=CaseQuerySet.open_long_q(today)),
        )
    if access.can_work():
        if site.phase in TESTING_PHASES:
            card.work.append(
                WorkLink(
                    _("Log a case"),
                    _site_url("cases:case_create", site),
                    "bi-plus-lg",
                    primary=True,
                )
            )
            card.work.append(
                WorkLink(
                    _("My open cases"),
                    _site_url("cases:case_list", site, {"status": "open", "mine": "me"}),
                    "bi-folder2-open",
                    count=cases["mine"],
                )
            )
        card.work.append(
            WorkLink(
                _("The site's practical tests"),
                _site_url("cases:test_list", site),
                "bi-arrow-repeat",
                count=tests["running"],
            )
            if tests["running"]
            else WorkLink(
                _("Plan a practical test"), _site_url("cases:test_create", site), "bi-arrow-repeat"
            )
        )
    if tests["deciding"] and (access.is_lead or access.is_steering_member):
        text = ngettext(
            "%(count)d practical test waits for a decision: adopt, adapt or abandon.",
            "%(count)d practical tests wait for a decision: adopt, adapt or abandon.",
            tests["deciding"],
        ) % {"count": tests["deciding"]}
        target = card.due if access.is_lead else card.follow
        target.append(
            WorkLink(
                text,
                _site_url("cases:test_list", site, {"stage": Stage.ACT}),
                action=_("Decide") if access.is_lead else _("See what they show"),
                urgent=True,
            )
        )
    if access.is_lead:
        if cases.get("long"):
            card.due.append(
                WorkLink(
                    ngettext(
                        "%(count)d case has been open more than %(days)d days.",
                        "%(count)d cases have been open more than %(days)d days.",
                        cases["long"],
                    )
                    % {"count": cases["long"], "days": OPEN_LONG_DAYS},
                    _site_url(
                        "cases:case_list",
                        site,
                        {
                            "status": "open",
                            "first_contact_before": (
                                today - timedelta(days=OPEN_LONG_DAYS + 1)
                            ).isoformat(),
                        },
                    ),
                    action=_("See the cases"),
                )
            )
        delivered = Delivery.objects.filter(site=site).exclude(status=DeliveryStatus.NEEDS_REVISION)
        owed = (
            site_deliverables(site, user)
            .exclude(pk__in=delivered.values("deliverable_id"))
            .filter(due_at__lt=timezone.now() + timedelta(days=30))
            .count()
        )
        if owed:
            card.due.append(
                WorkLink(
                    ngettext(
                        "%(count)d deliverable for the workshops is due within 30 days or overdue.",
                        "%(count)d deliverables for the workshops are due within 30 days or overdue.",
                        owed,
                    )
                    % {"count": owed},
                    _site_url("workshops:site_programme", site),
                    action=_("Deliver"),
                    urgent=True,
                )
            )
    if access.is_steering_member or access.is_lead:
        card.follow.append(
            WorkLink(
                _("The site's dashboard"), _site_url("dashboards:site", site), "bi-speedometer2"
            )
        )
        card.follow.append(
            WorkLink(
                _("The steering group's PDF"),
                _site_url("dashboards:site_pdf", site),
                "bi-file-earmark-pdf",
            )
        )
