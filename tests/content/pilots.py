"""The programme's structure: sites, their organisations, schools, groups, plans and
governance. Builds the sites and the people every other module uses."""

import datetime

from pilots.models import Actor, DocumentKind, Organisation, OrganisationKind, Role
from tests.pilots.factories import (
    ActionFactory,
    DecisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PilotSiteFactory,
    PlanDocumentFactory,
    SchoolFactory,
    SteeringMeetingFactory,
    UserFactory,
)

from . import (
    ALL_SITES,
    SITE_A,
    SITE_B,
    programme_object,
    programme_page,
    site_object,
    site_page,
)


def build(w):
    tags = w.tags
    # Sites A and B lie in one region: its units are both sites' to choose among.
    shared_region = OrganisationFactory(
        name=tags.add("SHARED-Region", who=SITE_A | SITE_B, sites={"a", "b"}),
        kind=OrganisationKind.REGION,
    )
    w.shared_unit = Organisation.objects.create(
        name=tags.add("SHARED-Unit", who=SITE_A | SITE_B, sites={"a", "b"}),
        kind=OrganisationKind.UNIT,
        actor=Actor.HEALTH,
        parent=shared_region,
    )
    for s, slug, prefix in ((w.a, "site-a", "AAA"), (w.b, "site-b", "BBB"), (w.c, "site-c", "CCC")):
        # A site's name may show wherever its people or a coordinator look (a coordinator's
        # menu lists every site); its municipality and region belong to its own pages.
        name = tags.add(f"{s.prefix}-Site", who=s.who, sites=ALL_SITES)
        s.site = PilotSiteFactory(
            name=name,
            slug=slug,
            case_code_prefix=prefix,
            municipality=OrganisationFactory(name=s.tag("Municipality")),
            region=shared_region
            if s is not w.c
            else OrganisationFactory(name=s.tag("Region"), kind=OrganisationKind.REGION),
        )
        s.school = SchoolFactory(site=s.site, name=s.tag("School"))
    site_a, site_b = w.a.site, w.b.site
    w.people.update(
        anonymous=None,
        coordinator=UserFactory(full_name="Alice Koordinator", is_coordinator=True),
        lead_a=MembershipFactory(site=site_a, role=Role.LEAD, user__full_name="Bob Ledare").user,
        member_a=MembershipFactory(site=site_a, user__full_name="Mia Medlem").user,
        steering_a=MembershipFactory(
            site=site_a, role=Role.STEERING, user__full_name="Sam Styrgrupp"
        ).user,
        member_b=MembershipFactory(site=site_b, user__full_name="Charlie Annan").user,
    )
    for s in (w.a, w.b):
        site = s.site
        s.unit = Organisation.objects.create(
            name=s.tag("Unit"),
            kind=OrganisationKind.UNIT,
            actor=Actor.SOCIAL,
            parent=site.municipality,
        )
        # Someone else of the site, by name: the groups list them, registrations show them.
        s.member = MembershipFactory(
            site=site,
            role=Role.WORKING,
            actor=Actor.HEALTH,
            user__full_name=s.tag("Member"),
            title=s.tag("RoleTitle"),
        )
        s.steering = MembershipFactory(
            site=site, role=Role.STEERING, actor=Actor.SOCIAL, user__full_name=s.tag("Steerer")
        )
        document = PlanDocumentFactory(site=site, kind=DocumentKind.PROJECT_PLAN)
        s.version = document.add_version(
            sections={"aim": s.tag("PlanText")}, author=s.member.user, note=s.tag("PlanNote")
        )
        s.meeting = SteeringMeetingFactory(
            site=site, held_on=datetime.date(2018, 3, 1), notes=s.tag("Minutes")
        )
        s.decision = DecisionFactory(meeting=s.meeting, text=s.tag("Decision"))
        s.action = ActionFactory(
            site=site, decision=s.decision, title=s.tag("Action"), description=s.tag("Todo")
        )


def _pk(attr):
    return lambda s: {"pk": getattr(s, attr).pk}


def _text(attr):
    return lambda s: f"{s.prefix}-{attr}"


PAGES = [
    programme_page(
        "pilots:home",
        shows={
            "lead_a": {"OWN-Site"},
            "member_a": {"OWN-Site"},
            "steering_a": {"OWN-Site"},
            "member_b": {"LEAK-Site"},
            "coordinator": {"OWN-Site", "LEAK-Site", "PROG-Site"},
        },
    ),
    site_page("pilots:site_home", shows={"OWN-Site", "OWN-School", "OWN-Municipality"}),
    # The triad's choices: units of the site's municipality and region, never another's.
    site_page("pilots:site_update", shows={"OWN-Unit", "SHARED-Unit"}),
    site_page("pilots:site_phase", shows={"OWN-Site"}),
    site_page("pilots:organisation_list", shows={"OWN-Unit", "SHARED-Unit", "OWN-Municipality"}),
    site_page("pilots:organisation_create", shows={"OWN-Municipality", "SHARED-Region"}),
    programme_page(
        "pilots:programme_organisation_list",
        shows={"OWN-Unit", "LEAK-Unit", "OWN-Municipality", "LEAK-Municipality"},
    ),
    programme_page(
        "pilots:programme_organisation_create", shows={"OWN-Municipality", "LEAK-Municipality"}
    ),
    site_page("pilots:school_list", shows={"OWN-School"}),
    site_page("pilots:school_create"),
    site_page("pilots:steering_group", shows={"OWN-Steerer"}),
    site_page("pilots:working_group", shows={"OWN-Member", "OWN-RoleTitle"}),
    site_page("pilots:document_list", shows={"OWN-Member"}),
    # A document kind is no object: the page is the site's document of that kind.
    site_page(
        "pilots:document_detail",
        obj=lambda w: {"kind": DocumentKind.PROJECT_PLAN},
        shows={"OWN-PlanText"},
    ),
    site_page(
        "pilots:document_edit",
        obj=lambda w: {"kind": DocumentKind.PROJECT_PLAN},
        shows={"OWN-PlanText"},
    ),
    site_page("pilots:meeting_list", shows={"OWN-Decision"}),
    site_page("pilots:meeting_create", shows={"OWN-Steerer"}),
    site_page("pilots:action_list", shows={"OWN-Action"}),
    site_page("pilots:action_create", shows={"OWN-Decision", "OWN-Member"}),
]

OBJECTS = [
    # Coordinators edit any organisation; the others are refused before they see one.
    programme_object(
        "pilots:programme_organisation_update",
        obj=lambda w: {"pk": w.b.unit.pk},
        tag=lambda w: "LEAK-Unit",
        own=lambda w: ({"pk": w.a.unit.pk}, "OWN-Unit"),
    ),
    site_object("pilots:organisation_update", obj=_pk("unit"), tag=_text("Unit")),
    site_object("pilots:school_update", obj=_pk("school"), tag=_text("School")),
    site_object("pilots:school_leave", obj=_pk("school"), tag=_text("School")),
    site_object("pilots:membership_update", obj=_pk("member"), tag=_text("Member")),
    site_object("pilots:membership_end", obj=_pk("member"), tag=_text("Member")),
    site_object("pilots:document_version", obj=_pk("version"), tag=_text("PlanText")),
    site_object("pilots:document_approve", obj=_pk("version"), tag=_text("PlanText"), shown=False),
    site_object("pilots:meeting_detail", obj=_pk("meeting"), tag=_text("Minutes")),
    site_object("pilots:meeting_update", obj=_pk("meeting"), tag=_text("Minutes")),
    # The meeting and the version are named by their dates and numbers, no text of their own.
    site_object("pilots:decision_create", obj=_pk("meeting"), tag=_text("Minutes"), shown=False),
    site_object("pilots:decision_update", obj=_pk("decision"), tag=_text("Decision")),
    site_object("pilots:action_detail", obj=_pk("action"), tag=_text("Action")),
    site_object("pilots:action_update", obj=_pk("action"), tag=_text("Action")),
    site_object("pilots:action_status", obj=_pk("action"), tag=_text("Action")),
]

OTHER = {}
