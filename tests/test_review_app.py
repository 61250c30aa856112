"""The review server's guard and API, in process (Starlette's TestClient, no browser)."""

from __future__ import annotations

import logging

import pytest
from review_data import MISSED, case_strings, make_cases
from starlette.testclient import TestClient

from leerwerkplaats.review.app import create_app
from leerwerkplaats.review.security import Secrets
from leerwerkplaats.review.service import ReviewSession

HOST = "127.0.0.1:8765"


@pytest.fixture
def served(tmp_path, pseudonymiser):
    session = ReviewSession(make_cases(tmp_path / "dossiers"), pseudonymiser, "Tester").load()
    secrets = Secrets.for_server("127.0.0.1", 8765)
    client = TestClient(create_app(session, secrets), base_url=f"http://{HOST}")
    return session, secrets, client


def logged_in(client, secrets):
    response = client.get(f"/?token={secrets.access}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "HttpOnly" in response.headers["set-cookie"] and "SameSite=Strict" in response.headers["set-cookie"]
    return client


def fid_of(session, name):
    return next(e.fid for e in session.entries.values() if e.name == name)


@pytest.mark.parametrize("path", ["/", "/static/review.js", "/api/f/0000", "/f/0000"])
def test_no_token_is_refused(served, path):
    _, _, client = served
    response = client.get(path)
    assert response.status_code == 403
    assert response.headers["cache-control"] == "no-store"


def test_wrong_token_is_refused(served):
    _, _, client = served
    assert client.get("/?token=guessed").status_code == 403


def test_other_host_is_refused(served):
    _, secrets, client = served
    logged_in(client, secrets)
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 421
    assert client.get(f"/?token={secrets.access}", headers={"Host": "evil.example"}).status_code == 421


def test_token_then_cookie_and_strict_headers(served):
    session, secrets, client = served
    logged_in(client, secrets)
    response = client.get("/")
    assert response.status_code == 200 and "huisbezoek.txt" in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "http" not in csp
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert secrets.csrf in response.text
    assert "<script>" not in response.text and "style=" not in response.text  # nothing the CSP would block


@pytest.mark.parametrize("headers, status", [
    ({}, 403),
    ({"X-CSRF-Token": "wrong"}, 403),
    ({"X-CSRF-Token": "{csrf}", "Origin": "http://evil.example"}, 403),
    ({"X-CSRF-Token": "{csrf}", "Origin": f"http://{HOST}"}, 200),
])
def test_changes_need_the_csrf_token_and_our_origin(served, headers, status):
    session, secrets, client = served
    logged_in(client, secrets)
    fid = fid_of(session, "overleg.txt")
    headers = {k: v.format(csrf=secrets.csrf) for k, v in headers.items()}
    response = client.post(f"/api/f/{fid}/status", json={"status": "approved"}, headers=headers)
    assert response.status_code == status
    assert session.status(session.entry(fid)) == ("approved" if status == 200 else "new")


def test_edit_through_the_api_and_nothing_of_the_case_in_the_log(served, caplog):
    session, secrets, client = served
    caplog.set_level(logging.DEBUG)
    logged_in(client, secrets)
    fid = fid_of(session, "huisbezoek.txt")
    assert client.get(f"/f/{fid}").status_code == 200
    view = client.get(f"/api/f/{fid}").json()
    start = view["original"].index(MISSED)
    response = client.post(f"/api/f/{fid}/add", json={"start": start, "end": start + 4, "type": "PERSOON"},
                           headers={"X-CSRF-Token": secrets.csrf})
    assert response.status_code == 200 and response.json()["count"] == 5
    assert MISSED.lower() not in response.json()["pseudonymised"].lower()
    bad = client.post(f"/api/f/{fid}/add", json={"start": 0, "end": 10**6, "type": "PERSOON"},
                      headers={"X-CSRF-Token": secrets.csrf})
    assert bad.status_code == 409 and MISSED not in bad.text
    log = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))  # the server's side
    assert "/api/f/" in log
    for needle in case_strings() + [secrets.access]:
        assert needle not in log


def test_unknown_file_and_action(served):
    session, secrets, client = served
    logged_in(client, secrets)
    assert client.get("/f/nope").status_code == 404
    fid = fid_of(session, "overleg.txt")
    response = client.post(f"/api/f/{fid}/explode", json={}, headers={"X-CSRF-Token": secrets.csrf})
    assert response.status_code == 409
