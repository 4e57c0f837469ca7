"""The demo programme's structure: ten fictional pilot sites in real municipalities and regions,
with their triads, schools, groups and plans, dated as the programme ran: the ten chosen in
November 2017 (demo.programme.registrations has the interest they registered), steering groups
and plans in spring 2018, the five testing sites in testing from workshop 3 in September.
Linköping lost its project lead in June and got a new one in August. Every person is made up;
every address is @example.org. Run through `manage.py seed_demo`; safe to run again (keyed by
natural keys)."""

import datetime

from demo.programme.people import COORDINATOR_EMAIL, DEMO_PASSWORD, full_name, person
from demo.programme.story_dates import at, stamp
from pilots.models import (
    Action,
    ActionStatus,
    Actor,
    DocumentKind,
    Membership,
    Organisation,
    OrganisationKind,
    Phase,
    PilotSite,
    PlanDocument,
    Role,
    School,
    SchoolType,
    SteeringMeeting,
    User,
)

# (slug, municipality, region, case code prefix, phase, schools)
SITES = [
    (
        "malmo",
        "Malmö",
        "Region Skåne",
        "MAL",
        Phase.TESTING,
        ["Rosengårdsskolan", "Kroksbäcksskolan", "Sofielundsskolan"],
    ),
    (
        "uppsala",
        "Uppsala",
        "Region Uppsala",
        "UPP",
        Phase.TESTING,
        ["Gottsundaskolan", "Vaksalaskolan"],
    ),
    (
        "umea",
        "Umeå",
        "Region Västerbotten",
        "UME",
        Phase.TESTING,
        ["Ersbodaskolan", "Ålidhemsskolan"],
    ),
    (
        "orebro",
        "Örebro",
        "Region Örebro län",
        "ORE",
        Phase.TESTING,
        ["Vivallaskolan", "Örnsro skola"],
    ),
    (
        "linkoping",
        "Linköping",
        "Region Östergötland",
        "LIN",
        Phase.TESTING,
        ["Skäggetorpsskolan", "Ryds skola"],
    ),
    (
        "sundsvall",
        "Sundsvall",
        "Region Västernorrland",
        "SUN",
        Phase.PLANNING,
        ["Skönsmons skola", "Nackstaskolan"],
    ),
    (
        "karlstad",
        "Karlstad",
        "Region Värmland",
        "KSD",
        Phase.PLANNING,
        ["Kronoparksskolan", "Herrhagsskolan"],
    ),
    (
        "boras",
        "Borås",
        "Västra Götalandsregionen",
        "BOR",
        Phase.PLANNING,
        ["Sjöboskolan", "Hässlehusskolan"],
    ),
    (
        "gavle",
        "Gävle",
        "Region Gävleborg",
        "GAV",
        Phase.PLANNING,
        ["Andersbergsskolan", "Sätraskolan"],
    ),
    (
        "vaxjo",
        "Växjö",
        "Region Kronoberg",
        "VAX",
        Phase.PLANNING,
        ["Araby skola", "Teleborgsskolan"],
    ),
]


# The story's dates.
SITES_CHOSEN = datetime.date(2017, 11, 27)  # the ten registrations accepted
PROGRAMME_STARTS = datetime.date(2018, 1, 15)  # the sites' groups are formed
TESTING_STARTS = datetime.date(2018, 9, 3)  # workshop 3: the practical tests begin
COORDINATOR_JOINED = datetime.date(2017, 9, 18)

# A site whose project lead left mid-year: (slug, the day she left, the day the next one began).
LEAD_LEFT = ("linkoping", datetime.date(2018, 6, 15), datetime.date(2018, 8, 20))


def steering_meeting_on(index):
    """The spring steering meeting that approved the site's project plan (March to May)."""
    return datetime.date(2018, 3, 20) + datetime.timedelta(days=5 * index)


def _membership(site, user, role, actor, organisation, title, starts_on, **extra):
    membership, _ = Membership.objects.get_or_create(
        site=site,
        user=user,
        role=role,
        starts_on=starts_on,
        defaults={"actor": actor, "organisation": organisation, "title": title, **extra},
    )
    return membership


def _site(index, slug, municipality_name, region_name, prefix, phase, schools, coordinator):
    municipality, _ = Organisation.objects.get_or_create(
        name=municipality_name, kind=OrganisationKind.MUNICIPALITY, parent=None
    )
    region, _ = Organisation.objects.get_or_create(
        name=region_name, kind=OrganisationKind.REGION, parent=None
    )
    units = {}
    for actor, parent, name in [
        (Actor.SCHOOL, municipality, "Förskole- och grundskoleförvaltningen"),
        (Actor.SOCIAL, municipality, "Individ- och familjeomsorgen"),
        (Actor.HEALTH, region, f"Barn- och ungdomshälsan {municipality_name}"),
    ]:
        units[actor], _ = Organisation.objects.get_or_create(
            name=name, kind=OrganisationKind.UNIT, parent=parent, defaults={"actor": actor}
        )
    site, created = PilotSite.objects.get_or_create(
        slug=slug,
        defaults={
            "name": f"{municipality_name} (demo)",
            "municipality": municipality,
            "region": region,
            "case_code_prefix": prefix,
            "school_actor": units[Actor.SCHOOL],
            "social_actor": units[Actor.SOCIAL],
            "health_actor": units[Actor.HEALTH],
            "phase": Phase.REGISTERED,
        },
    )
    if created:
        stamp([site], SITES_CHOSEN)
        moved_on = {
            Phase.PRE_STUDY: SITES_CHOSEN,
            Phase.PLANNING: PROGRAMME_STARTS,
            Phase.TESTING: TESTING_STARTS,
        }
        for step in (Phase.PRE_STUDY, Phase.PLANNING, Phase.TESTING):
            site.set_phase(step, by=coordinator, note="Demo")
            if step == phase:
                break
        stamp(site.phase_changes.all(), lambda change: moved_on[change.to_phase])
    for school_name in schools:
        School.objects.get_or_create(
            site=site,
            name=school_name,
            defaults={"school_type": SchoolType.COMPULSORY, "pupils": 300 + 37 * len(school_name)},
        )

    start = PROGRAMME_STARTS
    domain = f"{slug}.example.org"
    left = LEAD_LEFT[1:] if slug == LEAD_LEFT[0] else None

    def demo_person(email, i, **extra):
        return person(email, f"{full_name(index * 5 + i)} (demo)", joined=start, **extra)

    lead = person(
        f"lead@{domain}",
        f"{full_name(index * 5)} (demo)",
        joined=left[1] if left else start,
        password=DEMO_PASSWORD,
    )
    member = demo_person(f"member@{domain}", 1, password=DEMO_PASSWORD)
    steering = demo_person(f"steering@{domain}", 2, password=DEMO_PASSWORD)
    social = demo_person(f"socialtjanst@{domain}", 3)
    health = demo_person(f"halsa@{domain}", 4)
    steering_social = demo_person(f"chef.ifo@{domain}", 6)
    steering_health = demo_person(f"chef.buh@{domain}", 7)

    if left:
        # The project lead who carried the spring's work left in June; the site went without
        # one over the summer, the link between steering and working group the programme
        # learned it needs.
        spring_lead = demo_person(f"tidigare.projektledare@{domain}", 9)
        former = _membership(
            site,
            spring_lead,
            Role.LEAD,
            Actor.SCHOOL,
            units[Actor.SCHOOL],
            "Projektledare",
            start,
            ends_on=left[0],
            end_reason="Ny tjänst i en annan kommun",
        )
        _membership(
            site,
            lead,
            Role.LEAD,
            Actor.SCHOOL,
            units[Actor.SCHOOL],
            "Projektledare",
            left[1],
            succeeds=former,
        )
    else:
        spring_lead = lead
        _membership(
            site, lead, Role.LEAD, Actor.SCHOOL, units[Actor.SCHOOL], "Projektledare", start
        )
    _membership(site, member, Role.WORKING, Actor.SCHOOL, units[Actor.SCHOOL], "Skolkurator", start)
    _membership(
        site,
        social,
        Role.WORKING,
        Actor.SOCIAL,
        units[Actor.SOCIAL],
        "Socialsekreterare",
        start,
        hours_per_week=8,
        planned_hours_per_week=10,
    )
    _membership(
        site,
        health,
        Role.WORKING,
        Actor.HEALTH,
        units[Actor.HEALTH],
        "Psykolog",
        start,
        hours_per_week=6,
        planned_hours_per_week=8,
    )
    chair = _membership(
        site, steering, Role.STEERING, Actor.SCHOOL, units[Actor.SCHOOL], "Skolchef", start
    )
    _membership(
        site,
        steering_social,
        Role.STEERING,
        Actor.SOCIAL,
        units[Actor.SOCIAL],
        "Enhetschef IFO",
        start,
    )
    _membership(
        site,
        steering_health,
        Role.STEERING,
        Actor.HEALTH,
        units[Actor.HEALTH],
        "Verksamhetschef",
        start,
    )

    if index % 3 == 0:
        # Turnover, the programme's main obstacle: a healthcare person left and was replaced.
        former = demo_person(f"tidigare.halsa@{domain}", 8)
        Membership.objects.get_or_create(
            site=site,
            user=former,
            role=Role.WORKING,
            starts_on=start,
            defaults={
                "actor": Actor.HEALTH,
                "organisation": units[Actor.HEALTH],
                "title": "Kurator BUH",
                "ends_on": datetime.date(2018, 5, 31),
                "end_reason": "Ny tjänst",
                "hours_per_week": 6,
            },
        )

    held_on = steering_meeting_on(index)
    meeting, created = SteeringMeeting.objects.get_or_create(
        site=site,
        held_on=held_on,
        defaults={"notes": "Genomgång av behovsanalysen.", "created_by": spring_lead},
    )
    if created:
        meeting.attendees.add(chair)
        decision = meeting.decisions.create(
            text="Arbetsgruppen får fyra timmar i veckan för praktiska test under hösten."
        )
        action = Action.objects.create(
            site=site,
            title="Planera första praktiska testet",
            decision=decision,
            responsible=site.memberships.filter(user=member).first(),
            due_on=datetime.date(2018, 8, 31),
            status=ActionStatus.DONE if phase == Phase.TESTING else ActionStatus.IN_PROGRESS,
        )
        done_on = datetime.date(2018, 8, 28) if phase == Phase.TESTING else held_on
        stamp([action], held_on, done_on)
    needs, _ = PlanDocument.objects.get_or_create(site=site, kind=DocumentKind.NEEDS_ANALYSIS)
    if not needs.versions.exists():
        version = needs.add_version(
            author=spring_lead,
            note="Första utkast efter workshop 1",
            sections={
                "current_state": f"Elevhälsan på skolorna i {municipality_name} möter allt fler elever med oro och nedstämdhet. Vägen till socialtjänst och BUP är lång.",
                "needs": "Tidigt stöd på skolan, utan remiss, där eleven redan är.",
                "data": "Elevhälsoenkät årskurs 7–9, samtal med elevhälsoteamen.",
                "gaps": "Socialtjänst och vård träffar inte skolan förrän ärendet har blivit stort.",
                "priorities": "Gemensam mottagning på skolan en dag i veckan.",
            },
        )
        stamp([version], at(held_on - datetime.timedelta(days=12), 14))
    plan, _ = PlanDocument.objects.get_or_create(site=site, kind=DocumentKind.PROJECT_PLAN)
    if not plan.versions.exists():
        version = plan.add_version(
            author=spring_lead,
            note="Godkänd av styrgruppen",
            sections={
                "background": "Kommunen och regionen vill pröva en elevhälsobaserad första linje.",
                "aim": "Fler barn får tidigt stöd på skolan; färre ärenden går vidare till specialistvården.",
                "organisation": "Styrgrupp med chefer från de tre aktörerna, arbetsgrupp på skolorna, projektledare som länk.",
                "starting_points": "Tidiga insatser på skolans arena först; med dem fler vägar "
                "för eleverna att själva söka hjälp, och att livsproblem inte psykiatriseras.",
                "schools": ", ".join(schools),
                "resources": "Socialtjänsten och hälso- och sjukvården avsätter tid varje vecka "
                "för att arbeta på skolan tillsammans med elevhälsan.",
                "timeline": "Vår: förankring och behovsanalys. Höst: praktiska test.",
                "risks": "Personalomsättning hos alla tre aktörerna, olika lagstiftning och "
                "avstånd. Styrgruppen följer upp varje termin.",
            },
        )
        stamp([version], at(held_on - datetime.timedelta(days=6), 15))
        if phase == Phase.TESTING:
            plan.approve(version, on=held_on, by=steering, meeting=meeting)

    return site


def seed(stdout) -> None:
    coordinator = person(
        COORDINATOR_EMAIL,
        "Kim Samordnare (demo)",
        joined=COORDINATOR_JOINED,
        password=DEMO_PASSWORD,
        coordinator=True,
    )
    for index, row in enumerate(SITES):
        _site(index, *row, coordinator=coordinator)
    stdout.write(f"  pilots: {PilotSite.objects.count()} sites, {User.objects.count()} people")
