"""What the console benchmarks share: signing in to the console like a browser."""

from __future__ import annotations

import re

import httpx


def sign_in(base: str, email: str, password: str) -> httpx.Cookies:
    """Through the console's OIDC login like a browser: the console cookie it ends with."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
        form = client.get("/")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        if "/login" not in str(form.url) or csrf is None:
            raise SystemExit(f"no login form at {form.url}: {form.status_code}")
        done = client.post(
            str(form.url),
            data={"csrf_token": csrf.group(1), "email": email, "password": password},
            headers={"Origin": base},
        )
        if done.status_code != 200 or str(done.url).rstrip("/") != base:
            raise SystemExit(f"login did not reach the console: {done.url} {done.status_code}")
        return client.cookies
