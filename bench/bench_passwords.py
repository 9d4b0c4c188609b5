"""The password policy's cost: hostile 256-character inputs against a typical 20-character
passphrase (the baseline, measured in the same run). zxcvbn is superlinear on its own — a
256-character random string takes seconds — so the windowed check must keep this ratio small.
Verdict: the worst hostile check ÷ the worst typical one, goal ≤ 10 (measured: 3 to 4)."""

from __future__ import annotations

import random
import string
import time

from bench._verdict import verdict
from domain.accounts.passwords import PasswordPolicy, check_password

GOAL = 10.0
CONTEXT = ["ada.lovelace@example.com", "Ada", "Lovelace", "Acme Surveillance GmbH"]


def _worst(passwords: list[str], policy: PasswordPolicy) -> float:
    worst = 0.0
    for password in passwords:
        started = time.perf_counter()
        check_password(password, policy=policy, context=CONTEXT)
        worst = max(worst, time.perf_counter() - started)
    return worst


def main(argv: list[str]) -> int:
    rng = random.Random(42)
    policy = PasswordPolicy()
    baseline = [
        " ".join(
            rng.choice(["violet", "river", "moon", "copper", "seven", "lamp"]) for _ in range(4)
        )
        for _ in range(50)
    ]
    alphabets = [string.printable[:94], "a4@sS5$eE3", "ab", "aeiou13$@", "абвгдеёжзий"]
    hostile = [
        "".join(rng.choice(alphabet) for _ in range(256))
        for alphabet in alphabets
        for _ in range(10)
    ] + ["password" * 32, "p@ssw0rd1" * 28 + "p@ss", "ada lovelace " * 19 + "ada l"]
    base = _worst(baseline, policy)
    worst = _worst(hostile, policy)
    print(f"typical passphrase, worst of 50:   {base * 1000:8.2f} ms")
    print(f"hostile 256 characters, worst of {len(hostile)}: {worst * 1000:8.2f} ms")
    print(f"ratio hostile/typical: {worst / base:.1f}x")
    return verdict(
        "passwords",
        "worst hostile ÷ worst typical",
        worst / base,
        GOAL,
        at_most=True,
        figures=f"typical {base * 1000:.1f} ms, hostile {worst * 1000:.1f} ms",
    )
