"""What the app-level benchmarks share: a throwaway app on its own embedded FalkorDB, and the
450-person, 15-school network they measure (a synthetic package, imported)."""

from __future__ import annotations

import signal
import statistics
from pathlib import Path
from typing import Any

from tracker import create_app
from tracker.extensions import db, graph
from tracker.graph.schema import SCHEMA
from tracker.packages import import_package
from tracker.packages.synthetic import write_package
from tracker.services import users

COORDINATOR = "coord@bench.example"
PASSWORD = "benchmark passphrase, long enough"  # noqa: S105 - a throwaway account


def stop_after(seconds: int) -> None:
    """End the run with a message if it goes on longer than ``seconds``."""

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit("stopped: the benchmark ran past its --timeout")

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)


def bench_app(folder: Path, graph_name: str) -> Any:
    """An app whose SQLite file and embedded graph live in ``folder`` (unix socket only)."""
    instance = folder / "instance"
    instance.mkdir(mode=0o700)
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'tracker.db'}",
            "TRACKER_GRAPH_URL": "embedded",
            "TRACKER_EMBEDDED_DIR": str(folder / "graph"),
            "TRACKER_GRAPH_NAME": graph_name,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
        graph.store.ensure_schema(SCHEMA)
    return app


def network_450(app: Any, folder: Path) -> tuple[str, int, int]:
    """Import the 15-school network (about 450 people) and make its coordinator's account;
    returns (network uid, package rows, user id). Call inside ``app.app_context()``."""
    rows = write_package(folder / "package", seed=450, schools=15, staff_scale=0.8, months=12)
    report = import_package(folder / "package", actor="benchmark")
    assert report.ok, report.problems[:3]
    network = report.network_uid or ""
    user = users.create("benchmark", COORDINATOR, PASSWORD, role="coordinator", network_uid=network)
    db.session.commit()
    return network, sum(rows.values()), user.id


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)
