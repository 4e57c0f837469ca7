"""A summary as people read it: the stored payload with its labels in the language of the
request, in the rows the pages, the PDF and the digest show, and the data their charts draw.
Every count of cases passes through cases.disclosure with the viewer: small numbers hidden from
all but the site's leads and working-group members, in the tables and in the charts' data."""

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from cases.disclosure import case_group, disclose, ordered
from cases.models import Decision, ReferralTo, Stage, StartingPoint
from pilots.models import Actor, DocumentKind, Phase

from . import measures
from .figures.caseload import OUTSIDE_TESTS
from .figures.starting_points import KINDS
from .services import LONG_WAIT_DAYS, SPARK_WEEKS

ATTENTION_LABELS = {
    "overdue": gettext_lazy("Overdue deliverables"),
    "no_cases": gettext_lazy("No cases logged"),
    "long_wait": gettext_lazy("Long wait to first intervention"),
}

PLAN_STATES = {
    "approved": gettext_lazy("Approved"),
    "draft": gettext_lazy("Draft, not approved"),
    "missing": gettext_lazy("Not written"),
}

SHORT_STARTING_POINTS = {
    StartingPoint.PROMOTIVE: gettext_lazy("Promotive and preventive work"),
    StartingPoint.EARLY: gettext_lazy("Early interventions at school"),
    StartingPoint.SEEK_HELP: gettext_lazy("Seeking help themselves"),
    StartingPoint.NOT_PSYCHIATRISE: gettext_lazy("Not psychiatrising"),
}


def attention_labels(keys):
    return [(key, ATTENTION_LABELS[key]) for key in keys if key in ATTENTION_LABELS]


def spark(payload):
    """The latest weeks of cases, for the national table's small chart."""
    return [w["n"] for w in payload.get("cases", {}).get("weekly", [])][-SPARK_WEEKS:]


def chart_words():
    """The words the charts' script draws with, in the page's language."""
    return {
        "centre": _("Centre line"),
        "median": _("Median"),
        "limits": _("Control limits"),
        "target": _("Predicted"),
        "outside": _("Outside the limits"),
    }


def number(value):
    """A number as shown in a table: whole if it is whole, else one decimal."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return value


class SummaryView:
    """One summary for people to read, as `viewer` may see it (see cases.disclosure.sees_exact:
    the person's SiteAccess or roles; None for the PDF and everything else that leaves the
    site)."""

    long_wait_days = LONG_WAIT_DAYS

    def __init__(self, summary, viewer=None):
        self.summary = summary
        self.viewer = viewer
        self.p = summary.payload
        self.cases = self.p["cases"]
        self.all = self._group(self.cases["all"])
        self.governance = self.p["governance"]
        self.workshops = self.p["workshops"]
        self.deliverables = self.workshops["deliverables"]
        self.interventions = self.p["interventions"]
        self.tests = self.p["tests"]

    @property
    def built_at(self):
        return self.summary.built_at

    @property
    def phase(self):
        return Phase(self.summary.phase).label

    def attention(self):
        return attention_labels(self.p.get("attention", []))

    def median_days(self):
        return self.all["median_days"]

    # --- Cases ---
    def _group(self, metrics, total=None):
        return case_group(metrics, viewer=self.viewer, site=self.summary.site, total=total)

    def _disclose(self, counts, of):
        return disclose(counts, viewer=self.viewer, site=self.summary.site, of=of)

    @cached_property
    def _rows(self):
        groups = {sp: self.cases["by_starting_point"][sp.value] for sp in StartingPoint}
        groups[OUTSIDE_TESTS] = self.cases[OUTSIDE_TESTS]
        # Cases per starting point add up to the site's count unless a test serves several.
        totals = {key: m["total"] for key, m in groups.items()}
        whole = self.all["total"].data
        shown = self._disclose(totals, whole if sum(totals.values()) <= whole else None)
        rows = [(_("All cases"), self.all)]
        rows += [
            (SHORT_STARTING_POINTS[sp], self._group(groups[sp], shown[sp])) for sp in StartingPoint
        ]
        rows.append(
            (_("Outside practical tests"), self._group(groups[OUTSIDE_TESTS], shown[OUTSIDE_TESTS]))
        )
        return [{"label": label, **f, "median": f["median_days"]} for label, f in rows]

    def case_rows(self):
        """Overall, per starting point, and outside practical tests."""
        return self._rows

    def referrals(self):
        labels = dict(ReferralTo.choices)
        shown = self._disclose(self.cases["referred_to"], self.all["referred"])
        return ordered((labels.get(k, k), n) for k, n in shown.items())

    def consents(self):
        by_actor = self.cases["consent_by_actor"]
        return [
            {
                "actor": a.label,
                # Given, declined and not asked add up to the site's count of cases.
                **self._disclose(
                    by_actor.get(a.value, {"given": 0, "declined": 0}), self.all["total"]
                ),
            }
            for a in Actor
        ]

    def starting_points_drawn(self):
        """Whether the chart per starting point has a bar to draw: hidden counts are not drawn."""
        rows = self._rows[1 : 1 + len(StartingPoint)]
        return any(row[k].data for row in rows for k in ("open", "resolved", "referred"))

    @cached_property
    def hides(self):
        """Whether any figure is hidden: the page then says what "1–4" and "hidden" mean."""
        figures = [f for row in self._rows for f in row.values() if hasattr(f, "hidden")]
        figures += [n for _label, n in self.referrals()]
        figures += [row[k] for row in self.consents() for k in ("given", "declined")]
        return any(f.hidden for f in figures)

    def work_per_starting_point(self):
        """Per starting point, the site's practical tests, general interventions and
        working-group actions that serve it (one may serve several)."""
        counts = self.p.get("starting_points", {})
        rows = []
        for sp in StartingPoint:
            row = {kind: counts.get(sp.value, {}).get(kind, 0) for kind in KINDS}
            rows.append(
                {
                    "label": SHORT_STARTING_POINTS[sp],
                    "title": sp.label,
                    **row,
                    "total": sum(row.values()),
                }
            )
        return rows

    # --- Measures (dashboards.measures) ---
    @cached_property
    def unit(self):
        return measures.choose_unit(self.cases["weekly"], self.cases.get("monthly", []))

    def periods(self):
        return self.cases["weekly"] if self.unit == "week" else self.cases["monthly"]

    def measure_charts(self, *, rules=None, freeze=None, split_on=None, target=None):
        """Every measure's chart. `target`: {measure key: value} drawn as a target line.
        The rules, baseline and phase split come from the site's chart settings unless given."""
        settings = self.chart_settings
        rules = rules or (settings.rules if settings else "anhoej")
        if freeze is None and settings:
            freeze = settings.baseline_points
        if split_on is None and settings and settings.split_on:
            split_on = settings.split_on.isoformat()
        periods = self.periods()
        if not periods:
            return []
        return [
            measures.chart(
                m,
                periods,
                self.unit,
                rules=rules,
                cycles=self.tests.get("cycles", []),
                target=(target or {}).get(m.key),
                split_on=split_on,
                freeze=freeze,
                viewer=self.viewer,
                site=self.summary.site,
            )
            for m in measures.MEASURES
        ]

    chart_settings = None

    @cached_property
    def measures(self):
        return self.measure_charts()

    def run_chart(self):
        """New cases per period, with the rows of its table (the page's and the PDF's)."""
        charts = self.measures
        if not charts:
            return {"weeks": [], "chart": None, "rows": []}
        chart = charts[0]
        return {
            "weeks": self.periods(),
            "chart": chart,
            "unit": self.unit,
            "max": max((v or 0 for v in chart["values"]), default=0) or 1,
            "rows": [
                {
                    "week": label,
                    "n": chart["values"][i],
                    "shift": chart["shift"][i],
                    "trend": chart["trend"][i],
                }
                for i, label in enumerate(chart["labels"])
            ],
        }

    # --- Practical tests ---
    def tests_by_stage(self):
        return [(s.label, self.tests["by_stage"].get(s.value, 0)) for s in Stage]

    def awaiting_decision(self) -> int:
        """Practical tests in the Act step: the steering group decides to adopt, adapt or
        abandon them."""
        return self.tests["by_stage"].get(Stage.ACT.value, 0)

    def tests_total(self) -> int:
        return sum(self.tests["by_stage"].values())

    def tests_by_decision(self):
        return [(d.label, self.tests["by_decision"].get(d.value, 0)) for d in Decision]

    # --- Governance and plans ---
    def groups(self):
        """Members per actor of the working and steering groups."""
        working, steering = self.governance["working"], self.governance["steering"]
        rows = [
            {
                "actor": a.label,
                "working": working.get(a.value, 0),
                "steering": steering.get(a.value, 0),
            }
            for a in Actor
        ]
        other_w, other_s = working.get("", 0), steering.get("", 0)
        if other_w or other_s:
            rows.append(
                {"actor": _("Not tied to an actor"), "working": other_w, "steering": other_s}
            )
        return rows

    def hours(self):
        return [
            {
                "actor": Actor(a).label,
                "set_aside": number(h["set_aside"]),
                "planned": number(h["planned"]),
                "short": h["planned"] > h["set_aside"],
            }
            for a, h in self.governance["hours"].items()
        ]

    def plans(self):
        return [
            {"label": k.label, "state": self.p["plans"].get(k.value, "missing")}
            | {"state_label": PLAN_STATES[self.p["plans"].get(k.value, "missing")]}
            for k in DocumentKind
        ]

    # --- Charts (passed to the page with json_script) ---
    def charts(self):
        # The numbers the chart draws, as the table shows them: a hidden one is not drawn.
        starting_points = [
            (str(row["label"]), row) for row in self._rows[1 : 1 + len(StartingPoint)]
        ]
        return {
            "measures": self.measures,
            "words": chart_words(),
            "starting_points": {
                "labels": [label for label, _m in starting_points],
                "datasets": [
                    {"label": _("Open"), "data": [m["open"].data for _l, m in starting_points]},
                    {
                        "label": pgettext("number of cases", "Resolved at the first line"),
                        "data": [m["resolved"].data for _l, m in starting_points],
                    },
                    {
                        "label": pgettext("number of cases", "Referred onward"),
                        "data": [m["referred"].data for _l, m in starting_points],
                    },
                ],
            },
            "tests": {
                "labels": [str(label) for label, _n in self.tests_by_stage()],
                "datasets": [
                    {"label": _("Practical tests"), "data": [n for _l, n in self.tests_by_stage()]}
                ],
            },
        }
