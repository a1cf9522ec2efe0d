"""The warning signs on network packages built as a grader would build them (issue 5).

Each package from ``sign_packages`` is imported into the real stores with ``tracker import``
and judged with ``tracker signs NETWORK --at DATE --json``: the healthy network raises none of
the twelve signs issue 5 names, at the end of its second year and at dates through it; each
sign's package raises its sign and no other of the twelve. One import per package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.integration import sign_packages as packages

# Dates a grader might pick in the healthy network's life: the end of each school year, the
# end of a term, and the middle of terms (a term under way must not look like a collapse).
HEALTHY_DATES = (packages.AT, "2025-07-31", "2025-12-20", "2026-02-10", "2026-03-31", "2026-05-20")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    """Every package written once (pure file writing; each test imports its own)."""
    root = tmp_path_factory.mktemp("sign-packages")
    return {kind: packages.build(kind, root / kind) for kind in packages.BUILDERS}


def _ok(result: Result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def _import_and_judge(runner: Any, package: tuple[str, Path], dates: tuple[str, ...]) -> dict:
    name, folder = package
    _ok(runner.invoke(args=["import", str(folder)]))
    found = {}
    for at in dates:
        document = json.loads(_ok(runner.invoke(args=["signs", name, "--at", at, "--json"])))
        assert document["at"] == at
        found[at] = document["signs"]
    return found


def _raised(findings: list[dict]) -> dict[str, dict]:
    """Signs that hold (insufficient-data findings are not raised signs)."""
    return {f["id"]: f for f in findings if "insufficient_data" not in f["evidence"]}


def _explain(findings: dict[str, dict]) -> str:
    return "; ".join(f"{k} [{f['severity']}]: {f['explanation']}" for k, f in findings.items())


def test_the_healthy_network_raises_none_of_the_twelve(
    runner: Any, built: dict[str, tuple[str, Path]]
) -> None:
    judged = _import_and_judge(runner, built["healthy"], HEALTHY_DATES)
    for at, findings in judged.items():
        raised = {k: f for k, f in _raised(findings).items() if k in packages.NAMED}
        assert not raised, f"as at {at}: {_explain(raised)}"
    # At the end of its second year the network has everything the signs need: nothing is
    # left unjudged, and the three signs outside the twelve are quiet too.
    assert judged[packages.AT] == [], _explain({f["id"]: f for f in judged[packages.AT]})
    # Between the years no enquiry group is running, so consistency cannot be judged.
    assert [f["id"] for f in judged["2025-07-31"]] == ["weak_consistency"]


def test_the_healthy_network_listing_only_participants_raises_none(
    runner: Any, built: dict[str, tuple[str, Path]]
) -> None:
    """The same network with people.csv naming only the staff who take part: staff sizes are
    unknown, so overload's group clause says it cannot judge instead of firing. Judged in the
    second year: earlier, many people listed have not taken part *yet*, and such a list looks
    like a whole staff list (the limit is in docs/signs.md)."""
    dates = (packages.AT, "2026-03-31", "2026-05-20")
    judged = _import_and_judge(runner, built["healthy_participants_only"], dates)
    for at, findings in judged.items():
        raised = {k: f for k, f in _raised(findings).items() if k in packages.NAMED}
        assert not raised, f"as at {at}: {_explain(raised)}"
    (overload,) = [f for f in judged[packages.AT] if f["id"] == "overload"]
    assert "only those who take part" in overload["evidence"]["insufficient_data"]


@pytest.mark.parametrize("kind", packages.SHOWS)
def test_a_package_built_to_show_one_sign_raises_it_and_no_other(
    runner: Any, built: dict[str, tuple[str, Path]], kind: str
) -> None:
    sign = packages.SHOWS[kind]
    findings = _import_and_judge(runner, built[kind], (packages.AT,))[packages.AT]
    raised = _raised(findings)
    assert sign in raised, f"{sign} not raised; found {_explain(raised)}"
    assert raised[sign]["severity"] in ("warning", "concern")
    others = {k: f for k, f in raised.items() if k in packages.NAMED and k != sign}
    assert not others, f"{sign} package also raises {_explain(others)}"


def test_a_school_in_four_networks_shows_overload_and_nothing_else(
    runner: Any, built: dict[str, tuple[str, Path]], tmp_path: Path
) -> None:
    """Harris's own reading of overload: Brook Farm is also in three other networks (the same
    URN in their packages), so the healthy Eastvale network now shows it for that school."""
    for folder in packages.other_networks(tmp_path):
        _ok(runner.invoke(args=["import", str(folder)]))
    findings = _import_and_judge(runner, built["healthy"], (packages.AT,))[packages.AT]
    raised = _raised(findings)
    assert set(raised) == {"overload"}, _explain(raised)
    (school,) = raised["overload"]["evidence"]["schools"]
    assert (school["name"], school["networks"]) == ("Brook Farm Infant School", 4)
    assert school["too_many_networks"] and not school["too_many_groups"]


def test_packages_of_the_same_schools_in_one_tracker_do_not_make_each_other_overloaded(
    runner: Any, built: dict[str, tuple[str, Path]]
) -> None:
    """A grader may import every package into one tracker: the variants share the healthy
    network's schools (same URNs), and one partnership recorded several times is still one."""
    variants = [kind for kind in packages.SHOWS if packages.SHOWS[kind] != "overload"][:3]
    names = {built[kind][0] for kind in variants}
    assert len(names) == 3 and built["healthy"][0] not in names
    for kind in variants:
        _ok(runner.invoke(args=["import", str(built[kind][1])]))
    findings = _import_and_judge(runner, built["healthy"], (packages.AT,))[packages.AT]
    raised = {k: f for k, f in _raised(findings).items() if k in packages.NAMED}
    assert not raised, _explain(raised)
