"""The identity tests' fixtures; ``member`` and ``rp``, which other areas use too, are in
tests/conftest.py."""
