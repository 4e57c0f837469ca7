"""The words of a PDF with their boxes, as poppler's `pdftotext -bbox` finds them (poppler is
already what reads PDFs in these tests, tests/dashboards/pdf_text.py), and the two faults a
reader sees: words drawn over one another, and words outside the page."""

import re
import subprocess
from dataclasses import dataclass
from html import unescape

PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)
# Boxes touching by a hair (kerning, rounding) are not an overlap a reader sees.
TOLERANCE = 0.5


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words(pdf: bytes) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word of every page, and each page's size."""
    run = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True)
    run.check_returncode()
    found, sizes = [], []
    for n, (width, height, body) in enumerate(PAGE.findall(run.stdout.decode())):
        sizes.append((float(width), float(height)))
        for x0, y0, x1, y1, text in WORD.findall(body):
            found.append(Word(n, unescape(text), float(x0), float(y0), float(x1), float(y1)))
    return found, sizes


def overlapping(found: list[Word]) -> list[tuple[Word, Word]]:
    pairs = []
    by_page: dict[int, list[Word]] = {}
    for w in found:
        by_page.setdefault(w.page, []).append(w)
    for page in by_page.values():
        page.sort(key=lambda w: w.x0)
        for i, a in enumerate(page):
            for b in page[i + 1 :]:
                if b.x0 >= a.x1 - TOLERANCE:
                    break
                if min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE and (
                    min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE
                ):
                    pairs.append((a, b))
    return pairs


def outside(found: list[Word], sizes) -> list[Word]:
    return [
        w
        for w in found
        if w.x0 < -TOLERANCE
        or w.y0 < -TOLERANCE
        or w.x1 > sizes[w.page][0] + TOLERANCE
        or w.y1 > sizes[w.page][1] + TOLERANCE
    ]
