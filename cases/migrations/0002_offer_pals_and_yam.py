"""The two general interventions the programme offered from the start, with their fidelity
checklists. Coordinators can add others and edit these in Triad."""

from django.db import migrations

PROGRAMMES = [
    {
        "short_name": "PALS",
        "name": "Skolmodellen PALS",
        "description": (
            "Positivt beteende, lärande och samspel: ett skolövergripande arbete för att främja "
            "positivt beteende och förebygga problemskapande beteende, med gemensamma "
            "förväntningar, bekräftelse och tidiga insatser."
        ),
        "items": [
            "Ett PALS-team med skolledningen är bildat och träffas regelbundet.",
            "Tre till fem positivt formulerade skolövergripande förväntningar är beslutade.",
            "Förväntningarna lärs ut aktivt på alla arenor, inte bara i klassrummet.",
            "Ett gemensamt system för bekräftelse och uppmuntran används av all personal.",
            "Personalen hanterar mindre regelbrott på ett gemensamt, förutsägbart sätt.",
            "Beteendeincidenter registreras och följs upp som underlag för beslut.",
            "Personalen har fått utbildning och handledning av en PALS-handledare.",
            "Vårdnadshavare har informerats om arbetet.",
        ],
    },
    {
        "short_name": "YAM",
        "name": "Youth Aware of Mental Health",
        "description": (
            "Ett klassrumsprogram om psykisk hälsa för 13–17-åringar, med rollspel och samtal, "
            "som leds av utbildade instruktörer under några pass."
        ),
        "items": [
            "Passen leds av en utbildad YAM-instruktör tillsammans med en hjälpinstruktör.",
            "Elevhälsan är informerad och tillgänglig för elever som vill ha stöd under och efter programmet.",
            "Vårdnadshavare har informerats före start.",
            "Alla programmets teman och pass har genomförts enligt manualen.",
            "Rollspel och diskussioner har genomförts med eleverna.",
            "Lärarna är inte med i klassrummet under passen.",
            "Affischerna har satts upp och elevhäftet har delats ut.",
        ],
    },
]


def offer(apps, schema_editor):
    Programme = apps.get_model("cases", "InterventionProgramme")
    Item = apps.get_model("cases", "FidelityItem")
    for spec in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            short_name=spec["short_name"],
            defaults={"name": spec["name"], "description": spec["description"]},
        )
        if created:
            Item.objects.bulk_create(
                Item(programme=programme, position=i, text=text)
                for i, text in enumerate(spec["items"], start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_practical_tests_cases_vignettes_interventions")]

    operations = [migrations.RunPython(offer, migrations.RunPython.noop)]
