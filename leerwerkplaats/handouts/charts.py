"""Charts as hand-written SVG, so they print sharp and need no plotting library.

Every text that goes into an SVG is escaped here; the functions return
:class:`markupsafe.Markup` for the templates. Shapes differ per meaning (filled
versus open marks, letters in the marks), so the charts also read in grey.
"""

from __future__ import annotations

from markupsafe import Markup, escape

FONT = "DejaVu Sans, Arial, sans-serif"
INK = "#1d1d1d"
MUTED = "#8a8a8a"
ACCENT = "#1f5fa8"


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg(width: float, height: float, title: str, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" '
            f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" height="{_fmt(height)}" '
            f'font-family="{FONT}" font-size="10"><title>{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def block_timeline(steps, title: str = "Bouwstenen in de tijd") -> Markup:
    """One row per building block (chain order), dots where it occurs in the dossier (begin → eind).

    ``steps`` are :class:`~leerwerkplaats.handouts.view.BlockStep`. Missing blocks
    get a grey name and an open mark.
    """
    label_w, plot_w, row_h, top = 235, 380, 15, 22
    height = top + row_h * len(steps) + 8
    body = [f'<text x="{label_w}" y="12" fill="{INK}">begin dossier</text>',
            f'<text x="{label_w + plot_w}" y="12" text-anchor="end" fill="{INK}">eind dossier</text>']
    for i, step in enumerate(steps):
        y = top + i * row_h + row_h / 2
        colour = INK if step.present else MUTED
        style = "" if step.present else ' font-style="italic"'
        body.append(f'<text x="{label_w - 8}" y="{_fmt(y + 3.5)}" text-anchor="end" fill="{colour}"{style}>'
                    f'{escape(step.name)}</text>')
        if step.present:
            body.append(f'<line x1="{label_w}" y1="{_fmt(y)}" x2="{label_w + plot_w}" y2="{_fmt(y)}" '
                        f'stroke="#c8c8c8" stroke-width="0.6"/>')
        else:
            body.append(f'<text x="{label_w + 4}" y="{_fmt(y + 3)}" font-size="8" fill="{MUTED}" '
                        f'font-style="italic">– ontbreekt –</text>')
        for pos in step.positions:
            x = label_w + pos * plot_w
            body.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{ACCENT}" stroke="{INK}" '
                        f'stroke-width="0.6"/>')
    return _svg(label_w + plot_w + 10, height, title, body)


def bar_chart(items: list[tuple[str, int]], total: int, title: str, unit: str = "casussen") -> Markup:
    """Horizontal bars: ``(label, count)``, count out of ``total``."""
    label_w, plot_w, row_h, top = 230, 300, 16, 6
    height = top + row_h * max(len(items), 1) + 6
    body = []
    if not items:
        body.append(f'<text x="4" y="16" fill="{MUTED}">Niets gevonden.</text>')
    for i, (label, count) in enumerate(items):
        y = top + i * row_h
        w = plot_w * count / max(total, 1)
        body.append(f'<text x="{label_w - 8}" y="{_fmt(y + 11)}" text-anchor="end" fill="{INK}">{escape(label)}</text>')
        body.append(f'<rect x="{label_w}" y="{_fmt(y + 2)}" width="{_fmt(w)}" height="{row_h - 5}" '
                    f'fill="{ACCENT}" stroke="{INK}" stroke-width="0.5"/>')
        body.append(f'<text x="{_fmt(label_w + w + 5)}" y="{_fmt(y + 11)}" fill="{INK}">'
                    f'{count} van {total} {escape(unit)}</text>')
    return _svg(label_w + plot_w + 110, height, title, body)


#: Milestones drawn on the session timeline: label id → (letter, Dutch name).
MILESTONES: tuple[tuple[str, str, str], ...] = (
    ("bouwsteen:signalering", "S", "Signalering"),
    ("bouwsteen:melding_veilig_thuis", "V", "Melding of advies Veilig Thuis"),
    ("bouwsteen:samen_optrekken_gi", "G", "GI sluit aan"),
    ("bouwsteen:opschaling", "O", "Opschaling"),
    ("bouwsteen:maatregel", "M", "Kinderbeschermingsmaatregel"),
    ("bouwsteen:afschaling_nazorg", "N", "Afschaling en nazorg"),
)


def session_timelines(rows: list[tuple[str, dict[str, float]]],
                      title: str = "Tijdlijnen van de casussen") -> Markup:
    """One row per case; a lettered mark where each milestone first occurs (fraction of the dossier)."""
    label_w, plot_w, row_h, top = 110, 470, 22, 20
    height = top + row_h * max(len(rows), 1) + 8
    body = [f'<text x="{label_w}" y="12" fill="{INK}">begin dossier</text>',
            f'<text x="{label_w + plot_w}" y="12" text-anchor="end" fill="{INK}">eind dossier</text>']
    for i, (name, firsts) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        body.append(f'<text x="{label_w - 8}" y="{_fmt(y + 3.5)}" text-anchor="end" fill="{INK}">{escape(name)}</text>')
        body.append(f'<line x1="{label_w}" y1="{_fmt(y)}" x2="{label_w + plot_w}" y2="{_fmt(y)}" '
                    f'stroke="{MUTED}" stroke-width="0.8"/>')
        for label, letter, _ in MILESTONES:
            if label not in firsts:
                continue
            x = label_w + firsts[label] * plot_w
            filled = letter in "OM"  # escalation marks are filled, the rest open
            body.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="7" fill="{ACCENT if filled else "#ffffff"}" '
                        f'stroke="{INK}" stroke-width="0.8"/>')
            body.append(f'<text x="{_fmt(x)}" y="{_fmt(y + 3.5)}" text-anchor="middle" font-weight="bold" '
                        f'fill="{"#ffffff" if filled else INK}">{letter}</text>')
    return _svg(label_w + plot_w + 12, height, title, body)
