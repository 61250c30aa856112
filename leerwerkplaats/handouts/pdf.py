"""PDF rendering with WeasyPrint, from the same self-contained HTML as the HTML handouts.

The print stylesheet in ``templates/handout.css`` does the page layout (A4,
running header with the title, page numbers).
"""

from __future__ import annotations

import logging
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


def render_pdf(html: str) -> bytes:
    """Lay out ``html`` (self-contained, CSS inline) and return the PDF bytes."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=_fetch_nothing).write_pdf(font_config=_fonts())
