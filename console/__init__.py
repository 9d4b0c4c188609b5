"""The web console: the portal's own first-party OIDC client and a backend for frontend.

Tokens stay on the server (console/sessions.py); the browser holds one HttpOnly cookie. Every read
and write is a typed GraphQL operation (console/queries → console/api, ariadne-codegen) sent with
the signed-in person's access token. Imports neither ``domain`` nor ``db`` (import-linter): the
composition root (server.py) registers the client and hands over a session store.
"""
