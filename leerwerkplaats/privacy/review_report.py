"""The review report: every replacement in context, for the person preparing a session.

It shows original text, so it is written beside the raw files, never into the
output folder, and only when asked for.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, select_autoescape

from leerwerkplaats.core.io_atomic import write_text_atomic

_TEMPLATE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Controlerapport pseudonimisering</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em} table{border-collapse:collapse;width:100%}
td,th{border:1px solid #999;padding:.2em .4em;vertical-align:top;font-size:.9em} .fail{color:#900;font-weight:bold}
mark{background:#ffe08a} ins{background:#c9f2c9;text-decoration:none}</style></head><body>
<h1>Controlerapport pseudonimisering</h1>
<p><strong>Vertrouwelijk:</strong> dit rapport bevat de oorspronkelijke gegevens. Bewaar het bij de
ruwe dossiers, nooit bij de hand-outs, en verwijder het na de controle.</p>
{% for f in files %}
<h2>{{ f.name }}</h2>
{% if f.error %}<p class="fail">Niet vrijgegeven: {{ f.error }}</p>{% endif %}
{% if f.residual %}<p>Mogelijk nog herleidbaar (controleer): {{ f.residual|join("; ") }}</p>{% endif %}
{% if f.rows %}<table><thead><tr><th>type</th><th>context (origineel)</th><th>vervangen door</th></tr></thead><tbody>
{% for r in f.rows %}<tr><td>{{ r.type }}</td><td>…{{ r.before }}<mark>{{ r.original }}</mark>{{ r.after }}…</td><td><ins>{{ r.new }}</ins></td></tr>
{% endfor %}</tbody></table>{% endif %}
{% endfor %}
</body></html>
"""


def rows_for(raw_text: str, result) -> list[dict]:
    """Replacement rows of one file: type, original in context, pseudonym."""
    rows = []
    shift = 0
    for entry in result.key:
        new = result.case.text[entry.start:entry.end]
        start = entry.start - shift
        end = start + len(entry.original)
        rows.append({
            "type": entry.type, "original": entry.original, "new": new,
            "before": raw_text[max(0, start - 40):start], "after": raw_text[end:end + 40],
        })
        shift += len(new) - len(entry.original)
    return rows


def render_report(files: list[dict]) -> str:
    """The report as HTML (autoescaped)."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(_TEMPLATE).render(files=files)


def write_report(path: Path, files: list[dict]) -> None:
    """Render the report to ``path`` (mode 0600)."""
    write_text_atomic(path, render_report(files), mode=0o600)
