"""Benchmarks (``haven bench``, ``make bench``): figures for the paths that must stay fast at
scale. Not tests: nothing here is collected by ``make test``. See ``haven.bench.core`` for how
to add one."""

from .core import BenchContext, Figure, benchmark, load_benchmarks

__all__ = ["BenchContext", "Figure", "benchmark", "load_benchmarks"]
