"""Everything the national-scale data makes up: the published password and addresses, place,
school and person names, the people of a site, test ideas, and the weighted choices a case is
drawn from. Nothing here names a real person or describes a child."""

import random

from cases.models import EventKind, RaisedBy
from pilots.models import Actor, Phase, Role, SchoolType

PASSWORD = "triad-scale"  # noqa: S105 - the published password of fictional bench data only
DOMAIN = "scale.example.org"
COORDINATOR_EMAIL = f"coordinator@{DOMAIN}"
SLUG_PREFIX = "skala-"
# The big city beside the national-scale sites (seed_scale --city): five years of one large site.
CITY_PREFIX = "storstad-"
CITY_NAME = "Storstaden"

PLACE_STARTS = [
    "Björk", "Ek", "Gran", "Lind", "Ask", "Al", "Hassel", "Rönn", "Sälg", "Tall",
    "Sjö", "Berg", "Dal", "Ny", "Öst", "Väst", "Norr", "Söder", "Mell", "Stor",
    "Lill", "Hög", "Ål", "Sand", "Sten", "Mos", "Kvarn", "Tors", "Fager", "Hav",
]  # fmt: skip
PLACE_ENDS = [
    "vik", "ås", "by", "torp", "köping", "hamn", "sund", "berga", "stad", "holm",
    "näs", "fors", "dala", "lunda", "hult",
]  # fmt: skip
REGION_NAMES = [
    "Norrskogen", "Älvdalen", "Kustlandet", "Mellanbygden", "Sjölandet", "Fjällranden",
    "Slätten", "Skärgården", "Bergslagen", "Höglandet", "Skogsbygden", "Dalgången",
    "Åsen", "Ådalen", "Myrlandet", "Ängsbygden", "Sydkusten", "Västkusten", "Ostkusten",
    "Inlandet", "Gränsbygden",
]  # fmt: skip
SCHOOL_NAMES = [
    "Ängs", "Backa", "Centrum", "Ekdungs", "Furu", "Gläntans", "Hage", "Kyrkbacks",
    "Lärk", "Mo", "Norrgårds", "Park", "Rosen", "Solbergs", "Tall", "Ugglans", "Vass",
    "Åkerns", "Ölands", "Sjövalls",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Sara", "Johan", "Elin", "Per",
    "Emma", "Nils", "Ida", "Olof", "Linnea", "Jonas", "Sofia", "Mikael", "Hanna", "Fredrik",
]  # fmt: skip
LAST_NAMES = [
    "Lindqvist", "Berglund", "Sandberg", "Holm", "Ek", "Nyström", "Dahl", "Lund", "Sjöberg",
    "Forsberg", "Hedlund", "Åberg", "Strand", "Wikström", "Björk", "Falk",
]  # fmt: skip

S, SO, H = Actor.SCHOOL, Actor.SOCIAL, Actor.HEALTH
# (role, actor, title, hours set aside per week or None) for each person of a site.
PEOPLE = [
    (Role.LEAD, S, "Projektledare", None),
    (Role.WORKING, S, "Skolkurator", None),
    (Role.WORKING, S, "Skolsköterska", None),
    (Role.WORKING, S, "Skolpsykolog", None),
    (Role.WORKING, SO, "Socialsekreterare", 8),
    (Role.WORKING, H, "Sjuksköterska, barn- och ungdomshälsan", 6),
    (Role.STEERING, S, "Rektor", None),
    (Role.STEERING, SO, "Enhetschef, individ- och familjeomsorgen", None),
    (Role.STEERING, H, "Verksamhetschef, barn- och ungdomshälsan", None),
]
PHASES = [Phase.TESTING] * 6 + [Phase.PLANNING, Phase.PLANNING, Phase.REPORTING, Phase.PRE_STUDY]
TEST_IDEAS = [
    (
        "Gemensam mottagning av nya ärenden",
        "Kurator, socialsekreterare och sjuksköterska tar emot nya ärenden tillsammans varje vecka.",
    ),
    (
        "Drop-in hos elevhälsan på lunchen",
        "Eleverna kan söka elevhälsan själva utan tidsbokning tre luncher i veckan.",
    ),
    (
        "Konsultation med vården inom en vecka",
        "Skolan får konsultation från barn- och ungdomshälsan inom sju dagar efter första kontakt.",
    ),
    (
        "Tidig vårdnadshavarträff vid frånvaro",
        "Vid upprepad frånvaro träffar skolan och socialtjänsten vårdnadshavarna inom två veckor.",
    ),
]
# Weighted choices, as lists so that random.choice keeps them cheap.
RAISED_BY = (
    [RaisedBy.CHILD] * 22
    + [RaisedBy.GUARDIAN] * 20
    + [RaisedBy.SCHOOL_STAFF] * 28
    + [RaisedBy.STUDENT_HEALTH] * 20
    + [RaisedBy.SOCIAL] * 4
    + [RaisedBy.HEALTH] * 4
    + [RaisedBy.OTHER] * 2
)
FOLLOW_UPS = [
    (EventKind.CONVERSATION, S),
    (EventKind.CONVERSATION, S),
    (EventKind.FOLLOW_UP, S),
    (EventKind.CONSULTATION, H),
    (EventKind.CONSULTATION, SO),
    (EventKind.GUARDIAN_MEETING, S),
    (EventKind.JOINT_MEETING, SO),
    (EventKind.GROUP_INTERVENTION, S),
    (EventKind.INTERVENTION, H),
]
FIRST_INTERVENTIONS = [
    (EventKind.CONVERSATION, S),
    (EventKind.CONVERSATION, S),
    (EventKind.INTERVENTION, S),
    (EventKind.INTERVENTION, H),
    (EventKind.INTERVENTION, SO),
]
SCHOOL_YEARS = {
    SchoolType.PRIMARY: range(0, 7),
    SchoolType.LOWER_SECONDARY: range(7, 10),
    SchoolType.COMPULSORY: range(0, 10),
    SchoolType.UPPER_SECONDARY: range(10, 13),
}
SCHOOL_TYPES = [SchoolType.COMPULSORY, SchoolType.PRIMARY, SchoolType.PRIMARY] + [
    SchoolType.LOWER_SECONDARY,
    SchoolType.UPPER_SECONDARY,
]


def place(index: int) -> str:
    start = PLACE_STARTS[index % len(PLACE_STARTS)]
    end = PLACE_ENDS[(index // len(PLACE_STARTS) + index) % len(PLACE_ENDS)]
    return f"{start}{end}"


def site_naming(g: int, city: bool) -> tuple[str, str, str]:
    """A new site's (place name, tag in organisation names and case code prefix, slug)."""
    if city:
        return (CITY_NAME if g == 1 else f"{CITY_NAME} {g}", f"STAD{g}", f"{CITY_PREFIX}{g}")
    return place(g), f"S{g:05d}", f"{SLUG_PREFIX}{g}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} (fiktiv)"
