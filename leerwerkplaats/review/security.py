"""The review server's guard: local host only, a secret token, CSRF on changes, strict headers.

Every request needs the random access token: in the URL the first time (the
reply sets a cookie and redirects to the same address without it, so the token
leaves the address bar and history), in the cookie after that. Every change
(POST) also needs the CSRF token of the page in a header, JSON content and,
when the browser sends one, an Origin of this server. The Host header must name
this server, which stops DNS-rebinding pages from reaching it.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


@dataclass
class Secrets:
    """The tokens of one server run and the host names it answers to."""

    hosts: set[str]
    access: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @classmethod
    def for_server(cls, host: str, port: int) -> Secrets:
        names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
        return cls({f"{name}:{port}" for name in names})

    @property
    def cookie(self) -> str:
        return "lwp_" + self.access[:6]  # one cookie per server run, so two runs do not overwrite each other

    def url(self, host: str, port: int, path: str = "/") -> str:
        return f"http://{host}:{port}{path}?{urlencode({'token': self.access})}"


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware that enforces :class:`Secrets` and adds the security headers."""

    def __init__(self, app, secrets_: Secrets):
        self.app = app
        self.secrets = secrets_

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status_seen = {}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                status_seen["status"] = message["status"]
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *[(k, v) for k, v in HEADERS if k not in names]]
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await _plain(send_with_headers, *refusal)
        elif self._token_in_query(scope):
            await self._set_cookie_and_redirect(scope, send_with_headers)
        else:
            try:
                await self.app(scope, receive, send_with_headers)
            except Exception as exc:  # the app has answered 500; keep the traceback (and any text in it) out of the log
                log.warning("%s %s failed (%s)", scope["method"], scope["path"], exc.__class__.__name__)
                if "status" not in status_seen:
                    await _plain(send_with_headers, 500, "Internal error.")
        # the path names a file by its key only; the query (the token) is never logged
        log.info("%s %s %s %.0f ms", scope["method"], scope["path"], status_seen.get("status", "-"),
                 (time.perf_counter() - t0) * 1000)

    def _refusal(self, scope) -> tuple[int, str] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.secrets.hosts:
            return 421, "This server answers on its own address only."
        token = _cookie(headers.get("cookie", ""), self.secrets.cookie) or self._query_token(scope)
        if not token or not _same(token, self.secrets.access):
            return 403, "Open the review with the address the review command printed (it holds the token)."
        if scope["method"] not in ("GET", "HEAD"):
            if not _same(headers.get("x-csrf-token", ""), self.secrets.csrf):
                return 403, "Missing or wrong CSRF token; reload the page."
            origin = headers.get("origin")
            if origin is not None and origin.removeprefix("http://") not in self.secrets.hosts:
                return 403, "Changes are accepted from this server's own pages only."
            if not headers.get("content-type", "").startswith("application/json"):
                return 415, "Changes are sent as JSON."
        return None

    @staticmethod
    def _query_token(scope) -> str:
        for part in scope.get("query_string", b"").decode("latin-1").split("&"):
            key, _, value = part.partition("=")
            if key == "token":
                return value
        return ""

    def _token_in_query(self, scope) -> bool:
        return scope["method"] == "GET" and bool(self._query_token(scope))

    async def _set_cookie_and_redirect(self, scope, send) -> None:
        cookie = f"{self.secrets.cookie}={self.secrets.access}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", scope["path"].encode("latin-1")), (b"set-cookie", cookie.encode()),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
