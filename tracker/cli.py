"""The ``tracker`` console script (the same commands work as ``flask --app tracker ...``)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from tracker.extensions import db, graph
from tracker.graph.schema import SCHEMA
from tracker.graph.store import GraphError, NotFound
from tracker.services import Invalid


def _one_line_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Domain failures exit non-zero with a one-line reason on stderr."""

    @functools.wraps(command)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Invalid as exc:
            db.session.rollback()
            raise click.ClickException(" ".join(exc.errors.values())) from None
        except NotFound as exc:
            raise click.ClickException(f"not found: {exc}") from None
        except GraphError as exc:
            raise click.ClickException(str(exc).splitlines()[0]) from None

    return wrapped


def initialise() -> None:
    """Create or upgrade the relational schema and the graph schema; safe to repeat."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
    graph.store.ensure_schema(SCHEMA)


@click.command("init")
@with_appcontext
@_one_line_errors
def init_command() -> None:
    """Create or upgrade both stores' schemas (safe to run twice)."""
    initialise()
    click.echo(f"Relational schema at head; graph schema ensured on {graph.store.backend}.")


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@with_appcontext
@_one_line_errors
def run_command(host: str, port: int, workers: int) -> None:
    """Serve the web app (gunicorn); starts the embedded graph store if configured."""
    from tracker.server import serve

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    graph.store.ping()  # starts the embedded server before workers fork
    click.echo(
        f"Serving the Learning Network Tracker on http://{host}:{port}/ "
        f"(graph: {graph.store.backend}). Press Ctrl-C to stop."
    )
    serve(app, host=host, port=port, workers=workers)


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the logins as JSON.")
@with_appcontext
@_one_line_errors
def demo_command(as_json: bool) -> None:
    """Load the demonstration network and print the logins it created."""
    from tracker.services import demo

    initialise()
    result = demo.load()
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(
        f"Demonstration network “{result['network']['name']}”: "
        f"{result['schools']} schools, {result['people']} people."
    )
    click.echo(
        f"Its activity: {result['groups']} enquiry groups with {result['group_sessions']} "
        f"sessions, {result['coaching_pairs']} co-coaching pairs, {result['roles']} roles, "
        f"{result['activities']} activities, {result['transfers']} knowledge-transfer steps."
    )
    for survey in result.get("survey_rounds", []):
        click.echo(
            f"Questionnaire “{survey['title']}” ({survey['opens']} to {survey['closes']}, "
            f"{survey['status']}): {survey['invited']} invited, {survey['responses']} answering."
        )
    click.echo("Logins (also kept in instance/demo-logins.json):")
    for login in result["logins"]:
        click.echo(f"  {login['role']:<12} {login['email']:<34} {login['password']}")


@click.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("create")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice(["admin", "coordinator", "leader", "evaluator"])
)
@click.option("--network", "network_ref", help="Network uid or exact name.")
@click.option("--school", "school_ref", help="School uid or exact name (leaders).")
@click.option("--name", default="", help="The person's name, shown in the app.")
@click.option("--names-visible", is_flag=True, help="Evaluator may see real names.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
@_one_line_errors
def user_create(
    email: str,
    role: str,
    network_ref: str | None,
    school_ref: str | None,
    name: str,
    names_visible: bool,
    password_stdin: bool,
    as_json: bool,
) -> None:
    """Create an account and its grant."""
    from tracker.services import networks, users

    network_uid = networks.resolve(network_ref)["uid"] if network_ref else None
    school_uid = None
    if school_ref:
        if not network_uid:
            raise click.ClickException("--school needs --network")
        matches = [
            s
            for s in networks.schools_by_network()
            if s["network_uid"] == network_uid and school_ref in (s["school_uid"], s["school_name"])
        ]
        if not matches:
            raise click.ClickException(f"no school {school_ref!r} in that network")
        school_uid = matches[0]["school_uid"]
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        raise click.ClickException("no terminal for a password prompt: use --password-stdin")
    user = users.create(
        "cli",
        email,
        password,
        name=name,
        role=role,
        network_uid=network_uid,
        school_uid=school_uid,
        names_visible=names_visible,
    )
    if as_json:
        click.echo(json.dumps({"id": user.id, **users.describe(user)}))
    else:
        click.echo(f"Created {user.email} ({role}).")


@click.command("networks")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
@_one_line_errors
def networks_command(as_json: bool) -> None:
    """List networks with uid, name, school and people counts."""
    from tracker.services import networks

    rows = networks.listing(None)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "uid": n["uid"],
                        "name": n["name"],
                        "kind": n["kind"],
                        "schools": n["schools"],
                        "people": n["people"],
                    }
                    for n in rows
                ]
            )
        )
        return
    if not rows:
        click.echo("No networks yet. Create one in the web app or run `tracker demo`.")
        return
    click.echo(f"{'uid':<36}  {'schools':>7}  {'people':>6}  name")
    for n in rows:
        click.echo(f"{n['uid']:<36}  {n['schools']:>7}  {n['people']:>6}  {n['name']}")


def _progress_printer() -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress bar on a terminal, or a plain line per tenth on stderr otherwise."""
    state: dict[str, Any] = {"bar": None, "last": 0, "tenth": -1}

    def update(done: int, total: int) -> None:
        if sys.stderr.isatty():
            if state["bar"] is None:
                state["bar"] = click.progressbar(
                    length=total, label="Writing", file=sys.stderr
                ).__enter__()
            state["bar"].update(done - state["last"])
            state["last"] = done
            return
        tenth = (done * 10) // total if total else 10
        if tenth != state["tenth"]:
            state["tenth"] = tenth
            click.echo(f"written {done} of {total} rows", err=True)

    def finish() -> None:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)

    return update, finish


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=True, file_okay=True))
@click.option("--network", "network_ref", help="Import into this network (uid or exact name).")
@click.option("--dry-run", is_flag=True, help="Check and count; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
@_one_line_errors
def import_command(path: str, network_ref: str | None, dry_run: bool, as_json: bool) -> None:
    """Import a network package (a folder or .zip of CSV files)."""
    from tracker.packages import PackageError, import_package

    update, finish = _progress_printer()
    try:
        report = import_package(
            path,
            network=network_ref,
            dry_run=dry_run,
            actor="cli",
            progress=None if as_json else update,
        )
    except PackageError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        finish()
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        if not report.ok:
            sys.exit(1)
        return
    if not report.ok:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        count = len(report.problems)
        raise click.ClickException(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
        )
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} “{report.network_name}” ({report.network_uid}).")
    click.echo(f"{'file':<24} {'created':>8} {'updated':>8} {'unchanged':>10}")
    for name in report.files:
        click.echo(
            f"{name:<24} {report.created[name]:>8} {report.updated[name]:>8} "
            f"{report.unchanged[name]:>10}"
        )
    totals = report.totals()
    click.echo(
        f"{'total':<24} {totals['created']:>8} {totals['updated']:>8} {totals['unchanged']:>10}"
    )
    if dry_run:
        click.echo("Dry run: nothing was written.")
    elif not report.changed:
        click.echo("Nothing changed: the graph already holds this package.")


@click.command("export")
@click.argument("network_ref", metavar="NETWORK")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["package", "json", "graphml", "gexf"]),
    default="package",
    show_default=True,
)
@click.option("--pseudonymise", is_flag=True, help="Replace people's names with pseudonyms.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, file_okay=True),
    help="A .zip file, or a folder. Default: <network name>.zip here.",
)
@click.option("--json", "as_json", is_flag=True, help="Print where the export went as JSON.")
@with_appcontext
@_one_line_errors
def export_command(
    network_ref: str, fmt: str, pseudonymise: bool, output: str | None, as_json: bool
) -> None:
    """Export a network (a package round-trips through `tracker import`)."""
    from tracker.packages import export_package
    from tracker.services import networks

    if fmt != "package":
        raise click.ClickException(f"--format {fmt} is not available yet; use --format package")
    network = networks.resolve(network_ref)
    if output is None:
        slug = "".join(c if c.isalnum() else "-" for c in network["name"].lower()).strip("-")
        output = f"{slug or 'network'}.zip"
    path = export_package(network["uid"], output, pseudonymise=pseudonymise)
    if as_json:
        click.echo(json.dumps({"network": network["uid"], "format": fmt, "path": str(path)}))
    else:
        click.echo(f"Exported “{network['name']}” to {path}.")


def _analysis(network_ref: str, at: str | None) -> dict[str, Any]:
    from tracker.services import Invalid, networks
    from tracker.services import analysis as analysis_service

    network = networks.resolve(network_ref)
    try:
        return analysis_service.results(network["uid"], at)
    except Invalid as error:
        raise click.ClickException(error.errors["at"]) from None


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "n/a" if value is None else str(value)


@click.command("metrics")
@click.argument("network_ref", metavar="NETWORK")
@click.option("--at", help="As-at date, YYYY-MM-DD (default: today).")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
@_one_line_errors
def metrics_command(network_ref: str, at: str | None, as_json: bool) -> None:
    """Network, school and person metrics as at a date."""
    from tracker.services.analysis import metrics_document

    document = metrics_document(_analysis(network_ref, at))
    if as_json:
        click.echo(json.dumps(document))
        return
    click.echo(f"Metrics as at {document['at']}")
    for key, value in document["network_metrics"].items():
        if not isinstance(value, dict | list):
            click.echo(f"  {key.replace('_', ' ')}: {_number(value)}")
    click.echo(
        f"{len(document['schools'])} schools, {len(document['people'])} people "
        "(use --json for school and person metrics)"
    )


@click.command("signs")
@click.argument("network_ref", metavar="NETWORK")
@click.option("--at", help="As-at date, YYYY-MM-DD (default: today).")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
@_one_line_errors
def signs_command(network_ref: str, at: str | None, as_json: bool) -> None:
    """The warning signs as at a date."""
    from tracker.services.analysis import signs_document

    document = signs_document(_analysis(network_ref, at))
    if as_json:
        click.echo(json.dumps(document))
        return
    held = [s for s in document["signs"] if "insufficient_data" not in s["evidence"]]
    unjudged = [s for s in document["signs"] if "insufficient_data" in s["evidence"]]
    click.echo(f"Warning signs as at {document['at']}: {len(held)}")
    for sign in held:
        click.echo(f"  [{sign['severity']}] {sign['title']} ({sign['id']})")
        click.echo(f"      {sign['explanation']}")
    if not held:
        click.echo("  none holds")
    for sign in unjudged:
        click.echo(f"  [not judged] {sign['title']}: {sign['evidence']['insufficient_data']}")


@click.command("retention")
@click.option("--network", "network_ref", help="Only this network (uid or exact name).")
@click.option("--apply", "apply_", is_flag=True, help="Delete (without it: a dry run).")
@click.option("--json", "as_json", is_flag=True, help="Print what is (or would be) deleted.")
@with_appcontext
@_one_line_errors
def retention_command(network_ref: str | None, apply_: bool, as_json: bool) -> None:
    """Delete questionnaire answers older than each network's retention setting."""
    from tracker.services import networks, surveys, today

    network_uid = networks.resolve(network_ref)["uid"] if network_ref else None
    rows = surveys.apply_retention(network_uid, today=today(), dry_run=not apply_, actor="cli")
    if as_json:
        click.echo(json.dumps({"applied": apply_, "rounds": rows}, indent=2))
        return
    if not rows:
        click.echo("Nothing is older than the networks' retention settings.")
        return
    verb = "Deleted" if apply_ else "Would delete"
    click.echo(f"{'ended':<10}  {'ties':>6}  {'responses':>9}  {'unlisted':>8}  round")
    for row in rows:
        click.echo(
            f"{row['ended']:<10}  {row['ties']:>6}  {row['responses']:>9}  "
            f"{row['unlisted']:>8}  {row['title']} ({row['survey']})"
        )
    click.echo(f"{verb} the answers of {len(rows)} round{'s' if len(rows) != 1 else ''}.")
    if not apply_:
        click.echo("Dry run: nothing was deleted. Run again with --apply to delete.")


COMMANDS = (
    init_command,
    run_command,
    demo_command,
    user_group,
    networks_command,
    import_command,
    export_command,
    metrics_command,
    signs_command,
    retention_command,
)


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from tracker import create_app

    return create_app()


main = FlaskGroup(
    name="tracker",
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    help="The Learning Network Tracker.",
)
