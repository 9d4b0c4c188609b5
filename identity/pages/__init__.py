"""Hosted pages: what a browser must do on the portal itself (login, consent, logout; later
registration, activation and password reset).

Every page is a Jinja2 template extending ``templates/base.html``, rendered by ``Pages.render``,
which adds the security headers (``security.page_headers``). Forms carry the session's CSRF token
(``identity.sessions``) and follow POST-redirect-GET, keeping what the user typed (never a password)
in the session's flash between the POST and the GET.
"""
