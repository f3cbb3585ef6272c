"""Browser tests of a store's own assistant: its brand everywhere, and new stock while running.

One UI process serves a store with its own name, logo and a writable catalog (the small UI
catalog plus a rain jacket). The brand test looks at the login page, the chat page and the
widget; the new-stock test runs `shop ingest` in another process while the UI runs and then
finds the new category by chat.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import chainlit
import pytest

from catalog.embedding import Encoder
from catalog.ingest import ingest
from tests.conftest import make_catalog
from tests.ui.catalog_data import FLEECE_ID, write_fleece_csv, write_store_with_jackets
from tests.ui.test_browser import ARTIFACTS, ROOT, browser_page, login, running_ui, send

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STORE = "Pinecone Provisions"
# A logo only this test has, so every place it shows up can be traced to SHOP_STORE_LOGO.
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">'
    '<circle cx="16" cy="16" r="15" fill="#7b2d26"/><path d="M16 5 L25 24 L7 24 Z" '
    'fill="#f6e7cb"/><desc>pinecone-test-logo</desc></svg>'
)
CHAINLIT_FILES = [
    Path(chainlit.__file__).parent / "frontend" / "dist" / name
    for name in ("logo_dark.svg", "logo_light.svg", "favicon.svg")
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[dict[str, str]]:
    """A running UI for the store, over its own (writable) catalog."""
    data = tmp_path_factory.mktemp("own-store")
    catalog = make_catalog(data, encoder)
    source = write_store_with_jackets(data / "store.jsonl")
    ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    logo = data / "logo.svg"
    logo.write_text(LOGO, encoding="utf-8")
    with running_ui(data, SHOP_STORE_NAME=STORE, SHOP_STORE_LOGO=str(logo)) as urls:
        yield {**urls, "data": str(data)}


@pytest.fixture(name="page")
def store_page(chromium: str) -> Iterator:
    with browser_page(chromium) as opened:
        yield opened


def fetch(page, url: str) -> bytes:  # type: ignore[no-untyped-def]
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    return response.body()


def check_brand_image(page, url: str) -> str:  # type: ignore[no-untyped-def]
    """A logo/avatar/favicon URL serves the store's picture, never one of Chainlit's."""
    body = fetch(page, url)
    assert all(body != path.read_bytes() for path in CHAINLIT_FILES), url
    text = body.decode("utf-8")
    assert "pinecone-test-logo" in text or base64.b64encode(LOGO.encode()).decode() in text, url
    return text


def test_store_name_and_logo_everywhere_and_no_chainlit(store: dict[str, str], page) -> None:
    base = store["base"]
    for theme in ("light", "dark"):
        assert STORE in check_brand_image(page, f"{base}/logo?theme={theme}")
    assert check_brand_image(page, f"{base}/favicon") == LOGO
    assert check_brand_image(page, f"{base}/avatars/search_products") == LOGO

    # Login page: the wordmark, the store's picture beside the form, the store's title.
    page.goto(base + "/")
    page.wait_for_selector("#email")
    assert page.title() == STORE
    logo_src = page.locator("img.logo").first.get_attribute("src") or ""
    assert "/logo?theme=" in logo_src
    assert STORE in check_brand_image(page, page.locator("img.logo").first.evaluate("e => e.src"))
    picture = page.locator("img[alt=Image]").first.evaluate("e => e.src")
    assert picture.endswith("/shop-login.svg") and STORE in check_brand_image(page, picture)
    assert "chainlit" not in page.locator("body").inner_text().lower()
    assert "chainlit" not in page.evaluate("document.head.innerHTML").lower()
    page.screenshot(path=str(ARTIFACTS / "brand-login.png"))

    # Chat page: the wordmark on the welcome screen and the greeting under it.
    login(page, base)
    welcome_logo = page.locator("#welcome-screen img.logo")
    welcome_logo.wait_for()
    assert STORE in check_brand_image(page, welcome_logo.evaluate("e => e.src"))
    assert welcome_logo.evaluate("e => e.naturalWidth") > 0
    greeting = page.evaluate(
        "getComputedStyle(document.querySelector('#welcome-screen'), '::after').content"
    )
    assert f"I'm the {STORE} assistant" in greeting
    assert "chainlit" not in page.locator("body").inner_text().lower()
    page.screenshot(path=str(ARTIFACTS / "brand-chat.png"))

    # Widget on the store's page: the wordmark in its header, the greeting, no Chainlit.
    page.goto(store["demo"] + "/?product=boot-trail")
    page.locator("#chainlit-copilot-button").click()
    page.get_by_text(f"Hi! I'm the {STORE} assistant.").wait_for()
    header_logo = page.locator("#chainlit-copilot img.logo")
    header_logo.wait_for()
    src = header_logo.evaluate("e => e.src")
    assert src.startswith(base + "/logo?theme=") and STORE in check_brand_image(page, src)
    assert header_logo.evaluate("e => e.naturalWidth") > 0
    avatars = page.locator("#chainlit-copilot img:not(.logo)").evaluate_all(
        "els => els.map(e => e.src)"
    )
    assert avatars and all(check_brand_image(page, a) for a in avatars)
    shown = page.evaluate(
        "document.querySelector('#chainlit-copilot').shadowRoot"
        ".querySelector('#cl-shadow-root').innerText"
    )
    assert STORE in shown and "chainlit" not in shown.lower()
    page.screenshot(path=str(ARTIFACTS / "brand-widget.png"))


def test_new_category_ingested_while_the_ui_runs_is_found_by_chat(
    store: dict[str, str], page
) -> None:
    """`shop ingest` of a CSV with a new category (another process) while the UI runs; the
    next chat turn finds it. Before, the running UI kept the old vocabulary and read
    "fleece jacket" as the Rain Jackets category."""
    login(page, store["base"])
    send(page, "do you have a fleece jacket?")
    page.locator("[data-testid=product-card]").first.wait_for(timeout=90_000)
    assert page.locator(f"[data-testid=product-card][data-product-id='{FLEECE_ID}']").count() == 0

    env = dict(os.environ, SHOP_DATA_DIR=store["data"], PYTHONPATH=str(ROOT))
    csv_path = write_fleece_csv(Path(store["data"]) / "new-stock.csv")
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", str(csv_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "added 1" in done.stdout

    # A new conversation, as a new shopper would start it, in the same running process.
    page.goto(store["base"] + "/")
    page.wait_for_selector("#welcome-screen")
    send(page, "do you have a fleece jacket?")
    first = page.locator("[data-testid=product-card]").first
    first.wait_for(timeout=90_000)
    assert first.get_attribute("data-product-id") == FLEECE_ID
    assert "Fleece Jacket" in first.locator("[data-testid=card-title]").inner_text()
    page.screenshot(path=str(ARTIFACTS / "new-stock.png"))
