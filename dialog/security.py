"""Security headers and a content-security policy that allows only our own assets."""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def content_security_policy(form_action_origins=()) -> str:
    """The policy, with more origins a form may lead to: logging out redirects the logout form
    to a single sign-on provider's end_session_endpoint, and form-action governs redirects too."""
    if not form_action_origins:
        return CONTENT_SECURITY_POLICY
    extra = " ".join(sorted(set(form_action_origins)))
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {extra}")


def init_app(app) -> None:
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        # Behind a reverse proxy: the client's address and scheme from X-Forwarded-*, trusting
        # exactly `hops` proxies (failed logins are counted per address).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            content_security_policy(app.config.get("CSP_FORM_ACTION_ORIGINS", ())),
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html":
            # Pages hold scoped data: never keep them in shared caches.
            headers.setdefault("Cache-Control", "no-store")
        return response
