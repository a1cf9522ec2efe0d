"""Who may call what: deny by default, the route-role-scope grid, CSRF and page headers.

The grid is the one place that says, for every route, which roles may use it. A new route
fails here until it is added to ``EXPECTED``. Every URL argument names a real object, made in
both networks by ``grid_world``, so network A's URLs carrying B's objects must answer 404.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.conftest import EMAILS, PASSWORD, World, login, make_app, stores_state
from tests.integration.grid_world import (
    KNOWN_ARGUMENTS,
    NETWORK_ARGUMENT,
    OBJECT_ARGUMENTS,
    REFUSED_ANYWAY,
    WRITES_NOTHING,
    build_grid_objects,
    forge_order,
    forged_form,
)
from tracker.access import Scope
from tracker.extensions import db, graph
from tracker.graph.store import NotFound
from tracker.models import Job, User

ROLES = ("anonymous", "admin", "coordinatorA", "leaderA", "evaluatorA", "nobody")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
ADMIN = frozenset({"admin"})
COORDINATOR = frozenset({"coordinatorA"})
READERS = frozenset({"coordinatorA", "leaderA", "evaluatorA"})
NOBODY: frozenset[str] = frozenset()

# Roles allowed per endpoint and method. For network-scoped routes this is "allowed on the
# caller's own network (A)"; nobody tested here holds a grant on B.
EXPECTED: dict[str, dict[str, frozenset[str]]] = {
    "main.index": {"GET": SIGNED_IN},
    "main.healthz": {"GET": EVERYONE},
    "auth.login": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.logout": {"POST": SIGNED_IN},
    "auth.sign_out_everywhere": {"POST": SIGNED_IN},
    "auth.account": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "auth.tokens": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "auth.revoke_token": {"POST": SIGNED_IN},
    "networks.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "networks.show": {"GET": READERS},
    "networks.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "networks.history": {"GET": COORDINATOR},
    "dashboard.index": {"GET": READERS},
    "dashboard.settings": {"GET": COORDINATOR, "POST": COORDINATOR},
    # Influence maps: read by every reader (names masked per viewer); named maps: coordinators.
    "maps.index": {"GET": READERS},
    "maps.data": {"GET": READERS},
    "maps.csv": {"GET": READERS},
    "maps.settings": {"GET": COORDINATOR, "POST": COORDINATOR},
    # The JSON API: scripts with a bearer token, or a signed-in browser.
    "api.openapi": {"GET": EVERYONE},
    "api.networks": {"GET": SIGNED_IN},
    "api.signs": {"GET": READERS},
    "api.metrics": {"GET": READERS},
    "schools.index": {"GET": READERS},
    "schools.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "schools.show": {"GET": READERS},
    "schools.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "schools.end": {"POST": COORDINATOR},
    "people.index": {"GET": READERS},
    "people.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "people.show": {"GET": READERS},
    "people.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "people.end": {"POST": COORDINATOR},
    "people.move": {"POST": COORDINATOR},
    "groups.index": {"GET": READERS},
    "groups.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.show": {"GET": READERS},
    "groups.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.end": {"POST": COORDINATOR},
    "groups.delete": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.add_member": {"POST": COORDINATOR},
    "groups.end_member": {"POST": COORDINATOR},
    "groups.add_session": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.edit_session": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.delete_session": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.add_outcome": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.edit_outcome": {"GET": COORDINATOR, "POST": COORDINATOR},
    "groups.delete_outcome": {"GET": COORDINATOR, "POST": COORDINATOR},
    "coaching.index": {"GET": READERS},
    "coaching.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "coaching.show": {"GET": READERS},
    "coaching.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "coaching.log_session": {"POST": COORDINATOR},
    "coaching.remove_session": {"POST": COORDINATOR},
    "coaching.end": {"POST": COORDINATOR},
    "coaching.delete": {"GET": COORDINATOR, "POST": COORDINATOR},
    "coaching.create_training": {"GET": COORDINATOR, "POST": COORDINATOR},
    "coaching.delete_training": {"GET": COORDINATOR, "POST": COORDINATOR},
    "coaching.cascade": {"GET": READERS},
    "roles.index": {"GET": READERS},
    "roles.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "roles.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "roles.end": {"POST": COORDINATOR},
    "roles.delete": {"GET": COORDINATOR, "POST": COORDINATOR},
    "activities.index": {"GET": READERS},
    "activities.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "activities.show": {"GET": READERS},
    "activities.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "activities.delete": {"GET": COORDINATOR, "POST": COORDINATOR},
    "transfers.index": {"GET": READERS},
    "transfers.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "transfers.show": {"GET": READERS},
    "transfers.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "transfers.delete": {"GET": COORDINATOR, "POST": COORDINATOR},
    "transfers.add_adoption": {"GET": COORDINATOR, "POST": COORDINATOR},
    "transfers.edit_adoption": {"GET": COORDINATOR, "POST": COORDINATOR},
    "transfers.delete_adoption": {"GET": COORDINATOR, "POST": COORDINATOR},
    "funding.index": {"GET": READERS},
    "funding.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "funding.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "funding.end": {"POST": COORDINATOR},
    "funding.delete": {"GET": COORDINATOR, "POST": COORDINATOR},
    "timeline.index": {"GET": READERS},
    # The staff questionnaire: the network's readers see rounds and counts, coordinators run
    # them; a respondent needs only their personal link (anyone holding it, no account).
    "surveys.index": {"GET": READERS},
    "surveys.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "surveys.show": {"GET": READERS},
    "surveys.compare": {"GET": READERS},
    "surveys.extend": {"POST": COORDINATOR},
    "surveys.close": {"POST": COORDINATOR},
    "surveys.reopen": {"POST": COORDINATOR},
    "surveys.issue_links": {"POST": COORDINATOR},
    "surveys.send": {"POST": COORDINATOR},
    "surveys.revoke": {"POST": COORDINATOR},
    "surveys.reissue": {"POST": COORDINATOR},
    "surveys.withdraw": {"GET": COORDINATOR, "POST": COORDINATOR},
    "survey.start": {"GET": EVERYONE, "POST": EVERYONE},
    "survey.colleagues": {"GET": EVERYONE},
    "survey.colleague": {"GET": EVERYONE, "POST": EVERYONE},
    "survey.remove": {"GET": EVERYONE, "POST": EVERYONE},
    "survey.unlisted": {"GET": EVERYONE, "POST": EVERYONE},
    "survey.remove_unlisted": {"POST": EVERYONE},
    "survey.about_you": {"GET": EVERYONE, "POST": EVERYONE},
    "survey.review": {"GET": EVERYONE},
    "survey.submit": {"POST": EVERYONE},
    "survey.withdraw": {"GET": EVERYONE, "POST": EVERYONE},
    # Packages hold every name in the network: only coordinators upload, import or export.
    "packages.index": {"GET": COORDINATOR},
    "packages.upload": {"POST": COORDINATOR},
    "packages.confirm": {"POST": COORDINATOR},
    "packages.job": {"GET": COORDINATOR},
    "packages.export": {"GET": COORDINATOR},
    "admin.users": {"GET": ADMIN},
    "admin.create_user": {"GET": ADMIN, "POST": ADMIN},
    "admin.user": {"GET": ADMIN, "POST": ADMIN},
    "admin.remove_grant": {"POST": ADMIN},
    "admin.set_active": {"POST": ADMIN},
    "admin.sign_out": {"POST": ADMIN},
    "admin.audit_log": {"GET": ADMIN},
}

# These end the caller's session, so they run last and the client signs in again afterwards.
SESSION_ENDING = ("auth.logout", "auth.sign_out_everywhere")


def _rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


# --- deny by default -------------------------------------------------------------------------


def test_every_endpoint_declares_an_access_rule(app):
    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not getattr(view, "access_rule", None)
    ]
    assert undeclared == []


def test_expected_table_covers_every_endpoint_and_method(app):
    actual = {r.endpoint: set(_methods(r)) for r in _rules(app)}
    table = {endpoint: set(methods) for endpoint, methods in EXPECTED.items()}
    missing = sorted(set(actual) - set(table))
    stale = sorted(set(table) - set(actual))
    assert missing == [], f"endpoints missing from EXPECTED: {missing}"
    assert stale == [], f"EXPECTED names endpoints that no longer exist: {stale}"
    differing = {e: (actual[e], table[e]) for e in actual if actual[e] != table[e]}
    assert differing == {}, f"methods (in url_map, in EXPECTED) differ: {differing}"


def test_guard_refuses_a_view_without_a_rule(tmp_path: Path, graph_dir, migrated_db):
    fresh = make_app(tmp_path, graph_dir, migrated_db)
    calls: list[str] = []

    def undeclared() -> str:
        calls.append("called")
        return "should never be served"

    fresh.add_url_rule("/undeclared", "undeclared", undeclared, methods=["GET", "POST"])
    try:
        client = fresh.test_client()
        got = client.get("/undeclared")
        posted = client.post("/undeclared")
        assert got.status_code == 403
        assert posted.status_code == 403
        assert "should never be served" not in got.get_data(as_text=True)
        assert calls == []
    finally:
        with fresh.app_context():
            graph.store.drop_graph()
            graph.close(fresh)
            db.engine.dispose()


def test_every_url_argument_is_one_the_grid_can_fill(app):
    """A route with a new kind of argument needs a real object for it in ``grid_world``."""
    unknown = {
        f"{rule.endpoint}: {sorted(rule.arguments - KNOWN_ARGUMENTS)}"
        for rule in _rules(app)
        if rule.arguments - KNOWN_ARGUMENTS
    }
    assert unknown == set(), "make an object for these arguments in grid_world.py"


# Values that name nothing: an anonymous caller must be refused before any lookup.
DUMMY: dict[str, Any] = {
    **dict.fromkeys(KNOWN_ARGUMENTS, "dummy"),
    "user_id": 1,
    "grant_id": 1,
    "job_id": 1,
}


def test_anonymous_json_requests_get_401(app):
    """JSON callers are told 401 instead of being redirected to the sign-in page."""
    client = app.test_client()
    wrong = []
    for rule in _rules(app):
        # Public routes (any method open to everyone) have no sign-in to ask for.
        if EVERYONE in EXPECTED.get(rule.endpoint, {}).values() or rule.endpoint == "auth.login":
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: DUMMY[a] for a in rule.arguments})
        for method in _methods(rule):
            response = client.open(url, method=method, headers={"Accept": "application/json"})
            body = response.get_json(silent=True) or {}
            if response.status_code != 401 or "error" not in body:
                wrong.append(f"{method} {url}: {response.status_code} {body}")
    assert wrong == []


# --- the grid --------------------------------------------------------------------------------


@pytest.fixture
def grid(app: Flask, world: World) -> dict[str, dict[str, Any]]:
    """Real objects behind every URL argument, in network A and in network B."""
    return build_grid_objects(app, world)


def test_grid_objects_are_real_and_distinct_per_network(app, world, grid):
    from tracker.services import coaching, funding, groups, roles, transfers

    assert set(grid) == {"A", "B"}
    for argument in KNOWN_ARGUMENTS:
        assert grid["A"][argument] != grid["B"][argument], argument
    with app.app_context():
        scope = Scope(
            db.session.get(User, world.users["coordinatorA"]),
            grid["A"]["network_uid"],
            "coordinator",
        )
        a = grid["A"]
        assert groups.get_session(scope, a["group_uid"], a["session_uid"])
        assert groups.get_outcome(scope, a["group_uid"], a["outcome_uid"])
        assert coaching.get_pair(scope, a["pair_uid"])["sessions"]
        assert transfers.get_adoption(scope, a["practice_uid"], a["adoption_uid"])
        assert roles.get(scope, a["role_uid"])
        assert funding.get(scope, a["period_uid"])
        b = grid["B"]
        for lookup in (
            lambda: groups.get(scope, b["group_uid"]),
            lambda: groups.get_session(scope, a["group_uid"], b["session_uid"]),
            lambda: coaching.get_training(scope, b["training_uid"]),
            lambda: transfers.get_adoption(scope, a["practice_uid"], b["adoption_uid"]),
        ):
            with pytest.raises(NotFound):
                lookup()
        jobs = {job.id: job for job in db.session.scalars(db.select(Job)).all()}
        assert jobs[a["job_id"]].network_uid == a["network_uid"]
        assert jobs[b["job_id"]].network_uid == b["network_uid"]
        assert all(job.finished for job in jobs.values())


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    role: str
    scope: str
    url: str
    networked: bool


def _scopes(rule: Rule) -> list[str]:
    """own: A's URL with A's objects; other: B's URL with B's objects; mixed: A's URL with B's
    objects; mixed:<argument>: A's URL with A's objects except that one, taken from B."""
    if not rule.arguments:
        return ["-"]
    scopes = ["own", "other"]
    if NETWORK_ARGUMENT in rule.arguments:
        objects = sorted(rule.arguments & OBJECT_ARGUMENTS)
        if objects:
            scopes.append("mixed")
        if len(objects) > 1:
            scopes.extend(f"mixed:{argument}" for argument in objects)
    return scopes


def _values(grid: dict[str, dict[str, Any]], scope: str) -> dict[str, Any]:
    if scope in {"-", "own"}:
        return grid["A"]
    if scope == "other":
        return grid["B"]
    if scope == "mixed":
        return {**grid["B"], NETWORK_ARGUMENT: grid["A"][NETWORK_ARGUMENT]}
    swapped = scope.removeprefix("mixed:")
    return {**grid["A"], swapped: grid["B"][swapped]}


def _cases(app: Flask, grid: dict[str, dict[str, Any]], method: str) -> list[Case]:
    cases = []
    for rule in sorted(_rules(app), key=lambda r: (r.endpoint in SESSION_ENDING, r.endpoint)):
        if method not in _methods(rule):
            continue
        for role in ROLES:
            for scope in _scopes(rule):
                chosen = _values(grid, scope)
                with app.test_request_context():
                    url = url_for(rule.endpoint, **{a: chosen[a] for a in rule.arguments})
                networked = NETWORK_ARGUMENT in rule.arguments
                cases.append(Case(rule.endpoint, method, role, scope, url, networked))
    return cases


def _expected(case: Case) -> str:
    """One of: ok, login, 403, 404."""
    allowed = case.role in EXPECTED.get(case.endpoint, {}).get(case.method, NOBODY)
    if case.networked and case.scope == "other":
        allowed = False
    if allowed:
        # Passing the network rule, the object lookup must still stay inside network A.
        return "404" if case.scope.startswith("mixed") else "ok"
    if case.role == "anonymous":
        return "401" if case.url.startswith("/api/") else "login"
    if case.networked:
        visible = case.scope != "other" and case.role in READERS
        return "403" if visible else "404"
    return "403"


def _is_login_redirect(response: TestResponse, case: Case) -> bool:
    """The redirect an anonymous caller gets: to /login, carrying where they wanted to go."""
    if response.status_code != 302:
        return False
    target = urlsplit(response.headers.get("Location", ""))
    return target.path == "/login" and parse_qs(target.query).get("next") == [
        urlsplit(case.url).path
    ]


def _matches(expected: str, response: TestResponse, case: Case) -> bool:
    status = response.status_code
    if expected == "login":
        return _is_login_redirect(response, case)
    if expected in {"401", "403", "404"}:
        return status == int(expected)
    if case.method == "GET":
        if case.endpoint == "auth.login" and case.role != "anonymous":
            return status == 302 and urlsplit(response.headers["Location"]).path == "/"
        return status == 200
    refused = status >= 500 or status in {401, 403, 404}
    return not refused and not _is_login_redirect(response, case)


class Clients:
    """One test client per role, signed in once (signing in costs an Argon2 hash)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.by_role: dict[str, FlaskClient] = {}

    def __call__(self, role: str) -> FlaskClient:
        if role not in self.by_role:
            client = self.app.test_client()
            if role != "anonymous":
                login(client, EMAILS[role])
            self.by_role[role] = client
        return self.by_role[role]

    def forget(self, role: str) -> None:
        self.by_role.pop(role, None)


def _run_grid(app: Flask, grid: dict[str, dict[str, Any]], method: str) -> tuple[list[str], int]:
    clients = Clients(app)
    mismatches = [
        f"{rule.endpoint} {rule.rule}: not in EXPECTED; say who may call it"
        for rule in _rules(app)
        if rule.endpoint not in EXPECTED
    ]
    cases = _cases(app, grid, method)
    for case in cases:
        response = clients(case.role).open(case.url, method=case.method)
        expected = _expected(case)
        if not _matches(expected, response, case):
            got = f"{response.status_code} {response.headers.get('Location', '')}".strip()
            mismatches.append(
                f"{case.method} {case.endpoint} {case.url} role={case.role} "
                f"scope={case.scope}: expected {expected}, got {got}"
            )
        if case.endpoint in SESSION_ENDING:
            clients.forget(case.role)
    return mismatches, len(cases)


def test_grid_get(app, grid):
    mismatches, count = _run_grid(app, grid, "GET")
    assert count > 900
    assert mismatches == [], "\n" + "\n".join(mismatches)


def test_grid_post_with_empty_body(app, grid):
    mismatches, count = _run_grid(app, grid, "POST")
    assert count > 900
    assert mismatches == [], "\n" + "\n".join(mismatches)


def test_grid_expectations_distinguish_the_scopes(app, grid):
    """Guards the grid's own logic: the cases it names are the ones the promise is about."""
    by_key = {(c.endpoint, c.role, c.scope): _expected(c) for c in _cases(app, grid, "GET")}
    assert by_key[("networks.show", "coordinatorA", "own")] == "ok"
    assert by_key[("networks.show", "coordinatorA", "other")] == "404"
    assert by_key[("schools.show", "coordinatorA", "mixed")] == "404"
    assert by_key[("networks.edit", "leaderA", "own")] == "403"
    assert by_key[("networks.edit", "nobody", "own")] == "404"
    assert by_key[("admin.users", "coordinatorA", "-")] == "403"
    assert by_key[("admin.users", "anonymous", "-")] == "login"
    assert by_key[("groups.show", "evaluatorA", "own")] == "ok"
    assert by_key[("groups.show", "leaderA", "mixed")] == "404"
    assert by_key[("groups.edit_session", "coordinatorA", "own")] == "ok"
    assert by_key[("groups.edit_session", "coordinatorA", "mixed:session_uid")] == "404"
    assert by_key[("groups.edit_session", "coordinatorA", "mixed:group_uid")] == "404"
    assert by_key[("transfers.edit_adoption", "coordinatorA", "mixed:adoption_uid")] == "404"
    assert by_key[("packages.job", "coordinatorA", "mixed")] == "404"
    assert by_key[("packages.job", "evaluatorA", "own")] == "403"
    assert by_key[("packages.export", "leaderA", "own")] == "403"
    assert by_key[("coaching.cascade", "leaderA", "own")] == "ok"
    scopes = {c.scope for c in _cases(app, grid, "GET") if c.endpoint == "groups.edit_outcome"}
    assert scopes == {"own", "other", "mixed", "mixed:group_uid", "mixed:outcome_uid"}


# --- CSRF ------------------------------------------------------------------------------------


def _hidden(page: str, name: str) -> str:
    for tag in re.findall(r"<input\b[^>]*>", page):
        if f'name="{name}"' in tag:
            found = re.search(r'value="([^"]*)"', tag)
            if found:
                return html.unescape(found.group(1))
    raise AssertionError(f"no hidden input {name!r} on the page")


def _login_with_token(client: FlaskClient, email: str) -> None:
    token = _hidden(client.get("/login").get_data(as_text=True), "csrf_token")
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def csrf_clients(app: Flask, world: World) -> Callable[[str], FlaskClient]:
    signed: dict[str, FlaskClient] = {"anonymous": app.test_client()}
    for role in ("coordinatorA", "admin"):
        signed[role] = app.test_client()
        _login_with_token(signed[role], EMAILS[role])
    return signed.__getitem__


def _poster(endpoint: str) -> str:
    """Who sends the forged form: the role that may use the route."""
    if endpoint.startswith("admin."):
        return "admin"
    return "anonymous" if endpoint == "auth.login" else "coordinatorA"


def _forged_posts(
    app: Flask, values: dict[str, Any], clients: Callable[[str], FlaskClient]
) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(endpoint, role, url, form) for every POST route, in an order where each form still
    makes sense after the ones before it were accepted."""

    def url(endpoint: str) -> str:
        rule = next(r for r in _rules(app) if r.endpoint == endpoint)
        with app.test_request_context():
            return url_for(endpoint, **{a: values[a] for a in rule.arguments})

    def hidden(page: str, name: str) -> str:
        response = clients("coordinatorA").get(url(page))
        assert response.status_code == 200, f"{page}: {response.status_code}"
        return _hidden(response.get_data(as_text=True), name)

    posts = [r.endpoint for r in _rules(app) if "POST" in _methods(r)]
    for endpoint in forge_order(posts):
        yield endpoint, _poster(endpoint), url(endpoint), forged_form(endpoint, values, hidden)


@pytest.mark.csrf
def test_every_post_without_a_token_is_refused_and_changes_nothing(app, grid, csrf_clients):
    failures = []
    posted = 0
    for endpoint, role, url, form in _forged_posts(app, grid["A"], csrf_clients):
        before = stores_state(app)
        response = csrf_clients(role).post(url, data=form)
        after = stores_state(app)
        posted += 1
        if response.status_code != 400:
            failures.append(f"{endpoint} as {role}: status {response.status_code}")
        if after != before:
            failures.append(f"{endpoint} as {role}: the stores changed")
    assert posted == sum("POST" in m for m in EXPECTED.values())
    assert failures == [], "\n" + "\n".join(failures)
    # The refused logout and sign-out-everywhere left the sessions alone.
    assert csrf_clients("coordinatorA").get("/").status_code == 200
    assert csrf_clients("admin").get("/admin/").status_code == 200


def test_the_forged_forms_would_be_accepted_without_csrf(app, grid):
    """The control for the test above: with CSRF off, each forged form is accepted and
    writes, so "the stores did not change" there is down to the token check alone."""
    clients = Clients(app)
    failures = []
    posted = 0
    for endpoint, role, url, form in _forged_posts(app, grid["A"], clients):
        before = stores_state(app)
        response = clients(role).post(url, data=form)
        changed = stores_state(app) != before
        posted += 1
        if endpoint in SESSION_ENDING:
            clients.forget(role)
        status = response.status_code
        redirect = urlsplit(response.headers.get("Location", ""))
        if status >= 500 or status in {401, 403, 404} or "next" in parse_qs(redirect.query):
            failures.append(f"{endpoint} as {role}: not allowed ({status} {redirect.path})")
        elif (status >= 400) != (endpoint in REFUSED_ANYWAY):
            body = re.sub(r"\s+", " ", response.get_data(as_text=True))
            errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{0,200})', body)
            failures.append(f"{endpoint} as {role}: status {status} {errors[:3]}")
        elif changed == (endpoint in WRITES_NOTHING or endpoint in REFUSED_ANYWAY):
            failures.append(f"{endpoint} as {role}: status {status}, stores changed: {changed}")
    assert posted == sum("POST" in m for m in EXPECTED.values())
    assert failures == [], "\n" + "\n".join(failures)


@pytest.mark.csrf
def test_a_post_with_the_form_token_succeeds(app, world, csrf_clients):
    client = csrf_clients("coordinatorA")
    network_uid = world.networks["A"]["uid"]
    form_url = f"/networks/{network_uid}/schools/new"
    page = client.get(form_url).get_data(as_text=True)
    data = {
        "uid": _hidden(page, "uid"),
        "name": "Token Primary",
        "urn": "T4242",
        "phase": "primary",
        "joined": "2024-10-01",
    }

    before = stores_state(app)
    refused = client.post(form_url, data=data)
    assert refused.status_code == 400
    assert stores_state(app) == before

    accepted = client.post(form_url, data={**data, "csrf_token": _hidden(page, "csrf_token")})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)[:500]
    assert stores_state(app) != before
    listing = client.get(f"/networks/{network_uid}/schools/").get_data(as_text=True)
    assert "Token Primary" in listing


# --- headers ---------------------------------------------------------------------------------


def _directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


@pytest.mark.parametrize("path", ["/login", "/no-such-page"])
def test_pages_carry_security_headers(client, path):
    response = client.get(path)
    assert response.mimetype == "text/html"
    policy = _directives(response.headers["Content-Security-Policy"])
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts, "the policy must restrict scripts"
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert policy.get("frame-ancestors") == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
