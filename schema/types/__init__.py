"""GraphQL object types, one module per area (``<area>.py``: its types, inputs and payloads)."""
