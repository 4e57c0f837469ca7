"""Analyse series given on standard input with Triad's chart rules, so an improvement advisor
can set Triad's figures beside qicharts2's on their own data.

Input: {"series": [{"values": [..], "denominators": [..] (optional), "chart": "run"|"p"|"u"|"i",
"rules": "anhoej"|"ihi", "freeze": k (optional)}]}. Output: one JSON object per series, one a
line, in the order given (see dashboards.spc.Analysis.as_json)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ...spc import CHARTS, RULES, analyse


def _numbers(raw, name, index):
    if not isinstance(raw, list) or not all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in raw
    ):
        raise CommandError(f"series {index}: {name} must be a list of numbers (or null)")
    return raw


class Command(BaseCommand):
    help = (
        "Read {'series': [{'values': [...], 'denominators': [...], 'chart': 'run|p|u|i', "
        "'rules': 'anhoej|ihi'}]} as JSON on standard input and print each series' analysis "
        "(median or centre, useful points, longest run and its limit, crossings and their "
        "limit, signal, and the limits per point of a control chart) as one JSON line."
    )

    def handle(self, *args, **options):
        try:
            data = json.load(sys.stdin)
        except json.JSONDecodeError as error:
            raise CommandError(f"standard input is not JSON: {error}") from error
        series = data.get("series") if isinstance(data, dict) else None
        if not isinstance(series, list):
            raise CommandError('expected {"series": [...]}')
        for index, item in enumerate(series):
            if not isinstance(item, dict):
                raise CommandError(f"series {index}: expected an object")
            values = _numbers(item.get("values"), "values", index)
            denominators = item.get("denominators")
            if denominators is not None:
                _numbers(denominators, "denominators", index)
                if any(d is not None and d < 0 for d in denominators):
                    raise CommandError(f"series {index}: denominators cannot be negative")
                if len(denominators) != len(values):
                    raise CommandError(f"series {index}: values and denominators differ in length")
            chart = item.get("chart", "run")
            rules = item.get("rules", "anhoej")
            if chart not in CHARTS:
                raise CommandError(f"series {index}: chart must be one of {', '.join(CHARTS)}")
            if rules not in RULES:
                raise CommandError(f"series {index}: rules must be one of {', '.join(RULES)}")
            if chart in ("p", "u") and denominators is None:
                raise CommandError(f"series {index}: a {chart} chart needs denominators")
            freeze = item.get("freeze")
            if freeze is not None and (not isinstance(freeze, int) or freeze < 1):
                raise CommandError(f"series {index}: freeze must be a whole number above 0")
            analysis = analyse(values, denominators, chart=chart, rules=rules, freeze=freeze)
            self.stdout.write(json.dumps(analysis.as_json(), ensure_ascii=False))
