"""The demo's stories of casework, as data: each testing site's practical test, the five
fictional cases of a first cycle and two of the next, the vignette with what each actor does
at every stage, and which general intervention each other site prepares. Every child, school
year and event is made up; `casework` turns these into rows."""

from cases.models import (
    Closure,
    EventKind,
    Level,
    Outcome,
    RaisedBy,
    ReferralTo,
    StartingPoint,
)
from pilots.models import Actor

S, SO, H = Actor.SCHOOL, Actor.SOCIAL, Actor.HEALTH

# One practical test per testing site: title, starting points, change idea.
TESTS = {
    "malmo": (
        "Gemensam mottagning av nya ärenden på skolan",
        [StartingPoint.EARLY, StartingPoint.NOT_PSYCHIATRISE],
        "Kurator, socialsekreterare och sjuksköterska från vårdcentralen tar emot nya ärenden "
        "tillsammans på skolan varje tisdag.",
    ),
    "uppsala": (
        "Socialsekreterare på plats i elevhälsoteamet",
        [StartingPoint.PROMOTIVE, StartingPoint.EARLY],
        "Socialtjänstens representant deltar i elevhälsoteamets möten varannan vecka och tar "
        "ärenden direkt på skolan.",
    ),
    "umea": (
        "Snabbare första samtal vid oro för skolfrånvaro",
        [StartingPoint.EARLY],
        "Vid tre dagars oanmäld frånvaro ringer mentorn hem samma dag och kuratorn erbjuder "
        "samtal inom en vecka, med hälso- och sjukvården som stöd.",
    ),
    "orebro": (
        "Drop-in för elever som vill söka hjälp själva",
        [StartingPoint.SEEK_HELP, StartingPoint.EARLY],
        "En öppen mottagning två eftermiddagar i veckan där eleven själv kan träffa kurator, "
        "skolsköterska eller ungdomsmottagningens personal.",
    ),
    "linkoping": (
        "Samordnat stöd vid nedstämdhet innan remiss",
        [StartingPoint.NOT_PSYCHIATRISE, StartingPoint.EARLY],
        "Innan en remiss till BUP skrivs gör de tre aktörerna en gemensam bedömning och "
        "erbjuder stöd på skolan i fyra veckor.",
    ),
}

# Five fictional cases per test: (school year, raised by, concerns, first contact offset in
# days from 10 September 2018, timeline [(day, actor, kind, level, minutes)], consents given
# to, closing (closure, referred to, outcome, day) or None while open).
CASES = [
    (
        8,
        RaisedBy.CHILD,
        ["worry", "sleep"],
        0,
        [
            (0, S, EventKind.CONTACT, Level.INDIVIDUAL, 20),
            (3, S, EventKind.CONVERSATION, Level.INDIVIDUAL, 45),
            (10, H, EventKind.CONSULTATION, Level.INDIVIDUAL, 30),
            (17, S, EventKind.FOLLOW_UP, Level.INDIVIDUAL, 30),
        ],
        [S, H],
        (Closure.RESOLVED, "", Outcome.IMPROVED, 35),
    ),
    (
        7,
        RaisedBy.SCHOOL_STAFF,
        ["absence", "family"],
        4,
        [
            (4, S, EventKind.CONTACT, Level.INDIVIDUAL, 15),
            (6, S, EventKind.GUARDIAN_MEETING, Level.INDIVIDUAL, 60),
            (11, SO, EventKind.JOINT_MEETING, Level.INDIVIDUAL, 60),
            (12, SO, EventKind.INTERVENTION, Level.INDIVIDUAL, 60),
            (25, H, EventKind.CONSULTATION, Level.INDIVIDUAL, 20),
        ],
        [S, SO, H],
        (Closure.RESOLVED, "", Outcome.IMPROVED, 48),
    ),
    (
        9,
        RaisedBy.GUARDIAN,
        ["low_mood", "self_harm"],
        9,
        [
            (9, S, EventKind.CONTACT, Level.INDIVIDUAL, 30),
            (10, H, EventKind.ASSESSMENT, Level.INDIVIDUAL, 60),
            (16, H, EventKind.SIP_MEETING, Level.INDIVIDUAL, 90),
        ],
        [S, SO, H],
        (Closure.REFERRED, ReferralTo.CAMHS, Outcome.UNKNOWN, 30),
    ),
    (
        6,
        RaisedBy.STUDENT_HEALTH,
        ["somatic", "stress"],
        15,
        [
            (15, S, EventKind.CONTACT, Level.INDIVIDUAL, 20),
            (22, S, EventKind.GROUP_INTERVENTION, Level.GROUP, 60),
            (29, S, EventKind.GROUP_INTERVENTION, Level.GROUP, 60),
        ],
        [S],
        (Closure.RESOLVED, "", Outcome.IMPROVED, 50),
    ),
    (
        8,
        RaisedBy.CHILD,
        ["relations", "worry"],
        22,
        [
            (22, S, EventKind.CONTACT, Level.INDIVIDUAL, 20),
            (30, SO, EventKind.CONVERSATION, Level.INDIVIDUAL, 45),
        ],
        [S, SO],
        None,
    ),
]

# The second cycle has just started: two open cases.
NEXT_CYCLE_CASES = [
    (
        7,
        RaisedBy.CHILD,
        ["stress"],
        80,
        [
            (80, S, EventKind.CONTACT, Level.INDIVIDUAL, 20),
            (82, S, EventKind.CONVERSATION, Level.INDIVIDUAL, 40),
        ],
        [S],
        None,
    ),
    (
        9,
        RaisedBy.SCHOOL_STAFF,
        ["absence"],
        84,
        [(84, S, EventKind.CONTACT, Level.INDIVIDUAL, 15)],
        [],
        None,
    ),
]

VIGNETTE = {
    "title": "Alex, 14 år: ont i magen och borta från skolan (demo)",
    "introduction": (
        "Ett påhittat ärende i tre steg för arbetsgruppen att diskutera tillsammans. "
        "Alex finns inte; likheter med verkliga personer är oavsiktliga."
    ),
    "stages": [
        (
            "Signalen",
            "Alex går i åk 8. Mentorn ser att Alex har varit borta en dag i veckan sedan "
            "höstlovet och ofta går till skolsköterskan för ont i magen.",
        ),
        (
            "Det växer",
            "Efter tre veckor berättar Alex för kuratorn att det är bråkigt hemma och att det är "
            "svårt att sova. Vårdnadshavaren ringer skolan och är orolig.",
        ),
        (
            "Vad gör vi nu?",
            "Frånvaron har ökat till halva tiden. Vårdnadshavaren undrar om Alex borde till BUP.",
        ),
    ],
}

VIGNETTE_ANSWERS = {
    S: [
        "Mentorn pratar med Alex och skolsköterskan; frånvaron tas upp i elevhälsoteamet.",
        "Kuratorn erbjuder stödsamtal och frågar om samtycke att ta in socialtjänsten.",
        "Elevhälsan gör en kartläggning av frånvaron och anpassar skoldagen.",
    ],
    SO: [
        "Ingen åtgärd ännu; finns med i elevhälsoteamet för konsultation.",
        "Med samtycke: samtal med vårdnadshavare om stöd i hemmet, utan utredning.",
        "Erbjuder familjebehandling på skolan som första linjens insats.",
    ],
    H: [
        "Skolsköterskan utesluter kroppsliga orsaker och frågar om sömn och oro.",
        "Sjuksköterska från vårdcentralen erbjuder råd om sömn.",
        "Gemensam bedömning innan remiss; SIP om flera insatser behövs.",
    ],
}

PROGRAMME_FOR = {
    "sundsvall": "PALS",
    "karlstad": "YAM",
    "boras": "PALS",
    "gavle": "YAM",
    "vaxjo": "YAM",
}
