"""Benchmarks of the finance app."""
