"""Workshop handouts from tagged, pseudonymised cases: HTML, PDF and Word.

    >>> renderer = Renderer.build()                              # doctest: +SKIP
    >>> files, seconds = renderer.case_files(tagged, ("html",))  # doctest: +SKIP

Per case a participants' and a trainer's handout; per session an overview.
Only a :class:`~leerwerkplaats.core.cases.TaggedCase` is accepted (fail closed),
and every template is rendered with autoescape on. See ``docs/handouts.md``.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from leerwerkplaats.core.cases import TaggedCase
from leerwerkplaats.core.io_atomic import write_bytes_atomic
from leerwerkplaats.handouts import costs
from leerwerkplaats.handouts import html as html_mod
from leerwerkplaats.handouts.case_context import case_context
from leerwerkplaats.handouts.library_index import library_context
from leerwerkplaats.handouts.questions import Questions, load_cached
from leerwerkplaats.handouts.session import session_context

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("html", "pdf", "docx")
AUDIENCES: tuple[str, ...] = ("deelnemers", "trainer")
SESSION_STEM = "sessie"
LIBRARY_INDEX = "index.html"
#: Every file name a handout run writes into a case folder (used to clean up after a failure).
CASE_FILES: tuple[str, ...] = tuple(f"{a}.{f}" for a in AUDIENCES for f in FORMATS)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A folder name for a case: letters, digits, ``._-``; never empty, never hidden."""
    out = _UNSAFE.sub("_", name).strip("._") or "casus"
    return out[:80]


def parse_formats(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")`` in canonical order; raises ``ValueError`` for unknown ones."""
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = {v.strip().lower() for v in items if v.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise ValueError(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}; choose from html, pdf, docx")
    return tuple(f for f in FORMATS if f in wanted)


@dataclass
class Renderer:
    """Templates, questions and tariffs, loaded once; renders case and session files."""

    env: jinja2.Environment
    questions: Questions
    tariffs: dict[str, costs.Tariff]

    @classmethod
    def build(cls, templates: str | Path | None = None, tarieven: str | Path | None = None,
              vragen: str | Path | None = None) -> Renderer:
        """Load everything a render needs; errors name the file at fault."""
        return cls(html_mod.environment(templates), load_cached(str(vragen) if vragen else None),
                   costs.load_tariffs(tarieven))

    def case_files(self, tagged: TaggedCase, formats: tuple[str, ...],
                   audiences: tuple[str, ...] = AUDIENCES) -> tuple[dict[str, bytes], dict[str, float]]:
        """``({file name: bytes}, {format: seconds})`` for the handouts of one case (both by default)."""
        files: dict[str, bytes] = {}
        seconds = {f: 0.0 for f in formats}
        for audience in audiences:
            t0 = time.perf_counter()
            ctx = case_context(tagged, self.questions, self.tariffs, trainer=audience == "trainer")
            # HTML is laid out only when asked for, or as the source of the PDF
            page = html_mod.render(self.env, audience, ctx) if {"html", "pdf"} & set(formats) else ""
            t1 = time.perf_counter()
            seconds["html" if "html" in seconds else formats[0]] += t1 - t0
            self._formats(files, seconds, audience, page, ctx, formats, "case")
        return files, seconds

    def library_files(self, cases: list[TaggedCase], formats: tuple[str, ...],
                      failed: int = 0) -> dict[str, bytes]:
        """The library page (``index.html``): one card per case, linking to its handouts."""
        ctx = library_context(cases, [safe_name(c.case.name) for c in cases], formats, failed)
        return {LIBRARY_INDEX: html_mod.render(self.env, "bibliotheek", ctx).encode("utf-8")}

    def session_files(self, cases: list[TaggedCase], formats: tuple[str, ...], failed: int = 0,
                      reasons: list[str] | None = None,
                      theme: tuple[str, ...] = ()) -> tuple[dict[str, bytes], dict[str, float]]:
        """The session overview over ``cases`` (in that order), with why each was chosen and the theme."""
        t0 = time.perf_counter()
        ctx = session_context(cases, self.questions, failed, reasons, theme)
        ctx["cases"] = [dict(c, folder=safe_name(c["name"])) for c in ctx["cases"]]
        page = html_mod.render(self.env, "sessie", ctx)
        seconds = {f: 0.0 for f in formats}
        seconds["html" if "html" in seconds else formats[0]] += time.perf_counter() - t0
        files: dict[str, bytes] = {}
        self._formats(files, seconds, SESSION_STEM, page, ctx, formats, "session")
        return files, seconds

    @staticmethod
    def _formats(files, seconds, stem, page, ctx, formats, kind) -> None:
        if "html" in formats:
            files[f"{stem}.html"] = page.encode("utf-8")
        if "pdf" in formats:
            from leerwerkplaats.handouts.pdf import render_pdf

            t0 = time.perf_counter()
            files[f"{stem}.pdf"] = render_pdf(page)
            seconds["pdf"] += time.perf_counter() - t0
        if "docx" in formats:
            from leerwerkplaats.handouts import docx_render

            t0 = time.perf_counter()
            files[f"{stem}.docx"] = (docx_render.render_case(ctx) if kind == "case"
                                     else docx_render.render_session(ctx))
            seconds["docx"] += time.perf_counter() - t0


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write each file atomically into ``folder``."""
    for name, data in sorted(files.items()):
        write_bytes_atomic(Path(folder) / name, data)
