"""The OpenID Connect provider: signing keys, tokens, Authlib's server on Starlette, hosted pages."""
