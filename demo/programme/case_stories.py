"""The demo's stories of casework, as data: each site's rhythm over the autumn term of 2018
(demo.programme.caseload generates its cases from it), the practical tests of the five testing
sites cycle by cycle, the general intervention each of the other five prepares or runs, and the
vignette with what each actor does at every stage. Every child, school year and event is made
up; `casework` turns these into rows.

The rhythms tell the story the charts should find: Malmö's joint reception cut the days to a
first intervention and resolved more at the first line; Uppsala's social worker in the team
resolved more and got consent; Örebro's drop-in brought more children who came themselves, as
YAM did at Gävle; Umeå's test changed nothing (the site abandoned it), and Linköping, which lost
its project lead over the summer, and the other intervention sites run flat."""

import datetime
from dataclasses import dataclass

from cases.models import Comparator, Decision, PredictedMeasure, Stage, StartingPoint
from demo.programme.caseload import Mix, Rhythm
from pilots.models import Actor

S, SO, H = Actor.SCHOOL, Actor.SOCIAL, Actor.HEALTH
D = datetime.date

# slug -> the site's term. The seed makes the same site draw the same cases every time; each is
# the first, counting up, whose draw shows the rhythm's changes on the
# site's charts and no chance signal elsewhere (a flat site's charts stay quiet), so the story
# reads clearly. tests/dashboards/test_demo.py checks the charts on the seeded data.
RHYTHMS = {
    "malmo": Rhythm(
        seed=2018_41,
        mix=Mix(per_week=6.5, days=11, resolved=0.45, by_child=0.2, consent=0.45),
        changes=(
            (D(2018, 10, 1), Mix(per_week=6.5, days=4, resolved=0.8, by_child=0.2, consent=0.5)),
            (D(2018, 11, 19), Mix(per_week=6.5, days=4, resolved=0.8, by_child=0.2, consent=0.85)),
        ),
    ),
    "uppsala": Rhythm(
        seed=2018_37,
        mix=Mix(per_week=4, days=10, resolved=0.35, by_child=0.15, consent=0.35),
        changes=(
            (D(2018, 9, 24), Mix(per_week=4, days=7, resolved=0.75, by_child=0.15, consent=0.75)),
        ),
    ),
    "umea": Rhythm(
        seed=2018_03, mix=Mix(per_week=3.5, days=8, resolved=0.6, by_child=0.2, consent=0.5)
    ),
    "orebro": Rhythm(
        seed=2018_04,
        mix=Mix(per_week=2.6, days=9, resolved=0.55, by_child=0.12, consent=0.45),
        changes=(
            (D(2018, 9, 17), Mix(per_week=3.8, days=8, resolved=0.6, by_child=0.5, consent=0.45)),
        ),
    ),
    "linkoping": Rhythm(
        seed=2018_05, mix=Mix(per_week=2.6, days=9, resolved=0.5, by_child=0.2, consent=0.5)
    ),
    "sundsvall": Rhythm(
        seed=2018_06, mix=Mix(per_week=2.2, days=9, resolved=0.55, by_child=0.2, consent=0.45)
    ),
    "karlstad": Rhythm(
        seed=2018_07, mix=Mix(per_week=3, days=8, resolved=0.6, by_child=0.25, consent=0.5)
    ),
    "boras": Rhythm(
        seed=2018_08, mix=Mix(per_week=4.5, days=10, resolved=0.5, by_child=0.2, consent=0.4)
    ),
    "gavle": Rhythm(
        seed=2018_17,
        mix=Mix(per_week=2, days=8, resolved=0.55, by_child=0.12, consent=0.5),
        changes=(
            (D(2018, 10, 8), Mix(per_week=3.4, days=8, resolved=0.55, by_child=0.45, consent=0.5)),
        ),
    ),
    "vaxjo": Rhythm(
        seed=2018_10, mix=Mix(per_week=1.8, days=7, resolved=0.65, by_child=0.2, consent=0.55)
    ),
}


@dataclass(frozen=True)
class TestPlan:
    """One practical test as its site planned, ran and judged it. What happened and what the
    study found are written from its cases when they are made (see casework)."""

    title: str
    starting_points: tuple
    change_idea: str
    aim: str
    prediction: str
    measures: str
    who_what_when: str
    planned_cases: int
    starts_on: datetime.date
    stage: str
    cycle: int = 1
    predicted: tuple = ()  # (measure, comparator, value): the prediction in figures
    ends_on: datetime.date | None = None
    deviations: str = ""
    learning: str = ""
    decision: str = ""
    decision_reason: str = ""
    next_steps: str = ""
    decided_on: datetime.date | None = None


MALMO = "Gemensam mottagning av nya ärenden på skolan"
UPPSALA = "Socialsekreterare på plats i elevhälsoteamet"
OREBRO = "Drop-in för elever som vill söka hjälp själva"

# slug -> the site's practical tests, in the order they were planned. A test with cycle > 1
# follows the one before it.
TESTS = {
    "malmo": [
        TestPlan(
            title=MALMO,
            starting_points=(StartingPoint.EARLY, StartingPoint.NOT_PSYCHIATRISE),
            change_idea="Kurator, socialsekreterare och sjuksköterska från vårdcentralen tar emot "
            "nya ärenden tillsammans på skolan varje tisdag.",
            aim="Att barnet får en första insats på skolan snabbare, av rätt aktör.",
            prediction="Med gemensam mottagning får de flesta ärenden en första insats inom en "
            "vecka: medianen blir högst sju dagar från första kontakt.",
            predicted=(PredictedMeasure.DAYS, Comparator.AT_MOST, 7),
            measures="Dagar från första kontakt till första insats; avslutade i första linjen "
            "jämfört med remitterade.",
            who_what_when="Kuratorn tar emot och samordnar; socialsekreteraren och "
            "sjuksköterskan är på skolan varje tisdag. Avstämning varje fredag.",
            planned_cases=25,
            starts_on=D(2018, 10, 1),
            ends_on=D(2018, 11, 9),
            stage=Stage.DONE,
            deviations="Personalbyte hos socialtjänsten mitt i testet; höstlovet gav en vecka "
            "nästan utan nya ärenden.",
            learning="Den gemensamma mottagningen kortar väntan. Där samtycke saknades fick "
            "socialtjänsten och vården vänta: fråga om samtycke vid första samtalet.",
            decision=Decision.ADAPT,
            decision_reason="Arbetssättet fungerar men samtyckesfrågan behöver komma tidigare.",
            next_steps="Samtycke till de andra aktörerna tas upp redan vid första kontakten.",
            decided_on=D(2018, 11, 13),
        ),
        TestPlan(
            title=MALMO,
            cycle=2,
            starting_points=(StartingPoint.EARLY, StartingPoint.NOT_PSYCHIATRISE),
            change_idea="Samtycke till de andra aktörerna tas upp redan vid första kontakten.",
            aim="Att samtycke finns från början, så att rätt aktör kan ta ärendet direkt.",
            prediction="Samtycke till minst en annan aktör finns i 15 av 20 ärenden.",
            predicted=(PredictedMeasure.CONSENT, Comparator.AT_LEAST, 15),
            measures="Andel ärenden med samtycke till minst en annan aktör.",
            who_what_when="Kuratorn frågar om samtycke vid första samtalet och läser upp en kort "
            "text om vad samtycket betyder. Avstämning varje fredag.",
            planned_cases=20,
            starts_on=D(2018, 11, 19),
            stage=Stage.DO,
        ),
    ],
    "uppsala": [
        TestPlan(
            title=UPPSALA,
            starting_points=(StartingPoint.PROMOTIVE, StartingPoint.EARLY),
            change_idea="Socialtjänstens representant deltar i elevhälsoteamets möten varje vecka "
            "och tar ärenden direkt på skolan.",
            aim="Att fler ärenden kan lösas i första linjen, utan remiss.",
            prediction="Minst 14 av 20 ärenden avslutas i första linjen.",
            predicted=(PredictedMeasure.RESOLVED, Comparator.AT_LEAST, 14),
            measures="Avslutade i första linjen jämfört med remitterade; samtycke till "
            "socialtjänsten.",
            who_what_when="Socialsekreteraren är med på elevhälsoteamets möte varje onsdag och "
            "har samtal på skolan samma eftermiddag.",
            planned_cases=20,
            starts_on=D(2018, 9, 24),
            ends_on=D(2018, 11, 2),
            stage=Stage.DONE,
            deviations="Socialsekreteraren var sjuk en vecka i oktober.",
            learning="När socialsekreteraren finns i teamet ges samtycke och stöd till familjen "
            "direkt, och färre ärenden går vidare.",
            decision=Decision.ADOPT,
            decision_reason="Förutsägelsen höll; arbetssättet blir ordinarie på båda skolorna.",
            next_steps="Socialsekreteraren håller också samtalsgrupper för elever på skolan.",
            decided_on=D(2018, 11, 6),
        ),
        TestPlan(
            title=UPPSALA,
            cycle=2,
            starting_points=(StartingPoint.PROMOTIVE, StartingPoint.EARLY),
            change_idea="Socialsekreteraren håller också samtalsgrupper för elever på skolan.",
            aim="Att eleverna får en första insats snabbare, i grupp när det passar.",
            prediction="Medianen från första kontakt till första insats blir högst fem dagar.",
            predicted=(PredictedMeasure.DAYS, Comparator.AT_MOST, 5),
            measures="Dagar från första kontakt till första insats.",
            who_what_when="Kurator och socialsekreterare leder en samtalsgrupp varje torsdag.",
            planned_cases=15,
            starts_on=D(2018, 11, 12),
            ends_on=D(2018, 12, 14),
            stage=Stage.STUDY,
        ),
    ],
    "umea": [
        TestPlan(
            title="Snabbare första samtal vid oro för skolfrånvaro",
            starting_points=(StartingPoint.EARLY,),
            change_idea="Vid tre dagars oanmäld frånvaro ringer mentorn hem samma dag och "
            "kuratorn erbjuder samtal inom en vecka, med hälso- och sjukvården som stöd.",
            aim="Att elever med begynnande frånvaro får ett första samtal inom en vecka.",
            prediction="Medianen från första kontakt till första insats blir högst fem dagar.",
            predicted=(PredictedMeasure.DAYS, Comparator.AT_MOST, 5),
            measures="Dagar från första kontakt till första insats.",
            who_what_when="Mentorerna ringer hem; kuratorn bokar samtal; skolsköterskan stöttar.",
            planned_cases=15,
            starts_on=D(2018, 10, 8),
            ends_on=D(2018, 11, 16),
            stage=Stage.DONE,
            deviations="Mentorerna hann inte ringa samma dag; kuratorn fick ta över samtalen.",
            learning="Väntan blev inte kortare: flaskhalsen var kuratorns tid, inte hur "
            "ärendena kom in.",
            decision=Decision.ABANDON,
            decision_reason="Testet gav ingen skillnad mot hur det var innan.",
            next_steps="Pröva ett närvaroteam där socialtjänsten tar en del av samtalen.",
            decided_on=D(2018, 11, 20),
        ),
        TestPlan(
            title="Närvaroteam med socialtjänsten",
            starting_points=(StartingPoint.EARLY, StartingPoint.PROMOTIVE),
            change_idea="Ett närvaroteam med kurator och socialsekreterare tar emot ärenden om "
            "frånvaro tillsammans.",
            aim="Att ärenden om frånvaro delas mellan kuratorn och socialtjänsten.",
            prediction="Hälften av ärendena om frånvaro får en första insats inom fem dagar.",
            measures="Dagar från första kontakt till första insats, för ärenden om frånvaro.",
            who_what_when="Närvaroteamet träffas varje måndag från vårterminens start.",
            planned_cases=10,
            starts_on=D(2019, 1, 14),
            stage=Stage.PLAN,
        ),
    ],
    "orebro": [
        TestPlan(
            title=OREBRO,
            starting_points=(StartingPoint.SEEK_HELP, StartingPoint.EARLY),
            change_idea="En öppen mottagning två eftermiddagar i veckan där eleven själv kan "
            "träffa kurator, skolsköterska eller ungdomsmottagningens personal.",
            aim="Att fler elever söker hjälp själva, tidigt.",
            prediction="Minst 6 av 15 ärenden tas upp av eleven själv.",
            predicted=(PredictedMeasure.SELF, Comparator.AT_LEAST, 6),
            measures="Andel ärenden som eleven själv tog upp.",
            who_what_when="Drop-in tisdagar och torsdagar efter lunch på Vivallaskolan.",
            planned_cases=15,
            starts_on=D(2018, 9, 17),
            ends_on=D(2018, 10, 26),
            stage=Stage.DONE,
            deviations="Ungdomsmottagningen kunde bara komma varannan vecka.",
            learning="Eleverna kommer när mottagningen är öppen och känd; affischer i "
            "klassrummen hjälpte.",
            decision=Decision.ADOPT,
            decision_reason="Fler elever kom själva, som vi trodde.",
            next_steps="Drop-in även på Örnsro skola.",
            decided_on=D(2018, 10, 30),
        ),
        TestPlan(
            title=OREBRO,
            cycle=2,
            starting_points=(StartingPoint.SEEK_HELP, StartingPoint.EARLY),
            change_idea="Drop-in även på Örnsro skola.",
            aim="Att elever på båda skolorna kan söka hjälp själva.",
            prediction="Minst 8 av 20 ärenden tas upp av eleven själv, på båda skolorna.",
            predicted=(PredictedMeasure.SELF, Comparator.AT_LEAST, 8),
            measures="Andel ärenden som eleven själv tog upp.",
            who_what_when="Drop-in på Örnsro skola onsdagar efter lunch.",
            planned_cases=20,
            starts_on=D(2018, 11, 5),
            stage=Stage.DO,
        ),
    ],
    "linkoping": [
        TestPlan(
            title="Samordnat stöd vid nedstämdhet innan remiss",
            starting_points=(StartingPoint.NOT_PSYCHIATRISE, StartingPoint.EARLY),
            change_idea="Innan en remiss till BUP skrivs gör de tre aktörerna en gemensam "
            "bedömning och erbjuder stöd på skolan i fyra veckor.",
            aim="Att färre ärenden om nedstämdhet remitteras innan stöd på skolan har prövats.",
            prediction="Minst 8 av 12 ärenden avslutas i första linjen.",
            predicted=(PredictedMeasure.RESOLVED, Comparator.AT_LEAST, 8),
            measures="Avslutade i första linjen jämfört med remitterade.",
            who_what_when="Gemensam bedömning varannan fredag; kuratorn håller ihop stödet.",
            planned_cases=12,
            starts_on=D(2018, 10, 15),
            ends_on=D(2018, 11, 30),
            stage=Stage.ACT,
            deviations="Den nya projektledaren började i augusti; testet kom i gång senare än "
            "planerat.",
            learning="Den gemensamma bedömningen tar tid att boka; en fast tid i veckan behövs.",
        ),
    ],
}

# slug -> the general intervention the site prepares or runs: (programme, status, its groups
# [(name, pupils; None for the school's own count)], which groups in words, starts on, ends on,
# sessions [(held on, pupils present)]). Each session is for all the groups; a group's pupils
# are reached once, however many sessions it has had.
INTERVENTIONS = {
    "sundsvall": (
        "PALS",
        "preparing",
        [("Hela skolan", None)],
        "Hela skolan, från vårterminen",
        D(2019, 1, 8),
        None,
        [],
    ),
    "karlstad": (
        "YAM",
        "running",
        [("8A", 24), ("8B", 25), ("8C", 23), ("8D", 24)],
        "Alla klasser i åk 8",
        D(2018, 10, 8),
        None,
        [(D(2018, 10, 8), 96), (D(2018, 10, 15), 92), (D(2018, 10, 22), 88)],
    ),
    "boras": (
        "PALS",
        "preparing",
        [("Hela skolan", None)],
        "Hela skolan, från vårterminen",
        D(2019, 1, 14),
        None,
        [],
    ),
    "gavle": (
        "YAM",
        "completed",
        [("7A", 25), ("7B", 25), ("7C", 24)],
        "Alla klasser i åk 7",
        D(2018, 10, 8),
        D(2018, 10, 22),
        [(D(2018, 10, 8), 74), (D(2018, 10, 15), 71), (D(2018, 10, 22), 73)],
    ),
    "vaxjo": (
        "YAM",
        "preparing",
        [("9A", 26), ("9B", 25), ("9C", 27)],
        "Klasserna i åk 9, från vårterminen",
        D(2019, 2, 4),
        None,
        [],
    ),
}
PROGRAMME_FOR = {slug: spec[0] for slug, spec in INTERVENTIONS.items()}

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
