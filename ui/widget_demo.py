"""A demo store page that embeds the assistant as a support-chat bubble.

Served on its own port (SHOP_WIDGET_DEMO_PORT), so it is a different origin from the assistant,
exactly like a real shop embedding the widget: it loads `<assistant>/copilot/index.js` and calls
`window.mountChainlitWidget(...)`. It is opt-in (SHOP_WIDGET_DEMO). When authentication is
on it mints a short-lived guest JWT for every visitor (the secret never reaches the page),
but only with SHOP_WIDGET_DEMO_GUEST_TOKENS=true: such a token signs anyone in, which is what
a demo wants and what a real deployment must not do (a store's own server mints tokens for
its signed-in customers: docs/widget.md). The page answers the `shop_page_context` copilot
function with the product on screen.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import uvicorn
from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select

from agent.settings import Settings
from catalog.models import Product
from catalog.store import CatalogStore
from ui.cards import format_price

TOKEN_TTL = timedelta(hours=1)


def mint_widget_token(secret: str, identifier: str, ttl: timedelta = TOKEN_TTL) -> str:
    """A Chainlit-compatible access token (HS256 over CHAINLIT_AUTH_SECRET)."""
    now = datetime.now(UTC)
    payload = {
        "identifier": identifier,
        "display_name": None,
        "metadata": {"provider": "widget"},
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(payload, secret, algorithm="HS256")


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{store} — {title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 0; color: #222; background: #faf8f4; }}
  header {{ background: {color}; color: white; padding: 14px 28px; font-size: 20px;
            font-weight: 700; }}
  main {{ display: flex; gap: 32px; padding: 28px; max-width: 980px; }}
  .photo {{ width: 320px; height: 320px; border-radius: 16px; flex-shrink: 0;
            background: linear-gradient(135deg, #e3efe8, #f4f1ea); display: flex;
            align-items: center; justify-content: center; font-size: 64px; color: {color};
            font-weight: 700; position: relative; overflow: hidden; }}
  .photo img {{ position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }}
  .price {{ font-size: 26px; font-weight: 700; margin: 8px 0; }}
  .stock {{ color: #1e6b37; font-weight: 600; }}
  nav a {{ display: block; color: {color}; margin: 4px 0; }}
  button.buy {{ background: {color}; color: white; border: 0; border-radius: 8px;
                padding: 10px 22px; font-size: 16px; margin-top: 12px; }}
</style></head>
<body>
<header>{store}</header>
<main>
  <div class="photo" aria-hidden="true">{initials}{picture}</div>
  <section>
    <div style="opacity:.7">{brand} · {category}</div>
    <h1 id="product-title" data-product-id="{pid}">{title}</h1>
    <div class="price">{price}</div>
    <div class="stock">{stock}</div>
    <p>{description}</p>
    <button class="buy">Add to cart</button>
    <h3>More from the store</h3>
    <nav>{links}</nav>
  </section>
</main>
<script>
  window.SHOP_CONTEXT = {{ product_id: {pid_json} }};
  // The assistant asks the page what the shopper is looking at (a Chainlit copilot function).
  window.addEventListener("chainlit-call-fn", function (e) {{
    var d = e.detail || {{}};
    if (d.name === "shop_page_context") d.callback(window.SHOP_CONTEXT);
  }});
</script>
<script src="{assistant}/copilot/index.js"></script>
<script>
  window.mountChainlitWidget({{
    chainlitServer: {assistant_json},
    accessToken: {token_json} || undefined,
    theme: "light",
    customCssUrl: {assistant_json} + "/shop-theme.css",
    button: {{ style: {{ bgcolor: {color_json}, color: "#ffffff" }} }},
  }});
</script>
</body></html>
"""


def create_app(settings: Settings, assistant_url: str, secret: str | None = None) -> FastAPI:
    """The demo store: one product page (?product=ID) with the assistant bubble."""
    app = FastAPI(title=f"{settings.store_name} demo store")
    store = CatalogStore.open(settings.catalog_url)

    def _product(pid: str | None) -> Product | None:
        with store.session() as session:
            if pid:
                found = session.get(Product, pid)
                if found is not None:
                    return found
            stmt = select(Product).order_by(Product.in_stock.desc(), Product.rating.desc())
            return session.scalars(stmt.limit(1)).first()

    def _others(exclude: str) -> list[Product]:
        with store.session() as session:
            stmt = (
                select(Product)
                .where(Product.id != exclude, Product.in_stock.is_(True))
                .order_by(Product.rating.desc(), Product.id)
                .limit(6)
            )
            return list(session.scalars(stmt))

    @app.get("/", response_class=HTMLResponse)
    def page(product: str | None = Query(default=None, max_length=128)) -> HTMLResponse:
        p = _product(product)
        if p is None:
            return HTMLResponse("<h1>The catalog is empty</h1>", status_code=404)
        token = None
        if settings.auth != "none" and secret and settings.widget_demo_guest_tokens:
            token = mint_widget_token(secret, f"guest-{secrets.token_hex(6)}")
        links = "".join(
            f'<a href="/?product={html.escape(o.id)}">{html.escape(o.title)}</a>'
            for o in _others(p.id)
        )
        body = PAGE.format(
            store=html.escape(settings.store_name),
            title=html.escape(p.title),
            initials=html.escape("".join(w[0] for w in p.title.split()[:2]).upper()),
            picture=_picture(p.image_url, assistant_url),
            brand=html.escape(p.brand or ""),
            category=html.escape(p.category),
            pid=html.escape(p.id),
            pid_json=json.dumps(p.id),
            price=html.escape(format_price(p.price_min, p.currency)),
            stock="In stock" if p.in_stock else "Out of stock",
            description=html.escape(p.description[:600]),
            links=links,
            color=html.escape(settings.theme_color),
            color_json=json.dumps(settings.theme_color),
            assistant=html.escape(assistant_url),
            assistant_json=json.dumps(assistant_url),
            token_json=json.dumps(token),
        )
        return HTMLResponse(body)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "assistant": assistant_url})

    return app


def _picture(image_url: str | None, assistant_url: str) -> str:
    """The product picture over the initials (removed if it fails to load, like the cards).
    A root-relative URL is a picture the assistant's server serves (the demo catalog's)."""
    if not image_url:
        return ""
    if image_url.startswith("/") and not image_url.startswith("//"):
        image_url = assistant_url.rstrip("/") + image_url
    elif not image_url.startswith(("https://", "http://")):
        return ""
    return f'<img src="{html.escape(image_url)}" alt="" onerror="this.remove()">'


def start_in_thread(
    settings: Settings, host: str, port: int, *, assistant_url: str, secret: str | None
) -> Any:
    """Serve the demo page from a daemon thread; returns the uvicorn server."""
    app = create_app(settings, assistant_url, secret)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="widget-demo", daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    return server
