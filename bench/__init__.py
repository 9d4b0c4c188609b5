"""Benchmarks. Each ``bench/bench_<name>.py`` has ``main(argv) -> int`` and prints its result as a
ratio against a baseline measured in the same run (absolute times on shared machines are noise)."""
