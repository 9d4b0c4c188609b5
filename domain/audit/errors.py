"""The audit log has no userError code of its own.

Reading it needs ``AUDIT_READ`` in the organization (``AUDIT_READ_ANY`` for internal admins across
organizations): refusals are domain.authz's ``Forbidden`` / ``NotFound``. A filter that cannot
match anything (an actor id that is no UUID, an action name too long) answers an empty page, as a
filter on an unknown value does (domain.audit.service.event_filter).
"""
