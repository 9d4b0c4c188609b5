"""STEP partners: the partner-code registry, join requests and their review."""
