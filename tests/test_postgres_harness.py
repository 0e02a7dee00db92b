"""The throw-away PostgreSQL cluster of the test harness (sociala.testing.postgres)."""

from pathlib import Path

import dj_database_url
import psycopg
import pytest

from sociala.testing import postgres


def test_the_cluster_url_names_its_socket_folder():
    cluster = postgres.Cluster()
    cluster.root = Path("/srv/sociala-pg-abc_123")

    parsed = dj_database_url.parse(cluster.url)

    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert parsed["HOST"] == "/srv/sociala-pg-abc_123/run"
    assert parsed["PORT"] == 5432
    assert parsed["USER"] == "postgres"
    assert parsed["NAME"] == "sociala"


def test_a_cluster_runs_on_its_socket_only_without_durability_and_leaves_nothing():
    try:
        postgres.find_binary("initdb")
    except postgres.ClusterError as error:
        pytest.fail(str(error))
    cluster = postgres.Cluster()
    try:
        url = cluster.start()
        root = cluster.root
        settings = dj_database_url.parse(url)
        with psycopg.connect(
            host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"]
        ) as connection:
            shown = {
                name: connection.execute(f"SHOW {name}").fetchone()[0]
                for name in ("fsync", "synchronous_commit", "full_page_writes", "listen_addresses")
            }
    finally:
        cluster.stop()

    assert shown == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "listen_addresses": "",
    }
    assert root is not None and not root.exists()
    assert cluster.root is None
