"""The GraphQL types and what they need: one module per area in ``types/``, the per-request
context and DataLoaders, payloads, connections, errors, enums and the schema's hardening
(scopes, limits, guard). Root fields live in ``resolvers/``; ``api/root.py`` assembles both."""
