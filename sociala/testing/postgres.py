"""A throw-away PostgreSQL cluster for one test session, started with the machine's initdb and pg_ctl.

The cluster lives in a temporary folder, listens on a unix socket in that folder only (no TCP), runs
without durability (fsync, synchronous_commit and full_page_writes off) and is stopped and removed
when the session ends. PostgreSQL refuses to run as root, so as root the binaries run as the
``postgres`` system user, which is created when missing.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess  # noqa: S404 - runs the machine's PostgreSQL binaries with fixed arguments
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

DIR_PREFIX = "sociala-pg-"
OWNER_FILE = "harness.pid"
SYSTEM_USER = "postgres"
DATABASE = "sociala"
STALE_AFTER_SECONDS = 3 * 3600
PORT = 5432  # only names the socket file (.s.PGSQL.5432) in the cluster's own folder
SERVER_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}


class ClusterError(RuntimeError):
    """The throw-away cluster could not be created or started."""


def find_binary(name: str) -> str:
    """The path of a PostgreSQL server binary: on the PATH, else Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    raise ClusterError(
        f"{name} not found: install PostgreSQL's server binaries (Debian: apt-get install postgresql-15), "
        "or set DATABASE_URL to an existing server."
    )


def _ensure_system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        subprocess.run(  # noqa: S603
            [useradd, "--system", "--user-group", "--no-create-home", "--shell", "/bin/sh", SYSTEM_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SYSTEM_USER)


def _temp_parent() -> str:
    # The socket path goes into DATABASE_URL's host part, which URL parsing lower-cases, and must
    # stay short (unix socket paths are limited to about 100 bytes).
    parent = tempfile.gettempdir()
    if parent != parent.lower() or len(parent) > 40:
        parent = "/tmp"  # noqa: S108 - a private folder is made inside it with mkdtemp
    return parent


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Cluster:
    """One PostgreSQL cluster in a private temporary folder."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.as_root = os.geteuid() == 0
        self.started = False
        self.settings = dict(SERVER_SETTINGS)

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root / "run"

    @property
    def url(self) -> str:
        return f"postgres://{SYSTEM_USER}@{quote(str(self.socket_dir), safe='')}:{PORT}/{DATABASE}"

    def _run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.as_root:
            args = ["runuser", "-u", SYSTEM_USER, "--", *args]
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        for name in ("PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD"):
            env.pop(name, None)
        return subprocess.run(args, cwd=self.root, env=env, capture_output=True, text=True, **kwargs)  # noqa: S603

    def start(self) -> str:
        """Create and start the cluster; return its DATABASE_URL."""
        sweep_stale_clusters()
        initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        self.root = Path(tempfile.mkdtemp(prefix=DIR_PREFIX, dir=_temp_parent()))
        (self.root / OWNER_FILE).write_text(str(os.getpid()))
        self.socket_dir.mkdir()
        if self.as_root:
            user = _ensure_system_user()
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        result = self._run(
            [
                initdb,
                "--pgdata",
                str(self.data_dir),
                "--username",
                SYSTEM_USER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",
                "--no-sync",
            ]
        )
        if result.returncode:
            raise ClusterError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        options = " ".join(
            [f"-c unix_socket_directories={self.socket_dir}", f"-p {PORT}"]
            + [f"-c {name}={value}" for name, value in self.settings.items()]
        )
        log = self.root / "server.log"
        result = self._run(
            [
                pg_ctl,
                "--pgdata",
                str(self.data_dir),
                "--log",
                str(log),
                "--options",
                options,
                "--wait",
                "start",
            ]
        )
        if result.returncode:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise ClusterError(f"pg_ctl start failed:\n{result.stdout}\n{result.stderr}\n{server_log}")
        self.started = True
        self._create_database()
        return self.url

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), port=PORT, user=SYSTEM_USER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is worth keeping) and remove the folder."""
        if self.root is None:
            return
        if self.started:
            self._run(
                [
                    find_binary("pg_ctl"),
                    "--pgdata",
                    str(self.data_dir),
                    "--mode",
                    "immediate",
                    "--wait",
                    "stop",
                ]
            )
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None


def sweep_stale_clusters() -> None:
    """Stop and remove clusters left behind by test sessions that were killed."""
    for folder in glob.glob(os.path.join(_temp_parent(), f"{DIR_PREFIX}*")):
        owner = Path(folder) / OWNER_FILE
        try:
            pid = int(owner.read_text())
            age = time.time() - owner.stat().st_mtime
        except (OSError, ValueError):
            continue
        # Old as well as ownerless: a session in another PID namespace may look dead from here.
        if age < STALE_AFTER_SECONDS or _process_alive(pid):
            continue
        stale = Cluster()
        stale.root, stale.started = Path(folder), (Path(folder) / "data" / "postmaster.pid").exists()
        with contextlib.suppress(Exception):
            stale.stop()


def point_django_at(url: str) -> None:
    """Make Django's settings and connections use ``url``, as if DATABASE_URL had been set from the start.

    pytest-django reads the settings before any conftest is imported, so the settings module is run
    once more (as a separate module object) with the new DATABASE_URL and its DATABASES taken over.
    """
    import importlib.util

    from django.conf import settings
    from django.db import connections

    os.environ["DATABASE_URL"] = url
    spec = importlib.util.find_spec(settings.SETTINGS_MODULE)
    assert spec is not None and spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    for alias in list(connections.settings) if "settings" in connections.__dict__ else []:
        with contextlib.suppress(Exception):
            connections[alias].close()
        with contextlib.suppress(AttributeError):
            del connections[alias]
    settings.DATABASES = fresh.DATABASES
    # The handler keeps the dict it configured (with defaults filled in); make it configure anew.
    connections._settings = None
    connections.__dict__.pop("settings", None)


_cluster: Cluster | None = None


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def start_for_session() -> str | None:
    """Start the cluster when SOCIALA_TEST_DB=postgres and no DATABASE_URL is given; return its URL."""
    global _cluster
    if os.environ.get("SOCIALA_TEST_DB", "").lower() not in {"postgres", "postgresql"}:
        return None
    if os.environ.get("DATABASE_URL") or _cluster is not None:
        return None
    cluster = Cluster()
    atexit.register(cluster.stop)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        # A killed run (a CI timeout) unwinds like Ctrl-C, so pytest_unconfigure stops the cluster.
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        url = cluster.start()
    except BaseException:
        cluster.stop()
        raise
    _cluster = cluster
    point_django_at(url)
    return url


def stop_for_session() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None


def describe() -> str | None:
    """A line for pytest's header."""
    if _cluster is None or _cluster.root is None:
        return None
    return f"database: throw-away PostgreSQL cluster in {_cluster.root}"
