"""The programme's real 2018 round as it was held: the four workshops' dates, titles, themes,
invited roles and agendas, and what each workshop asked the sites to deliver."""

import datetime

from pilots.models import Role
from workshops.models import DeliverableKind

ALL = [Role.LEAD, Role.WORKING, Role.STEERING]
WORKING = [Role.LEAD, Role.WORKING]

# (number, date, title, theme, invited roles, agenda)
WORKSHOPS_2018 = [
    (
        1,
        datetime.date(2018, 3, 6),
        "Elevhälsobaserad modell med tidiga insatser för psykisk hälsa",
        "Start för utvecklingsarbetet: modellen, de fyra utgångspunkterna och förankring "
        "hos de tre aktörerna.",
        ALL,
        "Välkommen och presentation av områdena\nDen elevhälsobaserade modellen\n"
        "De fyra utgångspunkterna\nFörankring i styrgrupp och arbetsgrupp\nNästa steg",
    ),
    (
        2,
        datetime.date(2018, 5, 14),
        "Projektplaner, behovsanalys och vinjettarbete",
        "Områdena presenterar sina projektplaner och behovsanalyser och arbetar med vinjetter: "
        "vem gör vad, i varje skede?",
        WORKING,
        "Områdena presenterar sina projektplaner\nBehovsanalysen: vad säger den?\n"
        "Vinjettarbete i blandade grupper\nPlan inför hösten",
    ),
    (
        3,
        datetime.date(2018, 9, 3),
        "Hur gör vi nu tillsammans på skolan med praktiska test?",
        "Att planera praktiska test i små steg (PGSA): vi tar några ärenden och testar i "
        "verkligheten.",
        WORKING,
        "PGSA – planera, göra, studera, agera\nOmrådenas testplaner\n"
        "Generella insatser: PALS och YAM\nStöd mellan områdena",
    ),
    (
        4,
        datetime.date(2018, 12, 4),
        "Hur gick det nu tillsammans på skolan med praktiska test?",
        "Områdena presenterar resultaten av sina praktiska test och vad de tar med sig.",
        ALL,
        "Områdena presenterar resultaten\nVad lärde vi oss?\nHinder: personalomsättning, "
        "lagstiftning, avstånd\nHur går vi vidare?",
    ),
]

# workshop number -> [(kind, title, description)]
DELIVERABLES = {
    2: [
        (
            DeliverableKind.PROJECT_PLAN,
            "Projektplan",
            "Projektplanen som styrgruppen har ställt sig bakom.",
        ),
        (DeliverableKind.NEEDS_ANALYSIS, "Behovsanalys", "Behovsanalysen för områdets skolor."),
        (
            DeliverableKind.VIGNETTE,
            "Vinjettarbete",
            "En vinjett i två eller tre skeden, med vad varje aktör gör i varje skede.",
        ),
    ],
    3: [
        (
            DeliverableKind.TEST_PLAN,
            "Plan för praktiskt test",
            "Syfte, förutsägelse, vem gör vad och när – eller planen för PALS eller YAM.",
        )
    ],
    4: [
        (
            DeliverableKind.TEST_RESULTS,
            "Presentation av testets resultat",
            "Resultatet mot förutsägelsen, och om ni behåller, justerar eller lägger ner.",
        )
    ],
}
