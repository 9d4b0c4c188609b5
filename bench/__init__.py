"""Benchmarks. Each ``bench/bench_<name>.py`` has ``main(argv) -> int`` and prints its result as a
ratio against a baseline measured in the same run (absolute times on shared machines are noise).

``python -m bench [name ...] [--quick] [--postgres]``; ``make bench`` runs all of them with
``--quick`` and fails when any goal is missed. Every benchmark ends in one verdict
(bench/_verdict.py) on the one measure its docstring names; baselines and measured sides run in
alternating rounds, pinned alike. What each judges:

* login — whole OIDC code + PKCE logins/s ÷ raw Argon2id verifications/s on the same core (≥ 0.85)
* refresh — refresh grants/s, server on one core, wall clock (≥ 1,250 SQLite, ≥ 700 PostgreSQL)
* graphql_overhead — server CPU of the partner landing and of the devices page through /graphql ÷
  hand-written Starlette endpoints, same SQL, same bytes (≤ 1.5 each; bench/_landing_app.py)
* partner_landing, devices — first page with 100,000 customers / 1,000,000 devices ÷ with
  1,000 / 10,000 (≤ 1.3; quick mode judges its own smaller sizes and says so)
* mail — outbox duplicates (0); memory — growth under 64 logins ≤ hash_concurrency hashes
* graphql (document pipeline), licenses, passwords, signup_timing, auth — see each module

Tools: ``python -m bench.plans`` (the query plans of a request), ``bench/_load.py`` (wrk or a
Python load generator, CPU pinning), ``bench/_growth.py`` (small vs large servers in rounds).
"""
