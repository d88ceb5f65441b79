"""Benchmarks: matching quality and latency of the duplicate lookup (see bench/README.md)."""
