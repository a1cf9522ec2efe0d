"""The embedded FalkorDB server: private, shared between processes, and it loses no acknowledged
write. Each test starts its own server in its own folder and stops it afterwards."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from tracker.graph.embedded import EmbeddedServer
from tracker.graph.falkor import FalkorStore
from tracker.graph.queries import health, maintenance, network
from tracker.graph.store import GraphError, StoreUnavailable

ROOT = Path(__file__).resolve().parents[2]


def _pid(folder: Path) -> int:
    return int((folder / "server.pid").read_text().strip())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _client(folder: Path, password: str | None) -> redis.Redis:
    return redis.Redis(
        unix_socket_path=str(folder / "falkordb.sock"),
        password=password,
        socket_timeout=5,
        retry=Retry(NoBackoff(), 0),
    )


def _answers(folder: Path) -> bool:
    try:
        password = (folder / "password").read_text().strip()
        return bool(_client(folder, password).ping())
    except (OSError, redis.RedisError):
        return False


def _wait_until_gone(pid: int) -> None:
    # The server drops its socket at once but may take a moment to join its threads.
    deadline = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A private data folder; whatever server ends up running there is stopped afterwards."""
    data = tmp_path / "graph"
    data.mkdir(mode=0o700)
    data.chmod(0o700)
    yield data
    if _answers(data):
        handle = EmbeddedServer(data)
        handle.start()
        handle.stop()
    with contextlib.suppress(OSError, ValueError):
        pid = _pid(data)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            _wait_until_gone(pid)


@pytest.fixture
def server(folder: Path) -> Iterator[EmbeddedServer]:
    handle = EmbeddedServer(folder)
    try:
        handle.start()
        yield handle
    finally:
        handle.stop()


def _store(address, graph_name: str = "embedded_test") -> FalkorStore:  # type: ignore[no-untyped-def]
    return FalkorStore(
        graph_name=graph_name,
        unix_socket_path=address.unix_socket_path,
        password=address.password,
    )


def test_starts_answers_and_stops(folder: Path) -> None:
    handle = EmbeddedServer(folder)
    address = handle.start()
    try:
        assert address.unix_socket_path == str(folder / "falkordb.sock")
        store = _store(address)
        assert store.ping() is True
        # A read-only query on a graph that was never written fails in FalkorDB, so write first.
        store.run(network.CREATE, {"uid": "n-1", "props": {"name": "Net"}, "now": 0})
        assert store.run(health.PING) == [{"ok": 1}]
        assert store.run(network.GET, {"uid": "n-1"})[0]["network"]["name"] == "Net"
        store.close()
        pid = _pid(folder)
        assert _alive(pid)
    finally:
        assert handle.stop() is True
    assert not (folder / "falkordb.sock").exists()
    assert handle.stop() is False  # a second stop is a no-op
    _wait_until_gone(pid)
    assert not _alive(pid)


def test_world_readable_folder_is_refused(folder: Path) -> None:
    folder.chmod(0o755)
    with pytest.raises(StoreUnavailable, match=r"chmod 700") as refused:
        EmbeddedServer(folder).start()
    assert str(folder) in str(refused.value)
    assert not (folder / "falkordb.sock").exists()
    assert not (folder / "password").exists()


def test_password_file_is_private_and_required(folder: Path, server: EmbeddedServer) -> None:
    password_file = folder / "password"
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    password = password_file.read_text().strip()
    assert len(password) >= 32
    assert server.address.password == password
    with pytest.raises(redis.AuthenticationError):
        _client(folder, None).ping()
    with pytest.raises(redis.AuthenticationError):
        _client(folder, "not-the-password").ping()
    with pytest.raises(redis.AuthenticationError):
        _client(folder, None).execute_command("GRAPH.LIST")
    assert _client(folder, password).ping() is True


def test_listens_only_on_its_private_socket_and_fsyncs_every_write(
    folder: Path, server: EmbeddedServer
) -> None:
    client = _client(folder, server.address.password)
    assert client.config_get("port") == {"port": "0"}
    assert client.config_get("tls-port") in ({"tls-port": "0"}, {})
    assert client.config_get("appendonly") == {"appendonly": "yes"}
    assert client.config_get("appendfsync") == {"appendfsync": "always"}
    socket = folder / "falkordb.sock"
    assert stat.S_ISSOCK(socket.stat().st_mode)
    assert stat.S_IMODE(socket.stat().st_mode) & 0o077 == 0


SHARER = textwrap.dedent(
    """
    import sys
    from tracker.graph.embedded import EmbeddedServer

    server = EmbeddedServer(sys.argv[1])
    server.start()
    print((server.data_dir / "server.pid").read_text().strip(), flush=True)
    sys.stdin.read()
    print("stopped" if server.stop() else "left running", flush=True)
    """
)


def _sharer(folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SHARER, str(folder)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(input="", timeout=60)
    assert proc.returncode == 0, err
    return out.strip()


def test_two_processes_share_one_server_until_the_last_one_stops(folder: Path) -> None:
    first = _sharer(folder)
    second = None
    try:
        first_pid = first.stdout.readline().strip()  # type: ignore[union-attr]
        assert first_pid.isdigit(), first.stderr.read()  # type: ignore[union-attr]
        second = _sharer(folder)
        second_pid = second.stdout.readline().strip()  # type: ignore[union-attr]
        assert second_pid == first_pid, second.stderr.read()  # type: ignore[union-attr]
        pid = int(first_pid)

        assert _finish(first) == "left running"
        assert _alive(pid)
        assert _answers(folder)
        assert _pid(folder) == pid

        assert _finish(second) == "stopped"
        assert not (folder / "falkordb.sock").exists()
        assert not _answers(folder)
        _wait_until_gone(pid)
        assert not _alive(pid)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.communicate()


def test_a_socket_path_taken_by_a_directory_gives_a_clear_error(folder: Path) -> None:
    (folder / "falkordb.sock").mkdir()
    with pytest.raises(StoreUnavailable) as refused:
        EmbeddedServer(folder).start()
    message = str(refused.value)
    assert "could not start" in message or "cannot start" in message
    assert str(folder / "falkordb.sock") in message
    assert "directory" in message.lower()


def test_a_corrupt_append_only_file_gives_a_clear_error(folder: Path) -> None:
    aof = folder / "appendonlydir"
    aof.mkdir(mode=0o700)
    (aof / "appendonly.aof.manifest").write_text("this is not a manifest\n")
    with pytest.raises(StoreUnavailable) as refused:
        EmbeddedServer(folder).start()
    message = str(refused.value)
    assert "graph store" in message
    assert "AOF manifest" in message  # the server's own reason, from its log
    assert str(folder / "server.log") in message  # where to read more
    assert not _answers(folder)


def test_every_acknowledged_write_survives_kill_9(folder: Path) -> None:
    first = EmbeddedServer(folder)
    again = EmbeddedServer(folder)
    acknowledged: list[str] = []
    failures: list[Exception] = []
    enough = threading.Event()
    try:
        writer = _store(first.start(), "durability")

        def write_stream() -> None:
            try:
                for i in range(100_000):
                    uid = f"net-{i:06d}"
                    writer.run(network.CREATE, {"uid": uid, "props": {"name": uid}, "now": i})
                    acknowledged.append(uid)
                    if len(acknowledged) == 200:
                        enough.set()
            except GraphError as exc:
                failures.append(exc)
            finally:
                enough.set()

        thread = threading.Thread(target=write_stream, daemon=True)
        thread.start()
        assert enough.wait(timeout=120)
        pid = _pid(folder)
        os.kill(pid, signal.SIGKILL)
        thread.join(timeout=120)
        assert not thread.is_alive()
        assert len(acknowledged) >= 200
        assert failures and isinstance(failures[0], StoreUnavailable), failures
        writer.close()
        _wait_until_gone(pid)

        reader = _store(again.start(), "durability")
        assert _pid(folder) != pid
        rows = reader.run(maintenance.DUMP_NODES)
        present = {row["props"]["uid"] for row in rows}
        missing = [uid for uid in acknowledged if uid not in present]
        assert not missing, f"{len(missing)} acknowledged writes lost, first {missing[:5]}"
        reader.close()
    finally:
        again.stop()
        first.stop()
