"""Review server and key hygiene (issue 16, item 7): body cap, nested JSON, keyed file keys, passphrase length.

All case texts, names and passphrases here are made up.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import stat

import click
import pytest
from click.testing import CliRunner
from review_data import MISSED, make_cases
from starlette.testclient import TestClient

from leerwerkplaats.cli import common, main
from leerwerkplaats.core.errors import KeyFileError
from leerwerkplaats.privacy import keyfile
from leerwerkplaats.reading.readers import read_case_file
from leerwerkplaats.review import adapter
from leerwerkplaats.review.app import MAX_BODY, create_app
from leerwerkplaats.review.security import Secrets
from leerwerkplaats.review.service import ReviewSession
from leerwerkplaats.review.store import ReviewStore, file_key, legacy_file_key, store_path

HOST = "127.0.0.1:8765"


# ---------------------------------------------------------------- set-up (as in test_review_app)

@pytest.fixture
def served(tmp_path, pseudonymiser):
    session = ReviewSession(make_cases(tmp_path / "dossiers"), pseudonymiser, "Tester").load()
    secrets = Secrets.for_server("127.0.0.1", 8765)
    app = create_app(session, secrets)
    client = TestClient(app, base_url=f"http://{HOST}")
    client.get(f"/?token={secrets.access}", follow_redirects=False)  # sets the cookie
    return session, secrets, client, app


def fid_of(session, name):
    return next(e.fid for e in session.entries.values() if e.name == name)


def post(client, secrets, fid, content: bytes, action="status"):
    return client.post(f"/api/f/{fid}/{action}", content=content,
                       headers={"X-CSRF-Token": secrets.csrf, "Content-Type": "application/json"})


# ---------------------------------------------------------------- 1. request bodies up to 1 MB

def test_a_body_over_1_mb_is_answered_413_in_json(served):
    session, secrets, client, _ = served
    fid = fid_of(session, "overleg.txt")
    body = json.dumps({"status": "approved", "pad": "x" * MAX_BODY}).encode()

    response = post(client, secrets, fid, body)

    assert response.status_code == 413
    assert response.json() == {"error": "request too large"}
    assert session.status(session.entry(fid)) == "new"


def test_the_body_is_read_in_chunks_and_reading_stops_at_the_cap(served):
    # Content-Length says 20 bytes; 100 chunks of 64 KB follow. The app must stop pulling after about 1 MB.
    session, secrets, _, app = served
    fid = fid_of(session, "overleg.txt")
    chunk = b" " * 65536
    pulled = []

    async def receive():
        pulled.append(1)
        return {"type": "http.request", "body": chunk, "more_body": len(pulled) < 100}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": f"/api/f/{fid}/status", "raw_path": b"",
             "root_path": "", "scheme": "http", "query_string": b"", "http_version": "1.1",
             "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 50000),
             "headers": [(b"host", HOST.encode()), (b"cookie", f"{secrets.cookie}={secrets.access}".encode()),
                         (b"x-csrf-token", secrets.csrf.encode()), (b"content-type", b"application/json"),
                         (b"content-length", b"20")]}

    asyncio.run(app(scope, receive, send))

    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert start["status"] == 413 and json.loads(body) == {"error": "request too large"}
    assert len(pulled) <= MAX_BODY // len(chunk) + 1


def test_a_small_edit_still_passes(served):
    session, secrets, client, _ = served
    fid = fid_of(session, "overleg.txt")

    response = post(client, secrets, fid, b'{"status": "approved"}')

    assert response.status_code == 200 and session.status(session.entry(fid)) == "approved"


# ---------------------------------------------------------------- 2. nested or odd JSON is 400, not 500

@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,                 # deeper than the parser goes: RecursionError
    b'{"start": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    b'{"status": {"status": "approved"}}',            # nested object
    b'{"start": [1, 2], "end": 3, "type": "PERSOON"}',  # a list where a number goes
    b"[1, 2, 3]",                                     # not an object
    b'"approved"',
    b'{"start": 1e999, "end": 5, "type": "PERSOON"}',  # infinity: int() overflows
    b"\xff\xfe not json",
    b"",
])
def test_odd_json_is_a_bad_request(served, body):
    session, secrets, client, _ = served
    fid = fid_of(session, "huisbezoek.txt")

    response = post(client, secrets, fid, body, action="add")

    assert response.status_code == 400, response.text
    assert response.json() == {"error": "bad request"}


# ---------------------------------------------------------------- 3. file keys: HMAC with the store's secret

def test_a_new_store_has_its_own_secret_and_keys_are_hmacs_of_the_path(tmp_path):
    one, two = ReviewStore(tmp_path / "a" / "review.sqlite"), ReviewStore(tmp_path / "b" / "review.sqlite")

    key = one.file_key("huisbezoek.txt")

    assert len(one.secret) == 32 and one.secret != two.secret
    assert key == file_key(one.secret, "huisbezoek.txt") != two.file_key("huisbezoek.txt")
    assert key != hashlib.sha256(b"huisbezoek.txt").hexdigest()
    assert ReviewStore(tmp_path / "a" / "review.sqlite").secret == one.secret  # kept in the store
    assert stat.S_IMODE((tmp_path / "a" / "review.sqlite").stat().st_mode) == 0o600


def test_the_address_of_a_file_is_not_a_hash_of_its_name(served):
    session, _, _, _ = served
    fid = fid_of(session, "huisbezoek.txt")

    assert fid != hashlib.sha256(b"huisbezoek.txt").hexdigest()[:16]
    assert fid == session.store.file_key("huisbezoek.txt")[:16]


_OLD_SCHEMA = """
CREATE TABLE decisions (id INTEGER PRIMARY KEY, file_key TEXT NOT NULL, sha256 TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, type TEXT NOT NULL, kind TEXT NOT NULL,
    reviewer TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE files (file_key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '', reviewer TEXT NOT NULL, at REAL NOT NULL);
"""
ORPHAN = hashlib.sha256(b"weg.txt").hexdigest()


def _old_store(folder):
    """A store as written before keys had a secret: bare SHA-256 of the relative path."""
    path = store_path(folder)
    path.parent.mkdir(parents=True)
    text = (folder / "huisbezoek.txt").read_text(encoding="utf-8")
    start = text.index(MISSED)
    sha = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in ("huisbezoek.txt", "overleg.txt")}
    db = sqlite3.connect(path)
    db.executescript(_OLD_SCHEMA)
    db.execute("INSERT INTO decisions (file_key, sha256, start, end, type, kind, reviewer, at) "
               "VALUES (?, ?, ?, ?, 'PERSOON', 'add', 'Tester', 1)",
               (legacy_file_key("huisbezoek.txt"), sha["huisbezoek.txt"], start, start + len(MISSED)))
    db.executemany("INSERT INTO files VALUES (?, ?, ?, '', 'Tester', 1)", [
        (legacy_file_key("huisbezoek.txt"), sha["huisbezoek.txt"], "in_review"),
        (legacy_file_key("overleg.txt"), sha["overleg.txt"], "approved"),
        (ORPHAN, "0" * 64, "approved"),
    ])
    db.commit()
    db.close()
    return path


def _keys(path):
    db = sqlite3.connect(path)
    try:
        return ({row[0] for row in db.execute("SELECT file_key FROM files UNION SELECT file_key FROM decisions")},
                {row[0] for row in db.execute("SELECT file_key FROM legacy_keys")})
    finally:
        db.close()


def test_an_old_store_is_migrated_when_the_review_opens_it(tmp_path, pseudonymiser):
    folder = make_cases(tmp_path / "dossiers")
    path = _old_store(folder)

    session = ReviewSession(folder, pseudonymiser, "Tester").load()

    huisbezoek = next(e for e in session.entries.values() if e.name == "huisbezoek.txt")
    overleg = next(e for e in session.entries.values() if e.name == "overleg.txt")
    assert session.status(overleg) == "approved" and session.status(huisbezoek) == "in_review"
    assert any(s.origin == "added" for s in session.spans(huisbezoek))  # the old decision still applies
    stored, legacy = _keys(path)
    assert legacy_file_key("huisbezoek.txt") not in stored and legacy_file_key("overleg.txt") not in stored
    assert {huisbezoek.key, overleg.key} <= stored
    assert legacy == {ORPHAN}  # a file no longer in the batch keeps its row, listed for a later migration


def test_an_old_store_is_migrated_when_run_or_pseudonymise_reads_it(tmp_path, pseudonymiser):
    folder = make_cases(tmp_path / "dossiers")
    path = _old_store(folder)
    gate = adapter.ReviewGate(pseudonymiser)

    status, decisions = gate.review_state(read_case_file(folder / "overleg.txt"))

    assert status == "approved" and decisions == []
    store = ReviewStore(path)
    assert store.file_key("overleg.txt") in _keys(path)[0]
    assert legacy_file_key("overleg.txt") not in _keys(path)[0]


# ---------------------------------------------------------------- 4. a passphrase of at least 12 characters

@pytest.mark.parametrize("value, ok", [("", False), ("kort", False), ("elf-tekens!", False),
                                       ("twaalf-teken", True), ("een lange zin als wachtwoord", True)])
def test_check_passphrase(value, ok):
    if ok:
        keyfile.check_passphrase(value)
    else:
        with pytest.raises(KeyFileError, match="^the passphrase must be at least 12 characters; "):
            keyfile.check_passphrase(value)




def test_a_short_passphrase_in_the_environment_makes_no_key(readable_cases, tmp_path, monkeypatch):
    monkeypatch.setenv(common.PASSPHRASE_ENV, "elf-tekens!")

    result = CliRunner().invoke(main, ["run", str(readable_cases), "-o", str(tmp_path / "uit"), "--formats", "html",
                                       "--key", str(tmp_path / "k.key")])

    assert result.exit_code == 1
    assert ("the passphrase must be at least 12 characters; set a longer LEERWERKPLAATS_PASSPHRASE"
            in result.output)
    assert not (tmp_path / "k.key").exists()


def test_a_short_passphrase_typed_at_the_prompt_is_refused(monkeypatch):
    monkeypatch.delenv(common.PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(common.sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(click, "prompt", lambda *a, **k: "kort")

    with pytest.raises(click.ClickException, match="at least 12 characters; type a longer one"):
        common.passphrase(confirm=True)


def test_an_existing_key_with_a_short_passphrase_still_opens(tmp_path, monkeypatch):
    keyfile.write_key(tmp_path / "oud.key", {"casus-001": {"sha256": "0", "entries": []}}, "geheim")
    monkeypatch.setenv(common.PASSPHRASE_ENV, "geheim")

    secret = common.passphrase(confirm=False)

    assert keyfile.read_key(tmp_path / "oud.key", secret) == {"casus-001": {"sha256": "0", "entries": []}}
