"""Sign-in: password users, header auth behind a proxy, and a throttled /login route.

No Chainlit import at module level; `ui/app.py` registers the callbacks and routes.

Header auth trusts a request header naming the user (`SHOP_AUTH_HEADER`, default
X-Forwarded-User). That is only safe behind a reverse proxy that sets the header itself and
strips it from client requests; with `SHOP_AUTH_HEADER_SECRET` set, a request must also
carry that value in `X-Shop-Proxy-Secret` (which only the proxy knows), so a client that
reaches the assistant directly cannot sign in as anyone.
"""

from __future__ import annotations

import hmac
import logging
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from ui.login_throttle import LoginThrottle

log = logging.getLogger("shop.auth")

PROXY_SECRET_HEADER = "X-Shop-Proxy-Secret"
MAX_IDENTIFIER = 255
THROTTLED = "Too many failed sign-in attempts. Please wait and try again."


def parse_users(spec: str) -> dict[str, str]:
    """SHOP_AUTH_USERS ("user:password,user2:password2") as a dict."""
    pairs = (item.split(":", 1) for item in spec.split(",") if ":" in item)
    return {u.strip(): p for u, p in pairs if u.strip()}


def check_password(users: Mapping[str, str], username: str, password: str) -> bool:
    """Constant-time comparison against the configured password (unknown users too)."""
    expected = users.get(username)
    candidate = expected if expected is not None else "\0" * max(len(password), 1)
    same = hmac.compare_digest(candidate.encode(), password.encode())
    return expected is not None and same


def header_identity(headers: Mapping[str, str], *, header: str, secret: str | None) -> str | None:
    """The user named by `header`, if the request proves it came through the proxy."""
    if secret:
        given = headers.get(PROXY_SECRET_HEADER) or ""
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return None
    user = (headers.get(header) or "").strip()
    if not user or len(user) > MAX_IDENTIFIER:
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in user):
        return None
    return user


def throttled_login_router(
    login: Callable[..., Awaitable[Response]], throttle: LoginThrottle, path: str = "/login"
) -> APIRouter:
    """A POST `path` route that refuses throttled attempts (429) and otherwise delegates to
    `login` (Chainlit's own route function), counting its 401s as failures."""
    router = APIRouter()

    @router.post(path)
    async def throttled_login(
        request: Request,
        response: Response,
        form_data: OAuth2PasswordRequestForm = Depends(),  # noqa: B008 - FastAPI style
    ) -> Any:
        user = form_data.username
        address = request.client.host if request.client else "unknown"
        wait = throttle.retry_after(user, address)
        if wait is not None:
            log.warning("sign-in throttled for %r from %s", user[:64], address)
            return JSONResponse(
                {"detail": THROTTLED}, status_code=429, headers={"Retry-After": str(wait)}
            )
        try:
            answer = await login(request, response, form_data)
        except HTTPException as exc:
            if exc.status_code == 401:
                throttle.failed(user, address)
            raise
        throttle.succeeded(user)
        return answer

    return router
