"""What a site should do next. The site home shows it: a project lead (or a coordinator) sees
what to do, everyone else sees where things stand. Most fundamental first: the triad, the
schools and the groups come before the plans, and the plans before the follow-up."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .documents import DocumentKind, PlanDocument
from .governance import Action, Decision
from .memberships import Membership, Role
from .organisations import Actor

# The order a site writes its plans in: needs first, then the plan built on them.
DOCUMENT_ORDER = (DocumentKind.NEEDS_ANALYSIS, DocumentKind.PROJECT_PLAN, DocumentKind.ACTION_PLAN)


# Whole sentences per group and per document, so each language can phrase them its own way.
# (Functions, so they are translated in the language of the request that asks.)
GROUP_TEXTS = {
    Role.STEERING: {
        "empty_todo": lambda: _(
            "Invite the steering group: a manager from each of the three actors."
        ),
        "empty_status": lambda: _("The steering group has no members yet."),
        "lacking_todo": lambda: _("Add someone from %(actors)s to the steering group."),
        "lacking_status": lambda: _("The steering group has no one from %(actors)s."),
    },
    Role.WORKING: {
        "empty_todo": lambda: _(
            "Invite the working group: the staff of the three actors who work at the school."
        ),
        "empty_status": lambda: _("The working group has no members yet."),
        "lacking_todo": lambda: _("Add someone from %(actors)s to the working group."),
        "lacking_status": lambda: _("The working group has no one from %(actors)s."),
    },
}
DOCUMENT_TEXTS = {
    DocumentKind.NEEDS_ANALYSIS: {
        "missing_todo": lambda: _("Write the needs analysis: what the children need locally."),
        "missing_status": lambda: _("The needs analysis is not written yet."),
        "approval_todo": lambda: _(
            "Have the steering group approve the needs analysis, then record it."
        ),
        "approval_status": lambda: _("The needs analysis awaits the steering group's approval."),
    },
    DocumentKind.PROJECT_PLAN: {
        "missing_todo": lambda: _("Write the project plan."),
        "missing_status": lambda: _("The project plan is not written yet."),
        "approval_todo": lambda: _(
            "Have the steering group approve the project plan, then record it."
        ),
        "approval_status": lambda: _("The project plan awaits the steering group's approval."),
    },
    DocumentKind.ACTION_PLAN: {
        "missing_todo": lambda: _("Write the action plan."),
        "missing_status": lambda: _("The action plan is not written yet."),
        "approval_todo": lambda: _(
            "Have the steering group approve the action plan, then record it."
        ),
        "approval_status": lambda: _("The action plan awaits the steering group's approval."),
    },
}


@dataclass(frozen=True)
class NextStep:
    """One thing the site has not done yet. `todo` is for whoever can do it, `status` for
    everyone else; `url` leads to where it is done (or seen)."""

    key: str
    todo: str
    status: str
    url: str
    action_label: str
    urgent: bool = False


def invitation_url(site, role, succeeds=None):
    """The invitation form with the role (and the membership it succeeds) filled in, or None
    while the invitation form does not exist in this build."""
    try:
        base = reverse("accounts:invitation_create", kwargs={"site_slug": site.slug})
    except NoReverseMatch:
        return None
    query = {"role": role}
    if succeeds is not None:
        query["succeeds"] = succeeds.pk
    return f"{base}?{urlencode(query)}"


def _actor_list(actors):
    return ", ".join(str(Actor(a).label).lower() for a in actors)


def _approval_action(access):
    """What a person does with a plan awaiting the steering group: the lead records the
    approval once given, a steering member reads it and takes a stand at the meeting."""
    if access.can_manage():
        return _("Record the approval")
    if access.is_steering_member:
        return _("Read it and take a stand")
    return _("Read it")


def _url(name, site, **kwargs):
    return reverse(f"pilots:{name}", kwargs={"site_slug": site.slug, **kwargs})


def next_steps(site, access) -> list[NextStep]:
    manage = access.can_manage()
    steps = []

    missing = site.missing_actors()
    if missing:
        steps.append(
            NextStep(
                key="triad",
                todo=_("Choose the organisation that stands for %(actors)s.")
                % {"actors": _actor_list(missing)},
                status=_("No organisation stands for %(actors)s yet.")
                % {"actors": _actor_list(missing)},
                url=_url("site_update" if manage else "site_home", site),
                action_label=_("Edit the site"),
            )
        )

    if not site.schools.filter(is_active=True).exists():
        steps.append(
            NextStep(
                key="schools",
                todo=_("Add the schools that take part in the work."),
                status=_("No schools have been chosen yet."),
                url=_url("school_create" if manage else "school_list", site),
                action_label=_("Add a school"),
            )
        )

    actors_by_role = {Role.STEERING: set(), Role.WORKING: set()}
    for role, actor in (
        Membership.objects.current()
        .filter(site=site, role__in=actors_by_role)
        .values_list("role", "actor")
    ):
        actors_by_role[role].add(actor)
    for role, page in ((Role.STEERING, "steering_group"), (Role.WORKING, "working_group")):
        texts = GROUP_TEXTS[role]
        present = actors_by_role[role]
        invite = (invitation_url(site, role) if manage else None) or _url(page, site)
        if not present:
            steps.append(
                NextStep(
                    key=f"{role}_empty",
                    todo=texts["empty_todo"](),
                    status=texts["empty_status"](),
                    url=invite,
                    action_label=_("Invite a member"),
                )
            )
            continue
        lacking = [a for a in Actor if a not in present]
        if lacking:
            actors = {"actors": _actor_list(lacking)}
            steps.append(
                NextStep(
                    key=f"{role}_actors",
                    todo=texts["lacking_todo"]() % actors,
                    status=texts["lacking_status"]() % actors,
                    url=invite,
                    action_label=_("Invite a member"),
                )
            )

    documents = {
        d.kind: d
        for d in PlanDocument.objects.filter(site=site).annotate(version_count=Count("versions"))
    }
    for kind in DOCUMENT_ORDER:
        document = documents.get(kind)
        texts = DOCUMENT_TEXTS[kind]
        if document is None or not document.version_count:
            steps.append(
                NextStep(
                    key=f"{kind}_missing",
                    todo=texts["missing_todo"](),
                    status=texts["missing_status"](),
                    url=_url("document_edit" if manage else "document_detail", site, kind=kind),
                    action_label=_("Write it") if manage else _("Open it"),
                )
            )
        elif document.approved_version_id is None:
            steps.append(
                NextStep(
                    key=f"{kind}_approval",
                    todo=texts["approval_todo"](),
                    status=texts["approval_status"](),
                    url=_url("document_detail", site, kind=kind),
                    action_label=_approval_action(access),
                )
            )

    overdue = Action.objects.filter(site=site).overdue().count()
    if overdue:
        text = ngettext(
            "%(count)d working-group action is past its due date.",
            "%(count)d working-group actions are past their due date.",
            overdue,
        ) % {"count": overdue}
        steps.append(
            NextStep(
                key="overdue",
                todo=text,
                status=text,
                url=_url("action_list", site) + "?" + urlencode({"overdue": "true"}),
                action_label=_("See the actions"),
                urgent=True,
            )
        )

    if not site.steering_meetings.exists():
        steps.append(
            NextStep(
                key="meetings",
                todo=_("Record the steering group's meetings and what it decides."),
                status=_("No steering-group meeting has been recorded yet."),
                url=_url("meeting_create" if access.can_govern() else "meeting_list", site),
                action_label=_("Record a meeting"),
            )
        )
    else:
        unfollowed = Decision.objects.filter(meeting__site=site, actions__isnull=True).count()
        if unfollowed:
            text = ngettext(
                "%(count)d steering-group decision has no working-group action yet.",
                "%(count)d steering-group decisions have no working-group action yet.",
                unfollowed,
            ) % {"count": unfollowed}
            steps.append(
                NextStep(
                    key="decisions",
                    todo=text,
                    status=text,
                    url=_url("meeting_list", site),
                    action_label=_("See the decisions"),
                )
            )
    return steps
