"""The review web app (Starlette): the queue, the file view and a small JSON API for edits.

URLs carry a file's key, never a name or text; edits send offsets, never text.
Errors answer with a fixed message and are logged by class name only.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from leerwerkplaats.review import adapter
from leerwerkplaats.review.security import Guard, Secrets
from leerwerkplaats.review.service import ReviewError, ReviewSession
from leerwerkplaats.review.store import WITHHOLD_REASONS

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
#: Largest request body read; an edit is a few dozen bytes.
MAX_BODY = 1024 * 1024
TYPE_NAMES = {
    "PERSOON": "persoon", "BSN": "BSN", "TELEFOON": "telefoon", "EMAIL": "e-mail", "ADRES": "adres",
    "POSTCODE": "postcode", "PLAATS": "plaats", "DATUM": "datum", "INSTELLING": "instelling", "IBAN": "IBAN",
    "DOSSIERNUMMER": "dossiernummer", "KENTEKEN": "kenteken", "URL": "URL",
}


def create_app(session: ReviewSession, secrets_: Secrets) -> Guard:
    """The ASGI app: routes behind the :class:`~leerwerkplaats.review.security.Guard`."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    common = {"csrf": secrets_.csrf, "types": adapter.PII_TYPES, "type_names": TYPE_NAMES,
              "reasons": WITHHOLD_REASONS, "reviewer": session.reviewer}

    def page(template: str, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(**common, **context))

    async def queue(request: Request):
        await run_in_threadpool(session.ready.wait)
        rows = await run_in_threadpool(session.queue)
        return page("queue.html.j2", rows=rows, folder=session.input_dir.name)

    async def file_page(request: Request):
        entry = _entry(session, request.path_params["fid"])
        return page("file.html.j2", fid=entry.fid, name=entry.name)

    async def file_json(request: Request):
        return JSONResponse(await run_in_threadpool(session.view, request.path_params["fid"]))

    async def edit(request: Request):
        fid, action = request.path_params["fid"], request.path_params["action"]
        try:
            body = await _json_body(request)
        except _Refused as exc:
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        try:
            count = await run_in_threadpool(_apply, session, fid, action, body)
            view = await run_in_threadpool(session.view, fid)
        except ReviewError as exc:
            return JSONResponse({"error": str(exc)}, status_code=409)
        except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: int() of an infinite number
            return JSONResponse({"error": "bad request"}, status_code=400)
        return JSONResponse({**view, "count": count})

    async def error(request: Request, exc: Exception):
        if isinstance(exc, HTTPException):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        log.warning("review request failed (%s)", exc.__class__.__name__)  # never the message: it may quote text
        return JSONResponse({"error": "internal error"}, status_code=500)

    routes = [
        Route("/", queue),
        Route("/favicon.ico", lambda request: Response(status_code=204)),  # no icon, and no 404 for it
        Route("/f/{fid:str}", file_page),
        Route("/api/f/{fid:str}", file_json),
        Route("/api/f/{fid:str}/{action:str}", edit, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={Exception: error, HTTPException: error, ReviewError: _refused})
    return Guard(app, secrets_)


async def _refused(request: Request, exc: ReviewError):
    return JSONResponse({"error": str(exc)}, status_code=404)


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


async def _json_body(request: Request) -> dict:
    """The request's JSON object: read in chunks up to :data:`MAX_BODY`, one level of plain values.

    Raises ``_Refused`` (413 too large, 400 not such an object); Content-Length is
    only used to refuse early, never trusted to stop the reading.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _Refused(413, "request too large")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise _Refused(413, "request too large")
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise _Refused(400, "bad request") from None
    if not isinstance(body, dict) or not all(isinstance(v, str | int | float | bool) or v is None
                                             for v in body.values()):
        raise _Refused(400, "bad request")  # an edit is one flat object; nothing nested is read
    return body


def _entry(session: ReviewSession, fid: str):
    try:
        return session.entry(fid)
    except ReviewError:
        raise HTTPException(404, "unknown file") from None


def _apply(session: ReviewSession, fid: str, action: str, body: dict) -> int:
    start, end = int(body.get("start", -1)), int(body.get("end", -1))
    if action == "add":
        return session.add(fid, start, end, str(body["type"]), bool(body.get("batch", False)))
    if action == "remove":
        return session.remove(fid, start, end)
    if action == "retype":
        return session.retype(fid, start, end, str(body["type"]))
    if action == "accept":
        session.accept(fid, start, end)
        return 1
    if action == "status":
        session.set_status(fid, str(body["status"]), str(body.get("reason", "")))
        return 1
    raise ReviewError("unknown action")
