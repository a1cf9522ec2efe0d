"""Background jobs: a thread per job, its state and progress kept in the ``jobs`` table.

A route starts a job and answers at once with the job's page, which reads the table. The
thread opens its own app context (its own database session) and records progress as it goes.
A job cut short by a restart stays "running" in the table; re-running an import is safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from tracker.extensions import db
from tracker.models import Job, User

Work = Callable[[Callable[[int, int], None]], dict[str, Any]]

_THREADS: dict[int, threading.Thread] = {}
_LOCK = threading.Lock()
PROGRESS_EVERY_S = 0.5


def start(
    kind: str,
    work: Work,
    *,
    network_uid: str | None,
    user_id: int | None,
    result: dict[str, Any] | None = None,
) -> Job:
    """Record a queued job and run ``work(progress)`` in a thread; its dict is the result.

    A result with ``"ok": False`` marks the job failed; so does an exception.
    """
    job = Job(kind=kind, network_uid=network_uid, user_id=user_id, status="queued", result=result)
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=_run, args=(app, job.id, work), name=f"tracker-job-{job.id}", daemon=True
    )
    with _LOCK:
        _THREADS[job.id] = thread
    thread.start()
    return job


def wait(job_id: int, timeout: float | None = None) -> bool:
    """Block until the job's thread ends (tests, the CLI); True when it has ended."""
    with _LOCK:
        thread = _THREADS.get(job_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def _set(job_id: int, **values: Any) -> None:
    job = db.session.get(Job, job_id)
    if job is None:
        return
    for name, value in values.items():
        setattr(job, name, value)
    db.session.commit()


def _run(app: Flask, job_id: int, work: Work) -> None:
    with app.app_context():
        try:
            _set(job_id, status="running")
            last = [0.0]

            def progress(done: int, total: int) -> None:
                now = time.monotonic()
                if done in (0, total) or now - last[0] >= PROGRESS_EVERY_S:
                    last[0] = now
                    _set(job_id, done=done, total=total)

            try:
                result = work(progress)
            except Exception as exc:
                db.session.rollback()
                app.logger.exception("job %s failed", job_id)
                job = db.session.get(Job, job_id)
                previous = dict(job.result or {}) if job else {}
                _set(
                    job_id,
                    status="failed",
                    result={**previous, "error": str(exc) or type(exc).__name__},
                )
            else:
                _set(job_id, status="done" if result.get("ok", True) else "failed", result=result)
        finally:
            db.session.remove()
            with _LOCK:
                _THREADS.pop(job_id, None)


def start_import(upload: Path, *, network_uid: str, user: User, name: str) -> Job:
    """Import an uploaded package into a network; the upload is deleted when the job ends."""
    from tracker.packages import PackageError, import_package

    user_id = user.id

    def work(progress: Callable[[int, int], None]) -> dict[str, Any]:
        try:
            actor = db.session.get(User, user_id) or f"user {user_id}"
            report = import_package(upload, network=network_uid, actor=actor, progress=progress)
            return {"file": name, **report.as_dict()}
        except PackageError as exc:
            return {"file": name, "ok": False, "error": str(exc)}
        finally:
            upload.unlink(missing_ok=True)

    return start("import", work, network_uid=network_uid, user_id=user_id, result={"file": name})
