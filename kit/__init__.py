"""Small, dependency-free helpers shared by every area (ids, time, secrets, pagination)."""
