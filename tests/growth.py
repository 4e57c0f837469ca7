"""More of everything a page may list, added to the permission matrix's world (see
tests/test_permission_matrix.py's `world`), so that tests/test_query_counts.py can count each
page's queries at one size and at three times that size.

`grow(world)` adds one batch. For each of the world's two sites: cases in its practical test
(with timeline entries and consents) and another cycle of that test with cases of its own, a
case outside the tests, history, timeline entries and access-log lines on its case; a school,
people in its groups, an organisation, a plan version approved at a meeting, a meeting, a
decision, actions, a phase change, an invitation; vignette stages and answers, a vignette; a
general intervention with a fidelity check and a session; workshop registrations, a workshop,
a deliverable delivered as a file and one delivered as a link to a test, with their history,
a material; threads about a test, a vignette and nothing, posts (one hidden), a helpful mark, a
follower, a library item. Programme-wide: a site taking part in both sites' programmes with its
people, cases and deliveries, another programme, an announcement to one site, a thread about a
workshop, a library item, a vignette, an intervention programme, an accepted interest
registration and a new one with notes, a coordinator and a coordinator invitation. Then a new
summary of every site (the dashboards read their history).

Every row that says who made it names someone, and every link a page may follow is set, so a
page that reads a person or a linked object row by row shows it. Rows are made with the
factories' `build` and written with `bulk_create` wherever no model method is needed."""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone

from cases.models import (
    AccessAction,
    Case,
    CaseAccess,
    CaseChange,
    CaseConsent,
    CaseEvent,
    ChangeKind,
    Closure,
    EventKind,
    Fidelity,
    FidelityCheck,
    FidelityItem,
    InterventionProgramme,
    PracticalTest,
    ReferralTo,
)
from dashboards.services import build_summaries
from exchange.models import Follow, HelpfulMark
from pilots.models import (
    Actor,
    OrganisationKind,
    PhaseChange,
    RegistrationNote,
    RegistrationStatus,
    Role,
    User,
)
from tests.cases.factories import (
    CaseConsentFactory,
    CaseEventFactory,
    CaseFactory,
    InterventionFactory,
    InterventionSessionFactory,
    PracticalTestFactory,
    VignetteFactory,
    VignetteResponseFactory,
    VignetteStageFactory,
)
from tests.exchange.factories import (
    AnnouncementFactory,
    LibraryItemFactory,
    PostFactory,
    ThreadFactory,
)
from tests.pilots.factories import (
    ActionFactory,
    DecisionFactory,
    InterestRegistrationFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    PilotSiteFactory,
    SchoolFactory,
    SteeringMeetingFactory,
    UserFactory,
)
from tests.workshops.factories import (
    DeliverableFactory,
    DeliveryFactory,
    MaterialFactory,
    ProgrammeFactory,
    RegistrationFactory,
    WorkshopFactory,
)
from workshops.models import (
    DeliverableKind,
    DeliveryEvent,
    Workshop,
)

_serial = itertools.count(1)
FIRST_CONTACT = datetime.date(2018, 9, 12)


def made(factory, *rows, **fields):
    """Rows built by a factory, written in one INSERT: `made(F, **fields)` is one row (returned
    alone), `made(F, {...}, {...})` several (returned as a list)."""
    built = [factory.build(**row) for row in rows or [fields]]
    written = factory._meta.model.objects.bulk_create(built)
    return written if rows else written[0]


def people(n, **kwargs):
    """`n` new people, written at once (no e-mail address rows: nobody signs in as them)."""
    return User.objects.bulk_create(UserFactory.build_batch(n, **kwargs))


def add_cases(test, n, *, school=None, by=None):
    """`n` cases in practical test `test`, each with two timeline entries (a contact and an
    intervention by another actor), a consent per actor and, every other one, a closure (and
    every fourth a referral): 1 + 2 + 3 rows a case, in three INSERTs. Returns the cases."""
    school = school or test.site.schools.first()
    cases = []
    for i in range(n):
        closure = [Closure.RESOLVED, "", Closure.REFERRED, ""][i % 4]
        cases.append(
            CaseFactory.build(
                site=test.site,
                school=school,
                practical_test=test,
                first_contact_on=FIRST_CONTACT,
                first_intervention_on=FIRST_CONTACT + datetime.timedelta(days=i % 7),
                closed_on=FIRST_CONTACT + datetime.timedelta(days=20) if closure else None,
                closure=closure,
                referred_to=ReferralTo.CAMHS if closure == Closure.REFERRED else "",
                concerns=["worry", "sleep"][: 1 + i % 2],
                created_by=by,
            )
        )
    cases = Case.objects.bulk_create(cases)
    events, consents = [], []
    for case in cases:
        events.append(CaseEventFactory.build(case=case, actor=Actor.SCHOOL, created_by=by))
        events.append(
            CaseEventFactory.build(
                case=case,
                actor=Actor.SOCIAL,
                kind=EventKind.INTERVENTION,
                occurred_on=case.first_intervention_on,
                minutes=45,
                created_by=by,
            )
        )
        consents += [CaseConsentFactory.build(case=case, actor=actor) for actor in Actor]
    CaseEvent.objects.bulk_create(events)
    CaseConsent.objects.bulk_create(consents)
    return cases


def grow(world):
    """Add one batch of data to the world (see the module's docstring)."""
    n = next(_serial)
    for side in (world.a, world.b):
        _grow_site(world, side, n)
    _grow_programme(world, n)
    build_summaries()


def _grow_site(world, s, n):
    site, lead = s.site, world.people["lead_a"]
    school = made(SchoolFactory, site=site, name=f"Tillväxtskolan {n} {site.slug}")
    unit = made(
        OrganisationFactory,
        name=f"Enhet {n}",
        kind=OrganisationKind.UNIT,
        actor=Actor.HEALTH,
        parent=site.municipality,
    )
    working, steering, attending = people(3)
    member, steering_member, _ = made(
        MembershipFactory,
        {"site": site, "user": working, "organisation": unit, "title": "Kurator"},
        {"site": site, "user": steering, "role": Role.STEERING, "succeeds": s.membership},
        {"site": site, "user": attending, "actor": Actor.HEALTH},
    )
    _grow_governance(s, n, member, steering_member, working)
    PhaseChange.objects.bulk_create(
        [PhaseChange(site=site, from_phase=site.phase, to_phase=site.phase, changed_by=lead)]
    )
    made(InvitationFactory, site=site, organisation=unit, invited_by=lead)

    # Practical tests: cases in the world's test, its schools and people, a next cycle.
    add_cases(s.test, 1, school=school, by=working)
    s.test.schools.add(school)
    s.test.people.add(working)
    last = PracticalTest.objects.filter(site=site).order_by("-pk").first()
    cycle = made(PracticalTestFactory, site=site, follows=last, cycle=n + 1, created_by=working)
    cycle.schools.add(school)
    add_cases(cycle, 1, school=school, by=working)
    made(CaseFactory, site=site, school=school, created_by=working)  # outside the tests
    _grow_case(s.case, working, n)

    # Vignettes: a stage in the site's vignette, another vignette, answers to the programme's.
    made(VignetteStageFactory, vignette=s.vignette, position=after_last(s.vignette.stages))
    vignette = made(VignetteFactory, site=site, created_by=working)
    made(VignetteStageFactory, vignette=vignette, position=1)
    _answer(site, world.programme_vignette, working)

    # General interventions: another one with a fidelity check, another session of the world's.
    intervention = InterventionFactory(site=site, school=school, created_by=working)
    FidelityCheck.objects.bulk_create(
        [
            FidelityCheck(intervention=intervention, item=item, status=Fidelity.MET)
            for item in intervention.programme.fidelity_items.all()[:3]
        ]
    )
    made(InterventionSessionFactory, intervention=s.intervention)

    # Workshops.
    made(
        RegistrationFactory,
        workshop=s.workshop,
        site=site,
        user=attending,
        attended=True,
        registered_by=lead,
    )
    _grow_workshops(s, n, working, cycle)

    # The exchange: posts in the site's thread (one hidden), threads about a test and a vignette.
    post, _ = made(
        PostFactory,
        {"thread": s.exchange_thread, "author": working},
        {
            "thread": s.exchange_thread,
            "author": steering,
            "hidden_at": timezone.now(),
            "hidden_by": world.people["coordinator"],
            "hidden_reason": "Fel tråd.",
        },
    )
    HelpfulMark.objects.bulk_create([HelpfulMark(post=post, user=steering)])
    Follow.objects.bulk_create([Follow(thread=s.exchange_thread, user=working)])
    threads = made(
        ThreadFactory,
        {"site": site, "created_by": working, "practical_test": cycle},
        {"site": site, "created_by": steering, "vignette": vignette},
    )
    made(PostFactory, *({"thread": t, "author": steering} for t in threads))
    made(LibraryItemFactory, site=site, created_by=working, workshop=s.workshop)


def _grow_governance(s, n, member, steering_member, person):
    """A meeting, a decision at the world's meeting with actions on it and the new one, and a
    plan version approved at the new meeting."""
    held_on = datetime.date(2018, 4, n % 28 + 1)
    meeting = made(SteeringMeetingFactory, site=s.site, held_on=held_on, created_by=person)
    s.meeting.attendees.add(steering_member)
    meeting.attendees.add(steering_member, member)
    decision = made(DecisionFactory, meeting=s.meeting)
    made(
        ActionFactory,
        {"site": s.site, "decision": decision, "responsible": member},
        {"site": s.site, "decision": s.decision, "responsible": steering_member},
    )
    document = s.version.document
    version = document.add_version(sections={"aim": f"Mål {n}"}, author=person)
    document.approve(version, on=datetime.date(2018, 5, 1), by=person, meeting=meeting)


def _grow_case(case, person, n):
    """Another timeline entry, change and two access-log lines on the world's case."""
    made(CaseEventFactory, case=case, actor=Actor.HEALTH, created_by=person)
    change = {"field": "school_year", "old": 7 + n % 2, "new": 8 - n % 2}
    CaseChange.objects.bulk_create(
        [CaseChange(case=case, changed_by=person, what=ChangeKind.CHANGED, changes=[change])]
    )
    CaseAccess.objects.bulk_create(
        [
            CaseAccess(
                site=case.site,
                case=case,
                case_code=case.code,
                user=person,
                user_email=person.email,
                user_name=person.full_name,
                action=action,
                path=case.get_absolute_url(),
            )
            for action in (AccessAction.VIEWED, AccessAction.LISTED)
        ]
    )


def after_last(items):
    """The position after the last of `items`: the world lives on between tests (tests/world.py),
    so a position counted from here could meet one a factory's sequence gave it."""
    return (items.aggregate(last=Max("position"))["last"] or 0) + 1


def _answer(site, vignette, person):
    """A new stage of `vignette` and the site's answers to it, one per actor."""
    stage = made(VignetteStageFactory, vignette=vignette, position=after_last(vignette.stages))
    answer = {"site": site, "stage": stage, "updated_by": person}
    made(VignetteResponseFactory, *({**answer, "actor": actor} for actor in Actor))


def _grow_workshops(s, n, person, test):
    """Another workshop in the site's programme; two more deliverables of the world's
    workshop, one delivered as a file (accepted, with its history), one as a link to `test`;
    a material."""
    number = Workshop.objects.filter(programme=s.programme).order_by("-number").first().number
    made(WorkshopFactory, programme=s.programme, number=number + 1)
    as_file, as_link = made(
        DeliverableFactory,
        {"workshop": s.workshop, "title": f"Leverans {n} {s.site.slug}"},
        {
            "workshop": s.workshop,
            "title": f"Testplan {n} {s.site.slug}",
            "kind": DeliverableKind.TEST_PLAN,
        },
    )
    delivered = made(
        DeliveryFactory,
        {
            "deliverable": as_file,
            "site": s.site,
            "status": "accepted",
            "submitted_by": person,
            "reviewed_by": person,
            "reviewed_at": timezone.now(),
        },
        {
            "deliverable": as_link,
            "site": s.site,
            "file": "",
            "original_name": "",
            "content_type": ContentType.objects.get_for_model(PracticalTest),
            "object_id": test.pk,
            "submitted_by": person,
        },
    )
    DeliveryEvent.objects.bulk_create(
        [DeliveryEvent(delivery=d, action="submitted", by=person) for d in (*delivered, s.delivery)]
    )
    made(MaterialFactory, workshop=s.workshop, uploaded_by=person)


def _grow_programme(world, n):
    """Programme-wide (see the module's docstring)."""
    coordinator = world.people["coordinator"]
    site = PilotSiteFactory(name=f"Tillväxtområde {n}", slug=f"tillvaxt-{n}")
    school = made(SchoolFactory, site=site)
    lead = people(1)[0]
    made(MembershipFactory, site=site, user=lead, role=Role.LEAD)
    ProgrammeFactory(sites=[site])
    for side in (world.a, world.b):
        side.programme.sites.add(site)
        made(RegistrationFactory, workshop=side.workshop, site=site, user=lead)
        made(DeliveryFactory, deliverable=side.deliverable, site=site, submitted_by=lead)
    add_cases(made(PracticalTestFactory, site=site), 2, school=school, by=lead)
    stages = world.programme_vignette.stages.all()
    made(VignetteResponseFactory, *({"site": site, "stage": stage} for stage in stages))
    accepted = made(
        InterestRegistrationFactory,
        status=RegistrationStatus.ACCEPTED,
        site=site,
        decided_by=coordinator,
    )

    AnnouncementFactory(created_by=coordinator, all_sites=False, sites=[world.a.site])
    made(PostFactory, thread=world.programme_thread, author=world.people["member_a"])
    thread = made(ThreadFactory, created_by=lead, workshop=world.a.workshop)
    made(PostFactory, thread=thread, author=lead)
    made(LibraryItemFactory, created_by=coordinator)
    vignette = made(VignetteFactory, title=f"Programmets vinjett {n}", created_by=coordinator)
    made(VignetteStageFactory, vignette=vignette, position=1)
    yam = InterventionProgramme.objects.get(short_name="YAM")
    FidelityItem.objects.bulk_create(
        [FidelityItem(programme=yam, position=after_last(yam.fidelity_items), text=f"Punkt {n}")]
    )
    InterventionProgramme.objects.create(name=f"Metod {n}", short_name=f"M{n}")
    new = made(InterestRegistrationFactory)
    RegistrationNote.objects.bulk_create(
        [
            RegistrationNote(registration=r, author=coordinator, text=f"Samtal {n}")
            for r in (new, accepted, world.registration)
        ]
    )
    made(InvitationFactory, site=None, role="", as_coordinator=True, invited_by=coordinator)
    people(1, is_coordinator=True)
    _grow_identity_connection(n)


def _grow_identity_connection(n):
    """An organisation's identity provider with two e-mail domains and a person linked."""
    from allauth.socialaccount.models import SocialAccount, SocialApp

    from accounts.models import ConnectionDomain, IdentityConnection

    slug = f"growth-idp-{n}"
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=slug,
        client_id="triad",
        name=f"Tillväxtkommunen {n}",
        settings={"server_url": "https://idp.growth.invalid"},
    )
    connection = IdentityConnection.objects.create(
        organisation=made(OrganisationFactory, name=f"Tillväxtkommunen {n}"),
        name=f"Tillväxtkommunen {n}",
        slug=slug,
        protocol="openid_connect",
        app=app,
    )
    ConnectionDomain.objects.bulk_create(
        ConnectionDomain(connection=connection, domain=f"{part}{n}.growth.invalid")
        for part in ("skola", "kommun")
    )
    (person,) = people(1)
    SocialAccount.objects.create(user=person, provider=slug, uid=f"growth-{n}")
