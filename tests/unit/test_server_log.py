"""The access log never carries a respondent's token."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from gunicorn.config import Config

from tracker.server import RedactingLogger, redact

TOKEN = "Zx9_secret-Token"


def test_redact_removes_the_token_and_keeps_the_rest() -> None:
    assert redact(f"GET /s/{TOKEN}/colleagues?q=ann HTTP/1.1") == (
        "GET /s/…/colleagues?q=ann HTTP/1.1"
    )
    assert redact(f"https://tracker.example/s/{TOKEN}") == "https://tracker.example/s/…"
    assert redact("/networks/abc/surveys/def") == "/networks/abc/surveys/def"


def test_no_access_log_atom_carries_the_token() -> None:
    path = f"/s/{TOKEN}/about-you"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"http://127.0.0.1:5000/s/{TOKEN}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10)
    req = SimpleNamespace(headers=[("REFERER", f"/s/{TOKEN}")])
    atoms = RedactingLogger(Config()).atoms(resp, req, environ, dt.timedelta(milliseconds=5))
    assert atoms["r"] == "GET /s/…/about-you HTTP/1.1"
    assert not [k for k, v in atoms.items() if TOKEN in str(v)]
