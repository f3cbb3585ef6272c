"""Which browser origins may talk to the assistant, over HTTP and over the socket.

Chainlit creates its socket.io server with `cors_allowed_origins=[]`, which turns the origin
check off: a page on any site could open a socket (carrying a signed-in shopper's cookie)
and chat. `guard_socket` gives the socket connection the same rule as HTTP: the server's own origin,
the widget origins in SHOP_WIDGET_ORIGINS, or no Origin header at all (not a browser;
such a client is not bound by CORS anyway and authenticates like any other).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def widget_origins(spec: str) -> list[str]:
    """SHOP_WIDGET_ORIGINS as a list (comma-separated; "*" is refused)."""
    origins = [o.strip().rstrip("/") for o in spec.split(",") if o.strip()]
    if "*" in origins:
        raise ValueError('SHOP_WIDGET_ORIGINS must list origins, never "*"')
    return origins


def own_origins(environ: dict[str, Any]) -> set[str]:
    """The origin(s) the request addressed: scheme://Host, and the forwarded pair if any."""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST", "")
    found = {f"{scheme}://{host}"} if host else set()
    proto = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
    forwarded = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
    if forwarded:
        found.add(f"{proto}://{forwarded}")
    return found


def socket_origin_check(allowed: list[str]) -> Callable[[str | None, dict[str, Any]], bool]:
    """An engine.io `cors_allowed_origins` callable implementing the rule above."""
    listed = set(allowed)

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:
            return True
        origin = origin.rstrip("/")
        return origin in listed or origin in own_origins(environ)

    return check


def guard_socket(sio: Any, allowed: list[str]) -> None:
    """Enforce the origin rule on Chainlit's socket.io server (before it serves).

    The check wraps Chainlit's `connect` handler rather than engine.io's own CORS option:
    that option also writes CORS headers, which Chainlit's CORS middleware already adds, and
    a doubled Access-Control-Allow-Origin makes browsers drop the widget's polling requests.
    """
    check = socket_origin_check(allowed)
    original = sio.handlers["/"]["connect"]

    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> Any:
        if not check(environ.get("HTTP_ORIGIN"), environ):
            raise ConnectionRefusedError("origin not allowed")
        return await original(sid, environ, auth)

    sio.handlers["/"]["connect"] = connect
