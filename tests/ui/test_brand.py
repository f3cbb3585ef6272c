"""The brand routes and pictures (no browser): logo, favicon, avatars, theme, demo pictures."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalog import demo
from ui.brand import Brand, BrandError, chainlit_ui_settings, create_router, greeting

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><desc>test-logo</desc></svg>'


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.svg"
    path.write_text(LOGO, encoding="utf-8")
    return path


def client(brand: Brand) -> TestClient:
    app = FastAPI()
    app.include_router(create_router(brand))
    return TestClient(app)


@pytest.mark.parametrize("unset", [None, ""])  # "" is what .env.example sets
def test_default_logo_is_the_demo_stores(unset: str | None) -> None:
    brand = Brand.load("Trailhead & Home", "#2f6f4f", unset)
    assert brand.logo == demo.LOGO and brand.logo_type == "image/svg+xml"


def test_routes_serve_the_stores_logo_and_name(logo: Path) -> None:
    http = client(Brand.load("Fox & <Hound>", "#123", logo))
    for theme in ("light", "dark"):
        response = http.get(f"/logo?theme={theme}")
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert "Fox &amp; &lt;Hound&gt;" in response.text and "<Hound>" not in response.text
    assert 'fill="#f4f4f5"' in http.get("/logo?theme=dark").text  # light text on dark
    assert http.get("/favicon").text == LOGO
    assert http.get("/avatars/search_products").text == LOGO
    assert "Fox &amp; &lt;Hound&gt;" in http.get("/shop-login.svg").text
    assert http.get("/logo?theme=purple").status_code == 422


def test_theme_css_carries_colour_and_an_escaped_greeting(logo: Path) -> None:
    css = client(Brand.load('Evil"} body{x:1', "#2f6f4f", logo)).get("/shop-theme.css").text
    assert "--shop-accent: #2f6f4f" in css
    greeting_rule = next(line for line in css.splitlines() if "::after" in line)
    quoted = greeting_rule.split("content: ", 1)[1].split("; order:", 1)[0]
    assert quoted[0] == quoted[-1] == '"' and '"' not in quoted[1:-1] and "}" not in quoted
    assert "I'm the Evil\\22 " in quoted
    # An unreadable colour falls back to the default instead of reaching the stylesheet.
    bad = client(Brand.load("S", "red;}*{display:none", logo)).get("/shop-theme.css").text
    assert "display:none" not in bad and "--shop-accent: #2f6f4f" in bad


def test_demo_pictures_are_served_and_nothing_else(logo: Path) -> None:
    http = client(Brand.load("S", "#2f6f4f", logo))
    tents = http.get("/demo-images/tents.svg")
    assert tents.status_code == 200 and tents.text == (demo.IMAGES / "tents.svg").read_text()
    assert "default-src 'none'" in tents.headers["content-security-policy"]
    for name in ("nope.svg", "..%2Fproducts.jsonl", "logo.svg", "TENTS.svg", ".svg"):
        assert http.get(f"/demo-images/{name}").status_code == 404, name


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [("missing.svg", None, "no such file"), ("logo.txt", "x", "must be one of")],
)
def test_a_bad_logo_fails_at_start(tmp_path: Path, name: str, content: str | None, error: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(BrandError, match=error):
        Brand.load("S", "#000", path)


def test_chainlit_settings_name_the_store_and_its_pictures(logo: Path) -> None:
    ui = chainlit_ui_settings(Brand.load("Fox & Hound", "#000", logo))
    assert ui["name"] == "Fox & Hound"
    assert ui["login_page_image"] == "/shop-login.svg" and ui["custom_css"] == "/shop-theme.css"
    assert "chainlit" not in " ".join(ui.values()).lower()
    assert greeting("Fox & Hound").startswith("Hi! I'm the Fox & Hound assistant.")
