"""The widget demo store page and its token minting; the search-only reduced mode."""

from __future__ import annotations

from pathlib import Path

import jwt
from fastapi.testclient import TestClient

from agent.settings import Settings
from catalog.service import Catalog
from ui.fallback import REDUCED_NOTE, SearchOnlyAssistant
from ui.widget_demo import create_app, mint_widget_token

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_minted_token_decodes_with_the_shared_secret() -> None:
    token = mint_widget_token(SECRET, "guest-1")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["identifier"] == "guest-1" and claims["exp"] > claims["iat"]


def test_demo_page_embeds_the_widget(small_catalog: Catalog, small_catalog_dir: Path) -> None:
    settings = Settings(
        SHOP_DATA_DIR=small_catalog_dir, SHOP_AUTH="password", SHOP_WIDGET_DEMO_GUEST_TOKENS=True
    )
    client = TestClient(create_app(settings, "http://127.0.0.1:9000", secret=SECRET))
    page = client.get("/", params={"product": "boot-summit"}).text
    assert 'src="http://127.0.0.1:9000/copilot/index.js"' in page
    assert "window.mountChainlitWidget" in page and "shop_page_context" in page
    assert '"boot-summit"' in page and SECRET not in page
    assert "accessToken: null" not in page  # auth on: a token was minted server-side
    open_page = Settings(SHOP_DATA_DIR=small_catalog_dir)
    client = TestClient(create_app(open_page, "http://127.0.0.1:9000"))
    assert "accessToken: null" in client.get("/").text


async def test_search_only_assistant_speaks_the_assistant_protocol(
    small_catalog: Catalog,
) -> None:
    bot = SearchOnlyAssistant(small_catalog)
    events = [e async for e in bot.astream("hiking boots under $100", thread_id="t")]
    assert [e.type for e in events[:2]] == ["tool_start", "tool_end"]
    result = events[-1].result
    assert result is not None and result.reduced_mode and REDUCED_NOTE in result.notes
    assert result.recommendations and all(r.price <= 100 for r in result.recommendations)
    compare = await bot.arun(
        "Compare Ridgeline (boot-trail) with Summit (boot-summit)", thread_id="t"
    )
    assert compare.comparison is not None and compare.comparison.product_ids == [
        "boot-trail",
        "boot-summit",
    ]
