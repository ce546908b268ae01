"""Benchmarks with their recorded results (see docs/performance.md). Not tests: nothing asserts."""
