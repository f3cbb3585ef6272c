"""The store's brand wherever a shopper looks: name, logo, favicon, theme colour, greeting.

Chainlit serves its own logo at `/logo?theme=light|dark` (chat page, login page, widget
header), its favicon at `/favicon` (browser tab, login page picture) and author avatars at
`/avatars/{name}`. The router here answers those paths first (the app mounts it in front of
Chainlit's routes), so the store's logo and name appear instead:

- `/logo?theme=…` is a wordmark drawn here: the store's logo beside its name, in a text colour
  that suits the theme;
- `/favicon` and `/avatars/{name}` are the logo file itself (`SHOP_STORE_LOGO`, default the demo
  store's `catalog/demo/logo.svg`);
- `/shop-login.svg` is the picture beside the login form (theme colour, logo, name);
- `/shop-theme.css` carries the theme colour (SHOP_THEME_COLOR), the logo's size and the chat
  page's greeting;
- `/demo-images/{name}.svg` serves the demo catalog's pictures (`catalog/demo/images/`), which
  the demo products' `image_url` values name.

No Chainlit import here: ui/app.py applies `chainlit_ui_settings()` to Chainlit's config, and
the widget's first message is `greeting()`.
"""

from __future__ import annotations

import base64
import colorsys
import html
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, Response

from catalog import demo

LOGO_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico"}
MAX_LOGO_BYTES = 256_000  # the logo also travels inline (data: URI) in the chat settings
GREETING = "Hi! I'm the {store} assistant. What are you shopping for?"
GREETING_MORE = (
    "Tell me your budget, a size, or who it's for, and I'll suggest products from our catalog "
    "with live prices and stock."
)
DEFAULT_COLOR = "#2f6f4f"
_PICTURE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}\.svg$")
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
# Served SVGs are pictures: no script runs even if one is opened directly.
_SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=300",
}


class BrandError(ValueError):
    """The configured logo cannot be used (missing, wrong type or too large)."""


@dataclass(frozen=True)
class Brand:
    """What the pages show: the store's name, theme colour and logo file."""

    name: str
    color: str
    logo: Path
    logo_type: str

    @classmethod
    def load(cls, name: str, color: str, logo: str | Path | None) -> Brand:
        """Check the logo file (SHOP_STORE_LOGO) once at start; the demo's when unset or
        empty (as in .env.example)."""
        path = Path(logo) if logo else demo.LOGO
        if not path.is_file():
            raise BrandError(f"SHOP_STORE_LOGO: no such file: {path}")
        if path.suffix.lower() not in LOGO_TYPES:
            raise BrandError(f"SHOP_STORE_LOGO must be one of {sorted(LOGO_TYPES)}: {path}")
        if path.stat().st_size > MAX_LOGO_BYTES:
            raise BrandError(f"SHOP_STORE_LOGO is over {MAX_LOGO_BYTES // 1000} kB: {path}")
        media = "image/svg+xml" if path.suffix.lower() == ".svg" else None
        media = media or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return cls(name=name, color=color, logo=path, logo_type=media)

    def logo_data_uri(self) -> str:
        """The logo inline, for places that cannot resolve a URL on the assistant's origin
        (inside the widget, relative URLs resolve against the store's page)."""
        payload = base64.b64encode(self.logo.read_bytes()).decode("ascii")
        return f"data:{self.logo_type};base64,{payload}"

    def wordmark(self, theme: Literal["light", "dark"]) -> str:
        """SVG: the logo, then the store name in a colour readable on the theme."""
        text = "#f4f4f5" if theme == "dark" else "#1f2933"
        width = 46 + round(len(self.name) * 13.5) + 6  # bold sans: about 0.6 em a letter
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 40" '
            f'width="{width}" height="40" role="img" aria-label="{html.escape(self.name)}">'
            f'<image href="{self.logo_data_uri()}" x="0" y="2" width="36" height="36"/>'
            f'<text x="46" y="27" font-family="{_FONT}" font-size="21" font-weight="700" '
            f'fill="{text}">{html.escape(self.name)}</text></svg>'
        )

    def login_picture(self) -> str:
        """SVG for the panel beside the login form (cropped to fill it: content centred)."""
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 1000" width="800" '
            'height="1000" preserveAspectRatio="xMidYMid slice">'
            f'<rect width="800" height="1000" fill="{_css_color(self.color)}"/>'
            '<circle cx="400" cy="420" r="150" fill="#ffffff" opacity="0.95"/>'
            f'<image href="{self.logo_data_uri()}" x="300" y="320" width="200" height="200"/>'
            f'<text x="400" y="660" text-anchor="middle" font-family="{_FONT}" font-size="52" '
            f'font-weight="700" fill="#ffffff">{html.escape(self.name)}</text>'
            f'<text x="400" y="720" text-anchor="middle" font-family="{_FONT}" font-size="26" '
            'fill="#ffffff" opacity="0.85">Your shopping assistant</text></svg>'
        )

    def theme_css(self) -> str:
        """/shop-theme.css, loaded by the chat page, the login page and the widget."""
        h, light, sat = _hls(self.color)
        triplet = f"{h * 360:.0f} {sat * 100:.0f}% {light * 100:.0f}%"
        soft = f"hsl({h * 360:.0f} {sat * 100:.0f}% 92%)"
        words = f"{greeting(self.name)} {GREETING_MORE}"
        return (
            # Chainlit 2 takes its colours from HSL triplets in CSS variables.
            ":root, :host, .dark, #cl-shadow-root {"
            f" --primary: {triplet} !important; --ring: {triplet} !important;"
            f" --shop-accent: {_css_color(self.color)}; --shop-accent-soft: {soft}; }}\n"
            "[data-testid='product-card'] button { border-color: var(--shop-accent); }\n"
            # The logo is the store's wordmark (logo + name): show it at a readable height
            # (Chainlit sizes its own by width, which shrinks a long store name).
            "img.logo { width: auto !important; height: 36px; max-width: 100%; }\n"
            "#welcome-screen img.logo { height: 48px; order: 0; }\n"
            # The greeting on the chat page's welcome screen, between the logo and the input
            # (the widget greets with a message instead). Generated content is part of the
            # accessibility tree, and keeps Chainlit's own markup untouched.
            f"#welcome-screen::after {{ content: {_css_string(words)}; order: 1;"
            " max-width: 36rem; text-align: center; font-size: 1.05rem; line-height: 1.5;"
            " color: hsl(var(--foreground)); }\n"
            "#welcome-screen > :not(img.logo) { order: 2; }\n"
        )


def _hls(color: str) -> tuple[float, float, float]:
    """Hue, lightness, saturation of a #rgb / #rrggbb colour (the default if unreadable)."""
    hex_ = color.strip().lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    try:
        if len(hex_) != 6:
            raise ValueError(color)
        r, g, b = (int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return _hls(DEFAULT_COLOR)
    return colorsys.rgb_to_hls(r, g, b)


def _css_color(color: str) -> str:
    """The colour as #rrggbb (never raw text from the environment inside the stylesheet)."""
    h, light, sat = _hls(color)
    r, g, b = colorsys.hls_to_rgb(h, light, sat)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


def _css_string(text: str) -> str:
    """A quoted CSS string: every character outside plain ASCII text escaped."""
    out = []
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in " .,!?:;'()&$-"):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def greeting(store: str) -> str:
    """The first thing the assistant says (widget message; chat page, under the logo)."""
    return GREETING.format(store=store)


def chainlit_ui_settings(brand: Brand) -> dict[str, str]:
    """Values for Chainlit's `config.ui`: the store's name and its pictures, nothing of
    Chainlit's in the page head or on the login page."""
    return {
        "name": brand.name,
        "description": f"{brand.name}: shopping assistant",
        "custom_meta_image_url": "/logo?theme=light",
        "custom_meta_url": "/",
        "login_page_image": "/shop-login.svg",
        # Chainlit darkens and greys the login picture in dark mode unless given a filter
        # class; this one does not exist, so the picture keeps the store's colours.
        "login_page_image_dark_filter": "shop-keep-colours",
        "custom_css": "/shop-theme.css",
    }


def create_router(brand: Brand, pictures: Path = demo.IMAGES) -> APIRouter:
    """The routes that replace Chainlit's logo, favicon and avatars, and serve pictures."""
    router = APIRouter()

    def svg(body: str) -> Response:
        return Response(body, media_type="image/svg+xml", headers=_SVG_HEADERS)

    def logo_file() -> FileResponse:
        return FileResponse(brand.logo, media_type=brand.logo_type, headers=_SVG_HEADERS)

    @router.get("/logo")
    def logo(theme: Literal["light", "dark"] = Query("light")) -> Response:
        return svg(brand.wordmark(theme))

    @router.get("/shop-theme.css")
    def theme() -> Response:
        return Response(brand.theme_css(), media_type="text/css")

    @router.get("/favicon")
    def favicon() -> FileResponse:
        return logo_file()

    @router.get("/avatars/{name}")
    def avatar(name: str) -> FileResponse:
        return logo_file()  # the assistant and its tool steps all speak for the store

    @router.get("/shop-login.svg")
    def login_picture() -> Response:
        return svg(brand.login_picture())

    @router.get("/demo-images/{name}")
    def picture(name: str) -> FileResponse:
        path = pictures / name
        if not _PICTURE.match(name) or not path.is_file():
            raise HTTPException(status_code=404, detail="no such picture")
        return FileResponse(path, media_type="image/svg+xml", headers=_SVG_HEADERS)

    return router
