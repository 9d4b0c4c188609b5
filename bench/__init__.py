"""Benchmarks. Each ``bench/bench_<name>.py`` has ``main(argv) -> int`` and prints its result as a
ratio against a baseline measured in the same run (absolute times on shared machines are noise).

``python -m bench [name ...] [--quick] [--postgres]``; ``make bench`` runs all of them with
``--quick``, ``make bench-growth`` the growth ones at full size. What each compares:

* login — hosted-form logins/s ÷ raw Argon2id verifications/s (goal ≥ 0.85)
* refresh — refresh grants/s, a plain Starlette endpoint as calibration (goal ≥ 500 per core)
* graphql_overhead — the partner landing through /graphql ÷ a hand-written Starlette endpoint
  running the same SQL and returning the same JSON (goal ≤ 2.0; bench/_landing_app.py)
* partner_landing, devices — first page with 100,000 customers / 1,000,000 devices ÷ with
  1,000 / 10,000 (goal ≤ 1.3; seeds: bench/seed_partners.py, bench/seed_devices.py)
* mail — outbox deliveries/s with 1 and 4 worker loops; duplicates 0
* memory — RSS of one process idle and under 64 concurrent logins
* graphql (document pipeline), licenses, passwords, signup_timing — see each module

Tools: ``python -m bench.plans`` (the query plans of a request), ``bench/_load.py`` (wrk or a
Python load generator, CPU pinning), ``bench/_growth.py`` (small vs large servers in rounds).
"""
