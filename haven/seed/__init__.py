"""Deterministic synthetic data for demos, tests and benchmarks. Nothing here is a real person."""
