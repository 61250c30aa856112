"""PDF rendering with WeasyPrint, from the same self-contained HTML as the HTML handouts.

The print stylesheet in ``templates/handout.css`` does the page layout (A4,
running header with the title, page numbers). Every HTML handout carries that
stylesheet inline (so the file stands alone); for PDF the inline block is taken
out and parsed once per process (:func:`_stylesheet`), not once per document.
Fonts are subset by WeasyPrint, with HarfBuzz's subsetter when
``libharfbuzz-subset`` is installed (fast) and fontTools otherwise.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _fonts():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _fetch_nothing(url: str, *args, **kwargs):
    """A handout loads nothing from disk or network; only inline ``data:`` URLs pass."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError("handouts load no external resources")


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@lru_cache(maxsize=8)
def _stylesheet(css: str):
    """A parsed stylesheet, once per distinct CSS text (the shipped one, or a user's own)."""
    from weasyprint import CSS

    return CSS(string=css, base_url=None, url_fetcher=_fetch_nothing, font_config=_fonts())


def render_pdf(html: str) -> bytes:
    """Lay out ``html`` (self-contained, CSS inline) and return the PDF bytes."""
    from weasyprint import HTML

    match = _STYLE.search(html)
    sheets = []
    if match:  # the same cascade: the one author stylesheet, parsed once per process
        sheets = [_stylesheet(match.group(1))]
        html = html[:match.start()] + html[match.end():]
    return HTML(string=html, base_url=None, url_fetcher=_fetch_nothing).write_pdf(
        stylesheets=sheets, font_config=_fonts())
