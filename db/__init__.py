"""Persistence: the declarative base, engines and sessions, the unit of work, models, migrations."""
