"""HTML rendering with Jinja2: the shipped ``templates/`` folder, optionally overridden by the user's.

Autoescape is always on, also for a user's own templates, so case text is
escaped wherever it appears. The CSS is inlined, so every HTML file stands alone.
"""

from __future__ import annotations

import logging
from pathlib import Path

import jinja2
from markupsafe import Markup

from leerwerkplaats.core.errors import LeerwerkplaatsError
from leerwerkplaats.core.shipped import templates_dir

log = logging.getLogger(__name__)

TEMPLATE_NAMES = {"deelnemers": "deelnemers.html.j2", "trainer": "trainer.html.j2", "sessie": "sessie.html.j2",
                  "bibliotheek": "bibliotheek.html.j2"}


def environment(templates: str | Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment over the user's folder (if given) with the shipped templates behind it.

    A user folder may hold only the templates it changes; the rest come from
    the shipped folder.
    """
    folders = []
    if templates is not None:
        user = Path(templates)
        if not user.is_dir():
            raise LeerwerkplaatsError(f"{user}: the templates folder does not exist")
        folders.append(str(user))
    shipped = templates_dir()
    if not shipped.is_dir():
        raise LeerwerkplaatsError(f"{shipped}: the shipped templates are missing; reinstall leerwerkplaats")
    folders.append(str(shipped))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=True,  # every template, whatever its suffix: case text is always escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def inline_css(name: str) -> Markup:
        source, _, _ = env.loader.get_source(env, name)
        return Markup(source.replace("</", "<\\/"))

    env.globals["inline_css"] = inline_css
    return env


def render(env: jinja2.Environment, kind: str, context: dict) -> str:
    """Render one handout (``deelnemers``, ``trainer`` or ``sessie``) to an HTML string."""
    try:
        template = env.get_template(TEMPLATE_NAMES[kind])
        return template.render(**context)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or TEMPLATE_NAMES[kind]
        line = getattr(exc, "lineno", None)
        raise LeerwerkplaatsError(
            f"{where}{f':{line}' if line else ''}: template error ({exc.__class__.__name__}: {exc.message})"
        ) from None
