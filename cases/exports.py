"""A site's cases as a file, CSV or XLSX: one row per case with its timeline summed up (entries
and minutes, in all and per actor) and its consents. Structured fields only, never free text.

The memory a download takes does not grow with the number of cases:

- The keys of the cases to export are read once, in the file's order (one integer each: 50,000
  cases take about 2 MB). The same list is written to the access record before anything is
  sent (cases.casedata.record_before_sending), so the record and the file name the same cases,
  even when cases are logged while a long download runs.
- The rows are read audit.CHUNK keys at a time: the cases' own columns in one query, their timeline
  and consents grouped by the database in one query each. `.iterator()` cannot do this here:
  with DISABLE_SERVER_SIDE_CURSORS (config/settings/base.py) psycopg fetches a whole result at
  once. Chunks by key need no cursor, work alike on SQLite and PostgreSQL, and each chunk's
  query is a primary-key lookup, however the list was filtered.
- The files are written by infra.spreadsheets, as every export is: the CSV streams, chunk by
  chunk; the XLSX is written by openpyxl's write-only mode to a temporary file, which is then
  sent (infra.uploads.serve_file) and removed once sent. Dates and counts are handed over as
  dates and numbers, so the XLSX holds real ones and the CSV writes them as a Swedish Excel
  reads them.

Everything a cell shows in words (headers, choice labels, test names) is looked up while the
view runs, in the person's language: the CSV's rows are made after the view has returned."""

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from infra import spreadsheets
from pilots.models import Actor

from .audit import among, chunks
from .models import Case, CaseConsent, CaseEvent, Concern, RaisedBy

# The case's own columns a row reads: free texts stay in the database.
FIELDS = (
    "pk",
    "code",
    "practical_test_id",
    "school_id",
    "school_year",
    "raised_by",
    "concerns",
    "first_contact_on",
    "first_intervention_on",
    "sip_started",
    "sip_started_on",
    "closed_on",
    "closure",
    "referred_to",
    "outcome",
)
ORDER = ("-year", "-number")  # the list's own order: newest case numbers first
# Read once: a choices class builds its list of values anew on every call.
ACTORS = tuple(Actor.values)
CONCERNS = tuple(Concern.values)
CHILD = str(RaisedBy.CHILD)


def keys(cases) -> list[int]:
    """The keys of the cases to export, in the file's order."""
    return list(cases.order_by(*ORDER).values_list("pk", flat=True))


@dataclass
class Words:
    """What the cells say in words, looked up once in the person's language."""

    header: list
    labels: dict
    tests: dict
    schools: dict
    yes: str
    no: str

    @classmethod
    def of(cls, site):
        actors = list(Actor)
        return cls(
            header=[
                _("Case code"),
                _("Practical test"),
                _("School"),
                _("School year"),
                _("Raised by"),
                _("Self-referral"),
                _("Concerns"),
                _("First contact"),
                _("First intervention"),
                _("Days to intervention"),
                _("Actors involved"),
                _("Timeline entries"),
                _("Minutes logged"),
                *(_("Timeline entries: %(actor)s") % {"actor": a.label} for a in actors),
                *(_("Minutes: %(actor)s") % {"actor": a.label} for a in actors),
                _("Consent: school and student health"),
                _("Consent: social services"),
                _("Consent: healthcare"),
                _("SIP started"),
                _("SIP started on"),
                _("Closed"),
                _("Closed as"),
                _("Referred to"),
                _("Outcome"),
            ],
            labels={
                **{
                    name: {v: str(label) for v, label in Case._meta.get_field(name).flatchoices}
                    for name in ("school_year", "raised_by", "closure", "referred_to", "outcome")
                },
                "concerns": {v: str(label) for v, label in Concern.choices},
                "actor": {v: str(label) for v, label in Actor.choices},
                "consent": {
                    v: str(label) for v, label in CaseConsent._meta.get_field("status").flatchoices
                },
            },
            tests={t.pk: str(t) for t in site.practical_tests.only("pk", "site", "title", "cycle")},
            schools=dict(site.schools.values_list("pk", "name")),
            yes=_("Yes"),
            no=_("No"),
        )


def _row(case, words, timeline, consents):
    labels = words.labels
    per_actor = timeline.get(case["pk"], {})
    contact, intervention = case["first_contact_on"], case["first_intervention_on"]
    days = (intervention - contact).days if contact and intervention else None
    consent = consents.get(case["pk"], {})
    return [
        case["code"],
        words.tests.get(case["practical_test_id"]),
        words.schools.get(case["school_id"]),
        labels["school_year"].get(case["school_year"], case["school_year"]),
        labels["raised_by"].get(case["raised_by"], case["raised_by"]),
        words.yes if case["raised_by"] == CHILD else words.no,
        "; ".join(labels["concerns"][v] for v in CONCERNS if v in (case["concerns"] or [])),
        contact,
        intervention,
        days,
        "; ".join(labels["actor"][a] for a in ACTORS if a in per_actor),
        sum(n for n, _minutes in per_actor.values()),
        sum(minutes for _n, minutes in per_actor.values()),
        *(per_actor.get(a, (0, 0))[0] for a in ACTORS),
        *(per_actor.get(a, (0, 0))[1] for a in ACTORS),
        *(labels["consent"].get(consent[a], "") if a in consent else "" for a in ACTORS),
        words.yes if case["sip_started"] else words.no,
        case["sip_started_on"],
        case["closed_on"],
        labels["closure"].get(case["closure"], case["closure"]),
        labels["referred_to"].get(case["referred_to"], case["referred_to"]),
        labels["outcome"].get(case["outcome"], case["outcome"]),
    ]


def row_chunks(site, keys, words, size=None):
    """The rows of the cases with these keys, in their order: a list of rows per chunk."""
    for part in chunks(keys, size):
        cases = {c["pk"]: c for c in site.cases.filter(among("pk", part)).values(*FIELDS)}
        timeline: dict[int, dict] = {}
        for entry in (
            CaseEvent.objects.filter(among("case_id", part))
            .values("case_id", "actor")
            .annotate(entries=Count("pk"), minutes=Sum("minutes"))
            .order_by()
        ):
            timeline.setdefault(entry["case_id"], {})[entry["actor"]] = (
                entry["entries"],
                entry["minutes"] or 0,
            )
        consents: dict[int, dict] = {}
        for case_id, actor, status in CaseConsent.objects.filter(
            among("case_id", part)
        ).values_list("case_id", "actor", "status"):
            consents.setdefault(case_id, {})[actor] = status
        yield [_row(cases[pk], words, timeline, consents) for pk in part if pk in cases]


def columns(words) -> list[spreadsheets.Column]:
    return [spreadsheets.Column(heading) for heading in words.header]


def csv_response(site, keys, filename, size=None):
    words = Words.of(site)
    return spreadsheets.csv_response(columns(words), row_chunks(site, keys, words, size), filename)


def xlsx_response(site, keys, filename, title, size=None):
    words = Words.of(site)
    return spreadsheets.xlsx_response(
        columns(words), row_chunks(site, keys, words, size), filename, title
    )
