"""Test harness: a throw-away PostgreSQL cluster for the suite and the browser suite's helpers."""
