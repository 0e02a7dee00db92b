"""The benchmark databases at each scale: a SQLite file or a PostgreSQL cluster kept in var/bench/.

A scale is generated once (``python -m bench.scale_db --scale 10000 --engine postgres``: migrate,
then ``seed_demo --scale``) and measured many times. The PostgreSQL cluster is the test harness's
throw-away kind (``sociala.testing.postgres``: unix socket only, no durability) in a fixed folder,
started for the length of one command and stopped after it, its data kept.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("SOCIALA_BENCH_DIR", ROOT / "var" / "bench"))
ENGINES = ("sqlite", "postgres")

# A benchmark cluster is sized like a small production server on this machine (24 GiB, 2 cores),
# not like the test harness's throw-away cluster (64 MB of shared buffers): a city's working set
# is gigabytes. Durability stays off, as in the harness, which costs nothing on reads.
BENCH_SERVER_SETTINGS = {
    "shared_buffers": "4GB",
    "effective_cache_size": "12GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "random_page_cost": "1.1",
    # Just-in-time compilation costs 40 ms on a search of a few thousand rows and saves nothing on
    # short queries; OLTP servers turn it off.
    "jit": "off",
}


def location(scale: int, engine: str) -> Path:
    return BENCH_DIR / (f"sqlite-{scale}.sqlite3" if engine == "sqlite" else f"pg-{scale}")


def _ready_marker(scale: int, engine: str) -> Path:
    return BENCH_DIR / f"{engine}-{scale}.ready"


def is_generated(scale: int, engine: str) -> bool:
    return _ready_marker(scale, engine).exists()


class KeptCluster:
    """A throw-away-style cluster in a fixed folder whose data survives between commands."""

    def __init__(self, root: Path):
        from sociala.testing import postgres

        self.cluster = postgres.Cluster()
        self.cluster.settings.update(BENCH_SERVER_SETTINGS)
        self.root = root

    def start(self) -> str:
        from sociala.testing import postgres

        cluster = self.cluster
        fresh = not (self.root / "data").exists()
        if fresh:
            self.root.mkdir(parents=True, exist_ok=True)
            original = postgres.tempfile.mkdtemp
            postgres.tempfile.mkdtemp = lambda **_kw: str(self.root)
            try:
                return cluster.start()
            finally:
                postgres.tempfile.mkdtemp = original
        cluster.root = self.root
        options = " ".join(
            [f"-c unix_socket_directories={cluster.socket_dir}", f"-p {postgres.PORT}"]
            + [f"-c {name}={value}" for name, value in cluster.settings.items()]
        )
        result = cluster._run(
            [
                postgres.find_binary("pg_ctl"),
                "--pgdata",
                str(cluster.data_dir),
                "--log",
                str(self.root / "server.log"),
                "--options",
                options,
                "--wait",
                "start",
            ]
        )
        if result.returncode:
            raise postgres.ClusterError(f"pg_ctl start failed:\n{result.stdout}\n{result.stderr}")
        cluster.started = True
        return cluster.url

    def stop(self) -> None:
        from sociala.testing import postgres

        if self.cluster.started:
            self.cluster._run(
                [
                    postgres.find_binary("pg_ctl"),
                    "--pgdata",
                    str(self.cluster.data_dir),
                    "--mode",
                    "fast",
                    "stop",
                ]
            )
            self.cluster.started = False


@contextlib.contextmanager
def database(scale: int, engine: str):
    """Point Django at the scale's database for the length of the block (call before django.setup())."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sociala.settings")
    os.environ.setdefault("SOCIALA_DEMO_MODE", "1")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{location(scale, engine)}"
        yield os.environ["DATABASE_URL"]
        return
    kept = KeptCluster(location(scale, engine))
    try:
        os.environ["DATABASE_URL"] = kept.start()
        yield os.environ["DATABASE_URL"]
    finally:
        kept.stop()


def generate(scale: int, engine: str, seed: int = 2026) -> None:
    """Create the scale's database afresh: migrate, then seed the city at scale."""
    target = location(scale, engine)
    _ready_marker(scale, engine).unlink(missing_ok=True)
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    with database(scale, engine):
        import django

        django.setup()
        from django.core.management import call_command

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.monotonic() - started:.1f} s", flush=True)
        call_command("seed_demo", "--scale", "--persons", str(scale), "--seed", str(seed))
        if engine == "postgres":
            vacuum()
    _ready_marker(scale, engine).write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z"))


def vacuum() -> None:
    """VACUUM (ANALYZE) after the load, as autovacuum would do in time: the visibility map lets the
    covering indexes answer without reading the table (decision 0031)."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"vacuum: {time.monotonic() - started:.1f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--engine", choices=ENGINES, default="postgres")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    generate(args.scale, args.engine, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
