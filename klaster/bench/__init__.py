"""Benchmarks behind `klaster bench`: figures printed side by side in one run, never timed tests."""
