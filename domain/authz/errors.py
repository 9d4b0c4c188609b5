"""The authorization area has no userError code of its own.

A path without the right raises ``domain.errors.Forbidden`` (a GraphQL error ``FORBIDDEN``, its
message the action's name); an organization or object the principal has no path to raises
``domain.errors.NotFound`` exactly like a missing one (domain.authz.scope), so another tenant's id
and a random one get the same answer.
"""
