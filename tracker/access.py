"""Who may call what. Every view declares its rule; a view without one is refused.

Network-scoped rules read ``network_uid`` from the URL and answer 404 when the caller holds
no suitable grant, so a caller cannot learn that another network exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, g, request
from flask_login import current_user

from tracker.models import Grant, User

F = TypeVar("F", bound=Callable[..., Any])

# Rank decides which grant applies when a user holds several on one network.
_RANK = {"coordinator": 3, "leader": 2, "evaluator": 1}


@dataclass(frozen=True)
class Scope:
    """What the current user may see and do in one network."""

    user: User
    network_uid: str
    role: str
    school_uid: str | None = None
    names_visible: bool = True

    @property
    def can_write(self) -> bool:
        return self.role == "coordinator"

    @property
    def pseudonymise(self) -> bool:
        return not self.names_visible


def network_grants(user: User) -> dict[str, Grant]:
    """The strongest grant the user holds on each network."""
    best: dict[str, Grant] = {}
    for grant in user.grants:
        if grant.network_uid is None or grant.role not in _RANK:
            continue
        held = best.get(grant.network_uid)
        if held is None or _RANK[grant.role] > _RANK[held.role]:
            best[grant.network_uid] = grant
    return best


def scope_for(user: User, network_uid: str) -> Scope | None:
    grant = network_grants(user).get(network_uid)
    if grant is None:
        return None
    names = grant.role != "evaluator" or grant.names_visible
    return Scope(user, network_uid, grant.role, grant.school_uid, names)


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and any(
        grant.role == "admin" for grant in user.grants
    )


def may_create_networks(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and any(
        grant.role == "coordinator" for grant in user.grants
    )


def _declare(rule: str, check: Callable[[dict[str, Any]], None]) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            check(kwargs)
            return view(*args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def _signed_in() -> None:
    if not current_user.is_authenticated:
        abort(401)


def public(view: F) -> F:
    """Anyone, signed in or not (sign-in page, health check)."""
    return _declare("public", lambda kwargs: None)(view)


def signed_in(view: F) -> F:
    """Any signed-in user; the view shows only what their grants allow."""
    return _declare("signed_in", lambda kwargs: _signed_in())(view)


def admin(view: F) -> F:
    def check(kwargs: dict[str, Any]) -> None:
        _signed_in()
        if not is_admin(current_user):
            abort(403)

    return _declare("admin", check)(view)


def network_creator(view: F) -> F:
    def check(kwargs: dict[str, Any]) -> None:
        _signed_in()
        if not may_create_networks(current_user):
            abort(403)

    return _declare("network_creator", check)(view)


def in_network(*roles: str) -> Callable[[F], F]:
    """Callers holding one of ``roles`` on the URL's ``network_uid``; sets ``g.scope``."""
    allowed = set(roles)
    unknown = allowed - set(_RANK)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def check(kwargs: dict[str, Any]) -> None:
        _signed_in()
        network_uid = kwargs.get("network_uid")
        if network_uid is None:
            raise RuntimeError(f"{request.endpoint}: network rule on a URL without network_uid")
        scope = scope_for(current_user, network_uid)
        if scope is None:
            abort(404)
        if scope.role not in allowed:
            # The network is visible to this caller, so refusing openly leaks nothing.
            abort(403)
        g.scope = scope

    return _declare("network:" + ",".join(sorted(allowed)), check)


READERS = ("coordinator", "leader", "evaluator")
WRITERS = ("coordinator",)
