"""Webhooks: an organization's endpoints, the events they receive, and their delivery
(docs/WEBHOOKS.md)."""
