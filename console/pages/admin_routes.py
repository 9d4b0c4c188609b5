"""The internal admin's pages beyond Partner requests (console/pages/admin.py)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from console.pages import (
    admin_account,
    admin_audit,
    admin_license_keys,
    admin_organizations,
    admin_step_codes,
)

GET, POST = ["GET"], ["POST"]


def admin_routes() -> list[BaseRoute]:
    orgs, codes, keys = admin_organizations, admin_step_codes, admin_license_keys
    return [
        Route("/organizations", orgs.organization_list, methods=GET),
        Route("/organizations/{id}", orgs.organization_page, methods=GET),
        Route("/organizations/{id}/suspend", orgs.suspend_form, methods=GET),
        Route("/organizations/{id}/suspend", orgs.suspend, methods=POST),
        Route("/organizations/{id}/reactivate", orgs.reactivate_confirm, methods=GET),
        Route("/organizations/{id}/reactivate", orgs.reactivate, methods=POST),
        Route("/step-codes", codes.code_list, methods=GET),
        Route("/step-codes", codes.add_code, methods=POST),
        Route("/step-codes/upload", codes.upload_codes, methods=POST),
        Route("/step-codes/{id}/revoke", codes.revoke_confirm, methods=GET),
        Route("/step-codes/{id}/revoke", codes.revoke, methods=POST),
        Route("/license-keys", keys.issue_form, methods=GET),
        Route("/license-keys", keys.issue, methods=POST),
        Route("/license-keys/download", keys.download, methods=POST),
        Route("/audit-log/all", admin_audit.audit_log, methods=GET),
        Route("/account/notifications", admin_account.update_notifications, methods=POST),
    ]
