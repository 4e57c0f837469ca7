"""The demo programme's structure: ten fictional pilot sites in real municipalities and regions,
with their triads, schools, groups and plans. Every person is made up; every address is
@example.org. Run through `manage.py seed_demo`; safe to run again (keyed by natural keys)."""

import datetime

from django.utils import timezone

from accounts.tokens import new_token
from demo.programme.people import COORDINATOR_EMAIL, DEMO_PASSWORD, full_name, person
from pilots.models import (
    Action,
    ActionStatus,
    Actor,
    DocumentKind,
    InterestRegistration,
    Membership,
    Organisation,
    OrganisationKind,
    Phase,
    PhaseChange,
    PilotSite,
    PlanDocument,
    RegistrationNote,
    RegistrationStatus,
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
        for step in (Phase.PRE_STUDY, Phase.PLANNING, Phase.TESTING):
            site.set_phase(step, by=coordinator, note="Demo")
            if step == phase:
                break
        # Spread the recorded moves over the programme's real year.
        for i, change in enumerate(site.phase_changes.order_by("pk")):
            PhaseChange.objects.filter(pk=change.pk).update(
                changed_at=timezone.make_aware(
                    datetime.datetime(2017 + (i > 0), 1 + 4 * i % 12, 15)
                )
            )
    for school_name in schools:
        School.objects.get_or_create(
            site=site,
            name=school_name,
            defaults={"school_type": SchoolType.COMPULSORY, "pupils": 300 + 37 * len(school_name)},
        )

    start = datetime.date(2018, 1, 15)
    domain = f"{slug}.example.org"
    lead = person(f"lead@{domain}", f"{full_name(index * 5)} (demo)", password=DEMO_PASSWORD)
    member = person(
        f"member@{domain}", f"{full_name(index * 5 + 1)} (demo)", password=DEMO_PASSWORD
    )
    steering = person(
        f"steering@{domain}", f"{full_name(index * 5 + 2)} (demo)", password=DEMO_PASSWORD
    )
    social = person(f"socialtjanst@{domain}", f"{full_name(index * 5 + 3)} (demo)")
    health = person(f"halsa@{domain}", f"{full_name(index * 5 + 4)} (demo)")
    steering_social = person(f"chef.ifo@{domain}", f"{full_name(index * 5 + 6)} (demo)")
    steering_health = person(f"chef.buh@{domain}", f"{full_name(index * 5 + 7)} (demo)")

    _membership(site, lead, Role.LEAD, Actor.SCHOOL, units[Actor.SCHOOL], "Projektledare", start)
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
        former = person(f"tidigare.halsa@{domain}", f"{full_name(index * 5 + 8)} (demo)")
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

    meeting, created = SteeringMeeting.objects.get_or_create(
        site=site,
        held_on=datetime.date(2018, 4, 10),
        defaults={"notes": "Genomgång av behovsanalysen.", "created_by": lead},
    )
    if created:
        meeting.attendees.add(chair)
        decision = meeting.decisions.create(
            text="Arbetsgruppen får fyra timmar i veckan för praktiska test under hösten."
        )
        Action.objects.create(
            site=site,
            title="Planera första praktiska testet",
            decision=decision,
            responsible=site.memberships.filter(user=member).first(),
            due_on=datetime.date(2018, 8, 31),
            status=ActionStatus.DONE if phase == Phase.TESTING else ActionStatus.IN_PROGRESS,
        )
    needs, _ = PlanDocument.objects.get_or_create(site=site, kind=DocumentKind.NEEDS_ANALYSIS)
    if not needs.versions.exists():
        needs.add_version(
            author=lead,
            note="Första utkast efter workshop 1",
            sections={
                "current_state": f"Elevhälsan på skolorna i {municipality_name} möter allt fler elever med oro och nedstämdhet. Vägen till socialtjänst och BUP är lång.",
                "needs": "Tidigt stöd på skolan, utan remiss, där eleven redan är.",
                "data": "Elevhälsoenkät årskurs 7–9, samtal med elevhälsoteamen.",
                "gaps": "Socialtjänst och vård träffar inte skolan förrän ärendet har blivit stort.",
                "priorities": "Gemensam mottagning på skolan en dag i veckan.",
            },
        )
    plan, _ = PlanDocument.objects.get_or_create(site=site, kind=DocumentKind.PROJECT_PLAN)
    if not plan.versions.exists():
        version = plan.add_version(
            author=lead,
            note="Godkänd av styrgruppen",
            sections={
                "background": "Kommunen och regionen vill pröva en elevhälsobaserad första linje.",
                "aim": "Fler barn får tidigt stöd på skolan; färre ärenden går vidare till specialistvården.",
                "organisation": "Styrgrupp med chefer från de tre aktörerna, arbetsgrupp på skolorna, projektledare som länk.",
                "schools": ", ".join(schools),
                "timeline": "Vår: förankring och behovsanalys. Höst: praktiska test.",
            },
        )
        if phase == Phase.TESTING:
            meeting = site.steering_meetings.order_by("held_on").first()
            plan.approve(version, on=meeting.held_on, by=steering, meeting=meeting)

    return site


def _registrations(coordinator):
    examples = [
        ("Kiruna", "Region Norrbotten", RegistrationStatus.NEW, None),
        (
            "Visby (Gotland)",
            "Region Gotland",
            RegistrationStatus.IN_DIALOGUE,
            "Första samtal: de vill börja med två skolor på norra Gotland.",
        ),
    ]
    for municipality, region, status, note in examples:
        registration, created = InterestRegistration.objects.get_or_create(
            municipality_name=municipality,
            defaults={
                "region_name": region,
                "scope": "municipality",
                "contact_name": "Kontaktperson (demo)",
                "contact_organisation": "Utbildningsförvaltningen",
                "contact_email": f"kontakt@{municipality.split()[0].lower()}.example.org",
                "local_needs": "Vi ser att elevhälsan inte räcker till och vill arbeta närmare socialtjänst och vård.",
                "consent_to_store": True,
                "status": status,
                "follow_token_digest": new_token()[1],
            },
        )
        if created and note:
            RegistrationNote.objects.create(
                registration=registration, author=coordinator, text=note
            )


def seed(stdout) -> None:
    coordinator = person(
        COORDINATOR_EMAIL, "Kim Samordnare (demo)", password=DEMO_PASSWORD, coordinator=True
    )
    for index, row in enumerate(SITES):
        _site(index, *row, coordinator=coordinator)
    _registrations(coordinator)
    stdout.write(f"  pilots: {PilotSite.objects.count()} sites, {User.objects.count()} people")
