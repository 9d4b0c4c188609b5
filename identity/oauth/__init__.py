"""The OpenID Connect provider: Authlib's AuthorizationServer adapted to Starlette.

Read in this order: ``server.py`` (the server, token issuance; db/sync.py for how it reaches the database), ``grants.py``
(what Authlib's defaults get overridden with), ``store.py`` (the SQL inside Authlib's callbacks),
``endpoints.py`` (revocation, RP-initiated logout), ``routes.py`` (the HTTP edge).
"""
