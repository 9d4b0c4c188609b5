"""schema.graphql, the checked-in SDL, is the live schema: a change to the API shows in review."""

from __future__ import annotations

from scripts.sdl import REGENERATE, SDL_FILE, live_sdl


def test_checked_in_sdl_is_the_live_schema() -> None:
    assert SDL_FILE.exists(), f"schema.graphql is missing; generate it: {REGENERATE}"
    assert SDL_FILE.read_text(encoding="utf-8") == live_sdl(), (
        f"schema.graphql differs from the live schema; regenerate it: {REGENERATE}"
    )
