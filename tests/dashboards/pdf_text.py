"""The words of a PDF as a reader sees them: pdftotext (poppler) where it is installed, else
a reading of what WeasyPrint writes — its text runs of glyph codes, mapped back to characters
through each font's ToUnicode table."""

import re
import shutil
import subprocess
import zlib


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        run = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        return " ".join(run.stdout.decode().split())
    return weasyprint_text(pdf)


def _streams(pdf):
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            yield match.group(1)


def weasyprint_text(pdf: bytes) -> str:
    streams = list(_streams(pdf))
    glyphs = {}
    for data in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for code, char in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                glyphs[code.lower()] = bytes.fromhex(char.decode()).decode("utf-16-be")
    words = []
    for data in streams:
        for run in re.findall(rb"\[(.*?)\]\s*TJ", data, re.S):
            codes = b"".join(re.findall(rb"<([0-9a-fA-F]+)>", run)).lower()
            words.append("".join(glyphs.get(codes[i : i + 4], "") for i in range(0, len(codes), 4)))
    return " ".join(" ".join(words).split())
