"""Charts as hand-written SVG, so they print sharp and need no plotting library.

Every text that goes into an SVG is escaped here; the functions return
:class:`markupsafe.Markup` for the templates. Shapes differ per meaning (filled
versus open marks, letters in the marks), so the charts also read in grey.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from leerwerkplaats.core.dates import MONTH_ABBR_OUT
from leerwerkplaats.handouts import weergave

FONT = "DejaVu Sans, Arial, sans-serif"
INK = "#1d1d1d"
MUTED = "#8a8a8a"
ACCENT = "#1f5fa8"


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg(width: float, height: float, title: str, body: list[str], font_size: float = 10) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" '
            f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" height="{_fmt(height)}" '
            f'font-family="{FONT}" font-size="{_fmt(font_size)}"><title>{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def block_timeline(steps, title: str = "Bouwstenen in de tijd") -> Markup:
    """One row per building block (chain order), dots where it occurs in the dossier (begin → eind).

    ``steps`` are :class:`~leerwerkplaats.handouts.view.BlockStep`. Missing blocks
    get a grey name and an open mark.
    """
    plot_w, row_h, top = 380, 15, 22
    label_w = max([text_width(s.name) for s in steps] + [60]) + 12
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


#: Width of one character at font-size 10 in DejaVu Sans, generous (capitals and wide letters).
CHAR_W = 6.4


def text_width(text: str, size: float = 10) -> float:
    """A safe upper estimate of the drawn width of ``text`` (no font metrics at hand)."""
    return len(text) * CHAR_W * size / 10


def bar_chart(items: list[tuple[str, int]], total: int, title: str, unit: str = "casussen") -> Markup:
    """Horizontal bars: ``(label, count)``, count out of ``total``.

    The label column is as wide as the longest label, so no label is cut off on the left.
    """
    plot_w, row_h, top = 260, 16, 6
    label_w = max([text_width(label) for label, _ in items] + [60]) + 12
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
    return _svg(label_w + plot_w + text_width(f"{total} van {total} {unit}") + 12, height, title, body)


#: Milestones drawn on the session timeline: label id → (letter, Dutch name).
MILESTONES: tuple[tuple[str, str, str], ...] = (
    ("bouwsteen:signalering", "S", "Signalering"),
    ("bouwsteen:melding_veilig_thuis", "V", "Melding of advies Veilig Thuis"),
    ("bouwsteen:samen_optrekken_gi", "G", "GI sluit aan"),
    ("bouwsteen:opschaling", "O", "Opschaling"),
    ("bouwsteen:maatregel", "M", "Kinderbeschermingsmaatregel"),
    ("bouwsteen:afschaling_nazorg", "N", "Afschaling en nazorg"),
)
#: Print sizes. A chart is at most :data:`PRINT_WIDTH` user units wide, the width of the A4 text column in
#: CSS pixels, so it is never scaled down; :data:`PRINT_FONT` user units (CSS px) is 8.25 pt on paper.
PRINT_WIDTH = 640
PRINT_FONT = 11
MARK_R = 9.0
#: Room between a row's name and the first mark of the row, beyond the mark's radius.
NAME_GAP = 8
DAYS_PER_MONTH = 30.44


def _month_ticks(longest: int) -> list[tuple[float, str]]:
    """``(fraction of the axis, label)`` every month (or every 2, 3, 6, 12 months), at most eight."""
    months = longest / DAYS_PER_MONTH
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= 8), 12 * (int(months) // 96 + 1))
    out, k = [], step
    while k * DAYS_PER_MONTH <= longest:
        out.append((k * DAYS_PER_MONTH / longest, f"{k} mnd" if k < 12 or k % 12 else f"{k // 12} jr"))
        k += step
    return out


def _legend(items: list[tuple[str, bool, str]], y: float, width: float) -> tuple[list[str], float]:
    """A row (wrapping) of ``(letter, filled, explanation)`` marks; returns the SVG and the height used."""
    body, x, r = [], 4.0, MARK_R - 2
    for letter, filled, name in items:
        w = 2 * r + 5 + text_width(name, PRINT_FONT) + 12
        if x + w > width and x > 4:
            x, y = 4.0, y + 2 * r + 6
        cx, cy = x + r, y + r
        body.append(f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(r)}" fill="{ACCENT if filled else "#ffffff"}" '
                    f'stroke="{INK}" stroke-width="0.8"/>')
        if letter:
            body.append(f'<text x="{_fmt(cx)}" y="{_fmt(cy + 3.8)}" text-anchor="middle" font-weight="bold" '
                        f'fill="{"#ffffff" if filled else INK}">{escape(letter)}</text>')
        body.append(f'<text x="{_fmt(cx + r + 5)}" y="{_fmt(cy + 4)}" fill="{INK}">{escape(name)}</text>')
        x += w
    return body, y + 2 * r + 4


def session_timelines(rows: list[tuple[str, dict[str, float]]], title: str = "Tijdlijnen van de casussen",
                      ends: tuple[str, str] = ("begin dossier", "eind dossier"), longest: int = 0) -> Markup:
    """One row per case; a lettered mark where each milestone first occurs (0–1 along the axis).

    ``ends`` names the two ends of the axis; with ``longest`` (days) the axis gets month ticks. The
    marks of a row are drawn in date order, marks that would overlap stack above the axis, the names
    keep :data:`NAME_GAP` from the first mark, and a legend under the axis says what each mark means.
    Every text is at least :data:`PRINT_FONT` units, and the chart is never wider than :data:`PRINT_WIDTH`.
    """
    top, row_h, lane_h = 6 + MARK_R, 2 * MARK_R + 5, 2 * MARK_R + 2
    label_w = max([text_width(name, PRINT_FONT) for name, _ in rows] + [60]) + 6
    x0 = label_w + MARK_R + NAME_GAP
    plot_w = PRINT_WIDTH - x0 - MARK_R - 4
    lanes_per_row = []
    for _, firsts in rows:
        xs = sorted(x0 + firsts[label] * plot_w for label, _, _ in MILESTONES if label in firsts)
        lanes_per_row.append(max(event_lanes(xs, 2 * MARK_R + 2), default=0) + 1 if xs else 1)
    height = top + sum(row_h + lane_h * (n - 1) for n in lanes_per_row)
    body = []
    y_row = top
    for i, ((name, firsts), n_lanes) in enumerate(zip(rows, lanes_per_row)):
        h = row_h + lane_h * (n_lanes - 1)
        y = y_row + h - row_h / 2  # the axis of the row; marks that would overlap stack above it
        if i % 2 == 0:  # a band behind every other row: a stack of marks visibly belongs to its own case
            body.append(f'<rect class="band" x="0" y="{_fmt(y_row - 2)}" width="{PRINT_WIDTH}" height="{_fmt(h + 1)}" '
                        f'fill="#f1f1f1"/>')
        y_row += h
        body.append(f'<text x="{_fmt(label_w)}" y="{_fmt(y + 4)}" text-anchor="end" fill="{INK}">{escape(name)}</text>')
        body.append(f'<line x1="{_fmt(x0)}" y1="{_fmt(y)}" x2="{_fmt(x0 + plot_w)}" y2="{_fmt(y)}" '
                    f'stroke="{MUTED}" stroke-width="0.8"/>')
        order = {label: i for i, (label, _, _) in enumerate(MILESTONES)}
        marks = sorted((x0 + firsts[label] * plot_w, order[label], letter) for label, letter, _ in MILESTONES
                       if label in firsts)  # date order; the chain order breaks a tie
        for (x, _, letter), lane in zip(marks, event_lanes([x for x, _, _ in marks], 2 * MARK_R + 2)):
            cy = y - lane_h * lane
            filled = letter in "OM"  # escalation marks are filled, the rest open
            body.append(f'<circle class="mark" cx="{_fmt(x)}" cy="{_fmt(cy)}" r="{_fmt(MARK_R)}" '
                        f'fill="{ACCENT if filled else "#ffffff"}" stroke="{INK}" stroke-width="0.8"/>')
            body.append(f'<text x="{_fmt(x)}" y="{_fmt(cy + 4)}" text-anchor="middle" font-weight="bold" '
                        f'fill="{"#ffffff" if filled else INK}">{letter}</text>')
    axis_y = height
    body.append(f'<line x1="{_fmt(x0)}" y1="{_fmt(axis_y)}" x2="{_fmt(x0 + plot_w)}" y2="{_fmt(axis_y)}" '
                f'stroke="{INK}" stroke-width="1"/>')
    labels = [(0.0, ends[0], "start"), (1.0, ends[1], "end")]
    labels += [(f, t, "middle") for f, t in (_month_ticks(longest) if longest else [])]
    body += _tick_labels(labels, x0, plot_w, axis_y, height)
    names = weergave.data()["grafiek"]["mijlpalen"]
    legend, bottom = _legend([(letter, letter in "OM", names.get(label, name)) for label, letter, name in MILESTONES],
                             axis_y + 3 * PRINT_FONT + 8, PRINT_WIDTH)
    body = [f'<line x1="{_fmt(x0 + f * plot_w)}" y1="{top - 4}" x2="{_fmt(x0 + f * plot_w)}" y2="{_fmt(axis_y)}" '
            f'stroke="#dddddd" stroke-width="0.5"/>' for f, _, a in labels if a == "middle"] + body
    return _svg(PRINT_WIDTH, bottom + 4, title, body + legend, PRINT_FONT)


def _tick_labels(labels: list[tuple[float, str, str]], x0: float, plot_w: float, axis_y: float,
                 height: float = 0) -> list[str]:
    """Tick marks and labels under an axis: the ticks on the first row, the two ends on a second row.

    A tick label that would come within 6 units of one already placed is left out.
    """
    body, placed = [], []
    for f, text, anchor in labels:
        x = x0 + f * plot_w
        w = text_width(text, PRINT_FONT)
        left = {"start": x, "end": x - w, "middle": x - w / 2}[anchor]
        row = 2 if anchor != "middle" else 1
        if row == 1 and any(left < b + 6 and a < left + w + 6 for a, b in placed):
            continue
        if row == 1:
            placed.append((left, left + w))
        body.append(f'<line x1="{_fmt(x)}" y1="{_fmt(axis_y)}" x2="{_fmt(x)}" y2="{_fmt(axis_y + 4)}" '
                    f'stroke="{INK}" stroke-width="0.8"/>')
        fill = INK if row == 1 else MUTED
        body.append(f'<text x="{_fmt(x)}" y="{_fmt(axis_y + 2 + row * (PRINT_FONT + 2))}" text-anchor="{anchor}" '
                    f'fill="{fill}">{escape(text)}</text>')
    return body


EVENT_R = 7.0


def _ticks(first, last) -> list[tuple[object, str]]:
    """Month (or year) ticks between two dates, at most about eight."""
    import datetime as dt

    months = (last.year - first.year) * 12 + last.month - first.month
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 8), 12 * (months // 96 + 1))
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        if (y * 12 + m - 1) % step == 0:  # quarters start in jan, apr, …; years in january
            day = dt.date(y, m, 1)
            if first <= day <= last:
                out.append((day, str(y) if step >= 12 else f"{MONTH_ABBR_OUT[m - 1]} {y}"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def event_lanes(xs: list[float], gap: float = 2 * EVENT_R + 2) -> list[int]:
    """Lane per mark so that no two marks in a lane are closer than ``gap`` (``xs`` ascending)."""
    lane_end: list[float] = []
    out = []
    for x in xs:
        for i, end in enumerate(lane_end):
            if x - end >= gap:
                lane_end[i] = x
                out.append(i)
                break
        else:
            lane_end.append(x)
            out.append(len(lane_end) - 1)
    return out


def event_timeline(events, title: str = "Tijdlijn", trainer: bool = True) -> Markup:
    """Numbered marks on a real time axis (``events`` in date order; number = position in the list + 1).

    Events with an unsure date are left off the axis (their number is skipped, as in the table).

    Marks close in time stack upwards instead of hiding each other. For the
    trainer, events at a building block or signal are filled and the rest open;
    for participants (``trainer=False``) every mark is open. A legend under the
    month ticks says what the marks mean. Texts are at least :data:`PRINT_FONT`.
    """
    words = weergave.data()["grafiek"]
    left, lane_h = 4 + MARK_R, 2 * MARK_R + 3
    plot_w = PRINT_WIDTH - 2 * left
    # an event whose year is a guess ("datum onzeker") has no place on a time axis; the numbers stay the table's
    numbers = [i for i, e in enumerate(events, start=1) if getattr(e, "sure", True)]
    events = [e for e in events if getattr(e, "sure", True)]
    if not events:
        return _svg(PRINT_WIDTH, 24, title, [f'<text x="4" y="16" fill="{MUTED}">{escape(words["leeg"])}</text>'],
                    PRINT_FONT)
    first, last = events[0].date, events[-1].date
    days = max((last - first).days, 1)
    xs = [left + plot_w * ((e.date - first).days / days if last != first else 0.5) for e in events]
    lanes = event_lanes(xs, 2 * MARK_R + 2)
    n_lanes = max(lanes) + 1
    axis_y = 6 + n_lanes * lane_h + 4
    body = [f'<line x1="{left}" y1="{_fmt(axis_y)}" x2="{left + plot_w}" y2="{_fmt(axis_y)}" stroke="{INK}" '
            f'stroke-width="1"/>']
    for i, e, x, lane in zip(numbers, events, xs, lanes):
        y = axis_y - 4 - MARK_R - lane * lane_h
        filled = trainer and bool(e.labels)
        body.append(f'<line x1="{_fmt(x)}" y1="{_fmt(y + MARK_R)}" x2="{_fmt(x)}" y2="{_fmt(axis_y)}" '
                    f'stroke="{MUTED}" stroke-width="0.6"/>')
        body.append(f'<circle class="mark" cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(MARK_R)}" '
                    f'fill="{ACCENT if filled else "#ffffff"}" stroke="{INK}" stroke-width="0.8"/>')
        body.append(f'<text x="{_fmt(x)}" y="{_fmt(y + 4)}" text-anchor="middle" font-weight="bold" '
                    f'fill="{"#ffffff" if filled else INK}">{i}</text>')
    ends = [(0.0, f"{first.day} {MONTH_ABBR_OUT[first.month - 1]} {first.year}", "start"),
            (1.0, f"{last.day} {MONTH_ABBR_OUT[last.month - 1]} {last.year}", "end")]
    ticks = [((day - first).days / days, label, "middle") for day, label in _ticks(first, last)] if last != first else []
    body += _tick_labels(ends + ticks, left, plot_w, axis_y, axis_y)
    items = [("", True, words["gevuld"]), ("", False, words["open"])] if trainer else [("", False, words["deelnemers"])]
    legend, bottom = _legend(items, axis_y + 3 * PRINT_FONT + 12, PRINT_WIDTH)
    return _svg(PRINT_WIDTH, bottom + 4, title, body + legend, PRINT_FONT)
