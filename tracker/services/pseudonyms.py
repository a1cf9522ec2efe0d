"""Stable, non-reversible pseudonyms for people shown to evaluators."""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app


def pseudonym(network_uid: str, person_uid: str, *, key: str | None = None) -> str:
    """``Person K7Q2MZ``: the same person in the same network always gets the same label."""
    secret = (key or current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"{network_uid}:{person_uid}".encode(), hashlib.sha256).digest()
    return "Person " + base64.b32encode(digest[:5]).decode()[:6]


def mask_person(person: dict, network_uid: str) -> dict:
    """A copy of ``person`` without the name and job title (which can identify a head)."""
    masked = dict(person)
    masked["name"] = pseudonym(network_uid, person["uid"])
    masked["job_title"] = None
    masked["pseudonymised"] = True
    return masked
