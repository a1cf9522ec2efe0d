"""The influence maps in a real Chromium: drawn from the server's JSON, filtered, tabled, exported.

Two networks come in as synthetic packages (the importer is fast): a small one with four
schools for counting and privacy, and one of about 500 people for the large-map check. Both
are imported once per module into the shared browser app; each test signs in on its own page.
"""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.browser.conftest import DESKTOP, SCREENSHOTS, LiveServer, new_page, sign_in
from tests.conftest import PASSWORD
from tracker.extensions import db
from tracker.packages import import_package
from tracker.packages.synthetic import write_package
from tracker.services import users

pytestmark = pytest.mark.browser

AT = "2025-07-15"
BEFORE = "2024-12-20"
CANVAS = "[data-map-canvas]"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PSEUDONYM = re.compile(r"Person [A-Z2-7]{6}")
SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass
class MappedNetwork:
    uid: str
    schools: list[str]  # school uids, sorted
    emails: dict[str, str]  # role -> email

    def url(self, base: str, endpoint: str = "", **params: Any) -> str:
        query = urlencode(params, doseq=True)
        return f"{base}/networks/{self.uid}/maps/{endpoint}" + (f"?{query}" if query else "")


def _import(live: LiveServer, key: str, **package: Any) -> MappedNetwork:
    """Import a synthetic network package and give it a coordinator, a leader and an evaluator."""
    with tempfile.TemporaryDirectory(prefix="maps-browser-") as folder, live.app.app_context():
        write_package(folder, months=12, network_name=f"Maps {key} Learning Network", **package)
        report = import_package(folder, actor="test")
        assert report.ok, report.problems[:3]
        uid = report.network_uid or ""
        from tracker.services import networks

        schools = sorted(
            s["school_uid"] for s in networks.schools_by_network() if s["network_uid"] == uid
        )
        emails = {
            role: f"{role}.maps{key}@example.org" for role in ("coordinator", "leader", "evaluator")
        }
        users.create("test", emails["coordinator"], PASSWORD, role="coordinator", network_uid=uid)
        users.create(
            "test",
            emails["leader"],
            PASSWORD,
            role="leader",
            network_uid=uid,
            school_uid=schools[0],
        )
        users.create("test", emails["evaluator"], PASSWORD, role="evaluator", network_uid=uid)
        db.session.commit()
    return MappedNetwork(uid, schools, emails)


VENDOR = Path(__file__).resolve().parents[2] / "tracker" / "static" / "vendor"


@pytest.fixture(scope="module", autouse=True)
def _vendor_installed() -> None:
    """The map library comes from npm through scripts/setup.sh; without it nothing is drawn."""
    missing = [n for n in ("cytoscape.min.js", "cytoscape-svg.js") if not (VENDOR / n).exists()]
    if missing:
        pytest.fail(f"tracker/static/vendor/ lacks {missing}: run scripts/setup.sh first")


@pytest.fixture(scope="module")
def small(live_server: LiveServer) -> MappedNetwork:
    return _import(live_server, "small", seed=61, schools=4, staff_scale=0.6, activity_scale=0.6)


@pytest.fixture(scope="module")
def large(live_server: LiveServer) -> MappedNetwork:
    return _import(live_server, "large", seed=500, schools=15, staff_scale=1.35, activity_scale=0.5)


def _shot(page: Page, name: str, anchor: str = "#map-heading") -> None:
    """A screenshot for the README, scrolled so that ``anchor`` is at the top of the window."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(anchor).evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / name))


def _open_map(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(CANVAS)).to_have_attribute("data-rendered", "true")


def _drawn(page: Page) -> dict[str, Any]:
    """What Cytoscape holds: node ids (clusters left out), edge ids, and the labels it draws."""
    return page.locator(CANVAS).evaluate(
        """el => {
          const cy = el._cyreg.cy;
          const nodes = cy.nodes().not('.cluster');
          return {
            nodes: nodes.map(n => n.id()).sort(),
            edges: cy.edges().map(e => e.id()).sort(),
            edgeKinds: [...new Set(cy.edges().map(e => e.data('kind')))].sort(),
            labels: nodes.map(n => n.data('label')).sort(),
            clusters: cy.nodes('.cluster').length,
            positions: nodes.map(n => [n.id(), n.position('x'), n.position('y')]),
          };
        }"""
    )


def _data(page: Page, url: str) -> dict[str, Any]:
    """The map's JSON from maps.data, fetched with the page's own cookies."""
    answer = page.request.get(url)
    assert answer.status == 200, answer.status
    return answer.json()


def _table_rows(page: Page, table: str) -> list[list[str]]:
    return page.locator(f"#{table} tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent.trim()))"
    )


def test_network_map_draws_what_the_server_sends(
    page: Page, live_server: LiveServer, small: MappedNetwork
) -> None:
    base = live_server.url
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, base, small.emails["coordinator"])
    _open_map(page, small.url(base, view="network", at=AT))
    data = _data(page, small.url(base, "data.json", view="network", at=AT))
    drawn = _drawn(page)
    assert refused == []  # Cytoscape draws under our CSP (no inline styles or scripts)

    assert len(data["nodes"]) > 20 and len(data["edges"]) > 20  # a map worth drawing
    assert drawn["nodes"] == sorted(n["id"] for n in data["nodes"])
    assert drawn["edges"] == sorted(e["id"] for e in data["edges"])
    expect(page.locator(CANVAS)).to_have_attribute("data-nodes", str(len(data["nodes"])))
    assert drawn["clusters"] == len(data["clusters"]) == len(small.schools)
    # Preset layout: the browser keeps the server's coordinates (scaled evenly), no re-layout.
    by_id = {n["id"]: n for n in data["nodes"]}
    [(first, x0, _), *rest] = drawn["positions"]
    ratios = {
        round((x - x0) / (by_id[i]["x"] - by_id[first]["x"]), 6)
        for i, x, _ in rest
        if abs(by_id[i]["x"] - by_id[first]["x"]) > 1
    }
    assert len(ratios) == 1, ratios
    # The legend comes from the server, and so does the privacy note.
    legend = page.get_by_role("list", name="Legend").get_by_role("listitem")
    expect(legend).to_have_count(len(data["legend"]))
    expect(page.locator(".map-privacy")).to_have_text(data["privacy"]["note"])
    # The text alternative names the counts and points at the table.
    label = page.locator(CANVAS).get_attribute("aria-label") or ""
    assert f"{len(data['nodes'])} nodes and {len(data['edges'])} ties" in label
    assert "tables below" in label
    _shot(page, "maps-network.png")


def test_a_filter_changes_the_map_and_stays_in_the_url(
    page: Page, live_server: LiveServer, small: MappedNetwork
) -> None:
    base = live_server.url
    sign_in(page, base, small.emails["coordinator"])
    _open_map(page, small.url(base, view="network", at=AT))
    everything = _drawn(page)
    assert len(everything["edgeKinds"]) > 1

    # Only advice ties: untick every other kind and show the map.
    kinds = page.get_by_role("group", name="Tie kinds")
    for box in kinds.get_by_role("checkbox").all():
        if box.get_attribute("value") != "advice":
            box.uncheck()
    page.get_by_role("button", name="Show map").click()
    page.wait_for_url(re.compile(r"kinds=advice"))
    expect(page.locator(CANVAS)).to_have_attribute("data-rendered", "true")
    query = parse_qs(urlsplit(page.url).query)
    # Only the chosen filters travel: no empty fields, no all-ticked layer boxes.
    assert query == {"view": ["network"], "at": [AT], "kinds": ["advice"]}

    advice = _drawn(page)
    data = _data(page, small.url(base, "data.json", view="network", at=AT, kinds="advice"))
    assert advice["edgeKinds"] == ["advice"]
    assert advice["edges"] == sorted(e["id"] for e in data["edges"])
    assert 0 < len(advice["edges"]) < len(everything["edges"])
    expect(kinds.get_by_role("checkbox", name="advice", exact=False).first).to_be_checked()

    # The URL is the bookmark: loading it again draws the same map.
    page.reload()
    expect(page.locator(CANVAS)).to_have_attribute("data-rendered", "true")
    assert _drawn(page)["edges"] == advice["edges"]
    # A layer filter on top: support staff leave the map, and the URL says so.
    layers = page.get_by_role("group", name="Layers")
    layers.get_by_role("checkbox", name="Support staff").uncheck()
    page.get_by_role("button", name="Show map").click()
    page.wait_for_url(re.compile(r"layer=senior"))
    expect(page.locator(CANVAS)).to_have_attribute("data-rendered", "true")
    query = parse_qs(urlsplit(page.url).query)
    assert query["kinds"] == ["advice"] and "support" not in query["layer"]
    layered = page.locator(CANVAS).evaluate(
        "el => [...new Set(el._cyreg.cy.nodes().not('.cluster').map(n => n.data('layer')))]"
    )
    assert layered and "support" not in layered
    expect(layers.get_by_role("checkbox", name="Support staff")).not_to_be_checked()
    # Switching view keeps the filters.
    page.get_by_role("navigation", name="Map views").get_by_role("link", name="Schools").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["view"] == ["schools"] and query["kinds"] == ["advice"]
    assert "support" not in query["layer"]

    # A refused filter: 422, the field named and marked, no map drawn.
    answer = page.goto(small.url(base, view="network", at="2025-02-30"))
    assert answer is not None and answer.status == 422
    expect(page.get_by_role("alert")).to_contain_text("YYYY-MM-DD")
    expect(page.get_by_label("As at")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(CANVAS)).to_have_count(0)


def test_the_table_view_agrees_with_the_map_and_sorts(
    page: Page, live_server: LiveServer, small: MappedNetwork
) -> None:
    base = live_server.url
    sign_in(page, base, small.emails["coordinator"])
    _open_map(page, small.url(base, view="network", at=AT))
    drawn = _drawn(page)

    nodes = _table_rows(page, "map-nodes")
    edges = _table_rows(page, "map-edges")
    assert sorted(row[0] for row in nodes) == drawn["labels"]
    assert len(edges) == len(drawn["edges"])
    table = page.get_by_role("table", name=re.compile(r"^People and schools on the map"))
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader")).to_have_count(len(drawn["nodes"]))

    # Sorting: buttons in the header set aria-sort and reorder the rows.
    header = table.get_by_role("columnheader", name="Nominations received")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    received = [int(row[3]) for row in _table_rows(page, "map-nodes")]
    assert received == sorted(received)
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    received = [int(row[3]) for row in _table_rows(page, "map-nodes")]
    assert received == sorted(received, reverse=True) and received[0] > received[-1]
    expect(table.get_by_role("columnheader", name="Name")).not_to_have_attribute(
        "aria-sort", re.compile(".")
    )
    expect(table.locator("caption")).to_contain_text("sorted by Nominations received descending")
    _shot(page, "maps-table.png", "#map-tables")


def test_png_and_svg_exports_are_valid_files(
    page: Page, live_server: LiveServer, small: MappedNetwork, tmp_path: Path
) -> None:
    base = live_server.url
    sign_in(page, base, small.emails["coordinator"])
    _open_map(page, small.url(base, view="network", at=AT))
    drawn = _drawn(page)

    with page.expect_download() as png:
        page.get_by_role("button", name="Download PNG").click()
    assert png.value.suggested_filename == f"influence-map-network-{AT}.png"
    path = tmp_path / "map.png"
    png.value.save_as(path)
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    width, height = (
        int.from_bytes(path.read_bytes()[16 + 4 * i : 20 + 4 * i], "big") for i in range(2)
    )
    assert width > 300 and height > 300

    with page.expect_download() as svg:
        page.get_by_role("button", name="Download SVG").click()
    assert svg.value.suggested_filename.endswith(".svg")
    path = tmp_path / "map.svg"
    svg.value.save_as(path)
    root = ET.parse(path).getroot()  # noqa: S314 - our own export, in a test
    assert root.tag == f"{SVG_NS}svg"
    # Every node and every school cluster has its label drawn once in ink (and once as outline).
    inked = [t.text for t in root.iter(f"{SVG_NS}text") if t.get("fill") != "none"]
    assert len(inked) == len(drawn["nodes"]) + drawn["clusters"]
    assert sorted(t for t in inked if t in drawn["labels"]) == drawn["labels"]

    # CSV: plain links to maps.csv that keep the page's filters.
    for part, count in (("nodes", len(drawn["nodes"])), ("edges", len(drawn["edges"]))):
        link = page.locator(f"a[href*='data.csv'][href*='part={part}']")
        expect(link).to_have_attribute("download", "")
        href = link.get_attribute("href") or ""
        assert "at=" + AT in href
        answer = page.request.get(base + href)
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
        assert len(answer.text().strip().splitlines()) == count + 1


def _visit_collecting(page: Page, url: str) -> list[str]:
    """Open the map and return every text body the browser received on the way."""
    bodies: list[Response] = []
    page.on("response", lambda response: bodies.append(response))
    _open_map(page, url)
    texts = []
    for response in bodies:
        kind = response.headers.get("content-type", "")
        if kind.startswith(("text/", "application/json")) and response.status < 300:
            texts.append(response.text())
    return texts


@pytest.mark.parametrize("role", ["leader", "evaluator"])
def test_no_real_name_reaches_a_viewer_who_may_not_see_it(
    browser: Browser, live_server: LiveServer, small: MappedNetwork, role: str
) -> None:
    base = live_server.url
    params = {"view": "network", "at": AT}
    coordinator = new_page(browser)
    sign_in(coordinator, base, small.emails["coordinator"])
    everyone = [
        n
        for n in _data(coordinator, small.url(base, "data.json", **params))["nodes"]
        if n["kind"] == "person"
    ]
    coordinator.context.close()
    # Neither may see a name on a map of questionnaire answers: not an evaluator without a
    # named grant, nor a leader, even for their own school (leaders never see answers).
    own = None
    allowed = {n["label"] for n in everyone if n["school"] == own}
    forbidden = {n["label"] for n in everyone if n["school"] != own} - allowed
    hidden_uids = {n["id"] for n in everyone if n["school"] != own}
    assert len(forbidden) > 10

    page = new_page(browser)
    try:
        sign_in(page, base, small.emails[role])
        texts = _visit_collecting(page, small.url(base, **params))
        data = _data(page, small.url(base, "data.json", **params))
        texts += [json.dumps(data), page.content()]
        for part in ("nodes", "edges"):
            texts.append(page.request.get(small.url(base, "data.csv", part=part, **params)).text())
        with page.expect_download() as svg:
            page.get_by_role("button", name="Download SVG").click()
        texts.append(Path(svg.value.path()).read_text())

        people = [n for n in data["nodes"] if n["kind"] == "person"]
        assert len(people) == len(everyone)  # the same map, only masked
        for n in people:
            masked = n["school"] != own
            assert n["pseudonymised"] is masked
            assert bool(PSEUDONYM.fullmatch(n["label"])) is masked, n["label"]
        leaks = sorted(name for name in forbidden if any(name in text for text in texts))
        assert not leaks, f"the {role} received real names: {leaks[:5]}"
        # Nor the people's ids, which the people pages would turn back into names.
        leaked_ids = [uid for uid in hidden_uids if any(uid in text for text in texts)]
        assert not leaked_ids, f"the {role} received real person ids: {leaked_ids[:3]}"
        expect(page.locator(".map-privacy")).to_have_text(data["privacy"]["note"])
        if role == "leader":
            _shot(page, "maps-leader.png")
    finally:
        page.context.close()


def test_without_javascript_the_tables_carry_the_map(
    browser: Browser, live_server: LiveServer, small: MappedNetwork
) -> None:
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, base, small.emails["coordinator"])
        page.goto(small.url(base, view="network", at=AT))
        data = _data(page, small.url(base, "data.json", view="network", at=AT))
        expect(page.locator(CANVAS)).to_contain_text("table view")
        expect(page.locator("#map-nodes tbody tr")).to_have_count(len(data["nodes"]))
        expect(page.locator("#map-edges tbody tr")).to_have_count(len(data["edges"]))
        expect(page.locator("#map-nodes thead button")).to_have_count(0)
        expect(page.get_by_role("button", name="Download PNG")).to_be_hidden()
        expect(page.get_by_role("link", name="Nodes CSV")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("view", "extra"),
    [
        ("schools", {}),
        ("ego", {"school": 0}),
        ("sociogram", {"school": 0}),
        ("change", {"from": BEFORE, "to": AT}),
        ("whatif", {"person": "broker"}),
    ],
)
def test_every_view_draws_its_data(
    page: Page, live_server: LiveServer, small: MappedNetwork, view: str, extra: dict[str, Any]
) -> None:
    base = live_server.url
    sign_in(page, base, small.emails["coordinator"])
    params: dict[str, Any] = {"view": view, "at": AT, **extra}
    if "school" in extra:
        params["school"] = small.schools[extra["school"]]
    if extra.get("person") == "broker":
        network = _data(page, small.url(base, "data.json", at=AT))["nodes"]
        people = [n for n in network if n["kind"] == "person"]
        chosen = max(people, key=lambda n: (n["broker"], n["articulation_point"], n["in_degree"]))
        params["person"] = chosen["id"]
    _open_map(page, small.url(base, **params))
    data = _data(page, small.url(base, "data.json", **params))
    drawn = _drawn(page)
    assert data["view"] == view
    assert drawn["nodes"] == sorted(n["id"] for n in data["nodes"]) and drawn["nodes"]
    assert drawn["edges"] == sorted(e["id"] for e in data["edges"])
    assert len(_table_rows(page, "map-nodes")) == len(data["nodes"])
    if view == "schools":
        assert {n["kind"] for n in data["nodes"]} == {"school"}
    if view == "change":
        changes = {e["change"] for e in data["edges"]}
        assert changes <= {"gained", "lost", "same"} and changes & {"gained", "lost"}
        dashed = page.locator(CANVAS).evaluate(
            "el => el._cyreg.cy.edges('.change-lost').map(e => e.style('line-style'))"
        )
        assert set(dashed) <= {"dashed"}
    if view == "whatif":
        expect(page.get_by_role("heading", name=re.compile(r"^If .+ left$"))).to_be_visible()
    _shot(page, f"maps-{view}.png")


def test_a_500_person_map_loads_and_stays_light(
    page: Page, live_server: LiveServer, large: MappedNetwork
) -> None:
    base = live_server.url
    sign_in(page, base, large.emails["coordinator"])
    _open_map(page, large.url(base, view="network", at=AT))
    data = _data(page, large.url(base, "data.json", view="network", at=AT))
    drawn = _drawn(page)
    assert len(data["nodes"]) >= 450
    assert len(drawn["nodes"]) == len(data["nodes"]) and len(drawn["edges"]) == len(data["edges"])
    # No DOM per node outside the table: the map is a few canvases.
    assert page.locator(f"{CANVAS} *").count() < 20
    # The table has every row but shows 200 at a time.
    rows = page.locator("#map-nodes tbody tr")
    expect(rows).to_have_count(len(data["nodes"]))
    expect(page.locator("#map-nodes tbody tr:visible")).to_have_count(200)
    pager = page.get_by_role("navigation", name="Pages of the people table")
    expect(pager).to_contain_text(f"Rows 1\u2013200 of {len(data['nodes'])}")
    pager.get_by_role("button", name="Next rows").click()
    expect(pager).to_contain_text(f"Rows 201\u2013400 of {len(data['nodes'])}")
    expect(rows.nth(0)).to_be_hidden()
    expect(rows.nth(200)).to_be_visible()
