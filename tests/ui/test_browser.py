"""Browser tests: the chat page and the widget demo store, driven in headless Chromium.

The UI runs as a subprocess (`python -m ui.server`: Chainlit exits with os._exit) on free
loopback ports, with the offline model, password auth on and the small temp catalog.
Screenshots land in test-artifacts/ (gitignored) or $SHOP_TEST_ARTIFACTS.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.live_server import free_port, live_server, wait_http
from catalog.models import Variant
from catalog.service import Catalog
from ui.cards import format_price, stock_badge

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("SHOP_TEST_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
USER, PASSWORD = "alice", "trail-pass"


@contextmanager
def running_ui(data_dir: Path, **overrides: str) -> Iterator[dict[str, str]]:
    """The real server (bench/live_server.py) with password sign-in and the widget demo as a
    demo deployment (it signs guests in); yields its URLs and log path."""
    env = {
        "SHOP_WIDGET_DEMO": "true",  # opt-in, and a demo deployment: it signs in guests
        "SHOP_WIDGET_DEMO_GUEST_TOKENS": "true",
        "SHOP_AUTH": "password",
        "SHOP_AUTH_USERS": f"{USER}:{PASSWORD}",
        **overrides,
    }
    with live_server(data_dir, **env) as server:
        wait_http(f"{server.demo}/healthz", server.proc)
        yield {"base": server.base, "demo": server.demo, "log": str(server.log)}


@pytest.fixture(scope="module")
def ui_server(small_catalog: Catalog, small_catalog_dir: Path) -> Iterator[dict[str, str]]:
    with running_ui(small_catalog_dir) as urls:
        yield urls


@contextmanager
def browser_page(chromium: str) -> Iterator:
    """A fresh headless Chromium page; a screenshot of its last state when it closes."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            yield page
        finally:
            name = os.environ.get("PYTEST_CURRENT_TEST", "test").split(":")[-1].split(" ")[0]
            page.screenshot(path=str(ARTIFACTS / f"last-{name}.png"))
            browser.close()


@pytest.fixture
def page(chromium: str) -> Iterator:
    with browser_page(chromium) as opened:
        yield opened


def login(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/")
    page.fill("#email", USER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#chat-input")


def send(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type and send a message in the chat input.

    Chainlit 2.12 silently drops a message submitted before its socket session is up, and on
    a loaded machine that can be seconds after the page renders: press Enter again until the
    input has been consumed.
    """
    box = page.locator("#chat-input")
    box.fill(text)
    for _ in range(30):
        box.press("Enter")
        page.wait_for_timeout(1000)
        if not box.evaluate("e => (e.value ?? e.innerText ?? '').trim()"):
            return
    raise AssertionError(f"the chat never accepted {text!r}")


def test_healthz_is_json(ui_server: dict[str, str]) -> None:
    import json

    with urllib.request.urlopen(f"{ui_server['base']}/healthz") as response:
        assert response.headers["content-type"].startswith("application/json")
        body = json.loads(response.read())
    assert body["catalog"]["products"] == 7 and body["model"]["mode"] == "offline"


def test_chat_page_cards_compare_and_history(
    ui_server: dict[str, str], page, small_catalog: Catalog
) -> None:
    login(page, ui_server["base"])
    page.get_by_text("Hiking boots under $100").first.wait_for()  # a starter
    send(page, "Hiking boots under $100")

    card = page.locator("[data-testid=product-card]").first
    card.wait_for(timeout=90_000)  # the first turn also loads the embedding model
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))
    variant_id = card.get_attribute("data-variant-id")
    with small_catalog.store.session() as session:
        variant = session.scalars(select(Variant).where(Variant.id == variant_id)).one()
    assert card.locator("[data-testid=card-price]").inner_text() == format_price(
        float(variant.price), variant.currency
    )
    assert float(variant.price) <= 100
    expected_badge, _ = stock_badge(variant.in_stock, variant.stock)
    assert card.locator("[data-testid=stock-badge]").inner_text() == expected_badge
    assert page.get_by_text("search_products").first.is_visible()  # the collapsed tool step

    card.get_by_role("button", name="Compare").click()
    table = page.locator("[data-testid=comparison-table]").first
    table.wait_for()
    assert table.locator("th").count() >= 3
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "chat-compare.png"))

    # History: the thread is persisted; reloading it shows the conversation again.
    page.wait_for_url("**/thread/**")
    page.reload()
    page.get_by_text("Hiking boots under $100").first.wait_for()
    page.locator("[data-testid=product-card]").first.wait_for()
    assert page.locator("[data-testid=comparison-table]").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "chat-resumed.png"))


def test_cards_are_numbered_as_the_conversation_counts_and_buttons_send_data(
    ui_server: dict[str, str], page
) -> None:
    """The cards on screen are the turn's picks in order (#1, #2, ...), and "More like this"
    on #2 sends that card as data: the shopper's words appear, and the answer's cards are
    other boots, each within the budget or labelled with what it misses."""
    login(page, ui_server["base"])
    send(page, "hiking boots under $100")
    cards = page.locator("[data-testid=product-card]")
    cards.first.wait_for(timeout=90_000)
    page.wait_for_timeout(500)
    first_turn = cards.count()
    assert first_turn >= 2
    positions = [cards.nth(i).get_attribute("data-position") for i in range(first_turn)]
    assert positions == [str(i) for i in range(1, first_turn + 1)]
    second = cards.nth(1)
    pid = second.get_attribute("data-product-id")
    title = second.locator("[data-testid=card-title]").inner_text().split(" ", 1)[1]
    second.get_by_role("button", name="More like this").click()
    page.get_by_text(f"More like {title}").first.wait_for()  # shown as the shopper's message
    more_cards = "n => document.querySelectorAll('[data-testid=product-card]').length > n"
    page.wait_for_function(more_cards, arg=first_turn, timeout=90_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "chat-more-like.png"))
    for i in range(first_turn, cards.count()):
        card = cards.nth(i)
        assert card.get_attribute("data-product-id") != pid
        assert card.get_attribute("data-product-id").startswith("boot-")
        price = float(card.locator("[data-testid=card-price]").get_attribute("data-price"))
        if card.get_attribute("data-fits") == "yes":
            assert price <= 100
        else:
            assert "over your budget" in card.locator("[data-testid=card-misses]").inner_text()


def test_widget_demo_bubble_answers_with_a_card(ui_server: dict[str, str], page) -> None:
    # The widget trades its token for a session cookie (POST /auth/jwt) on load, and a bubble
    # opened before that answer connects without it: wait for the exchange, not a guess.
    with page.expect_response(lambda r: r.url.endswith("/auth/jwt")):
        page.goto(ui_server["demo"] + "/?product=boot-trail")
    assert ui_server["demo"] != ui_server["base"]
    page.locator("#chainlit-copilot-button").click()
    page.get_by_text("What are you shopping for?").wait_for()  # the session is up
    page.locator("#chat-input").fill("Hiking boots under $100")
    page.keyboard.press("Enter")
    card = page.locator("[data-testid=product-card]").first
    card.wait_for(timeout=90_000)
    assert card.locator("[data-testid=card-price]").inner_text().startswith("$")
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))

    # A comparison shows as one table in the widget (it used to come twice: the element and
    # a Markdown copy in the message text). Wait for the turn to end before counting.
    card.get_by_role("button", name="Compare").click()
    page.locator("[data-testid=comparison-table]").first.wait_for(timeout=90_000)
    page.locator("#chainlit-copilot #chat-input").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#chainlit-copilot').shadowRoot"
        ".querySelector('#stop-button')"
    )
    assert page.locator("#chainlit-copilot table").count() == 1


def test_a_failing_model_gets_a_friendly_reply_and_the_server_keeps_serving(
    small_catalog: Catalog, small_catalog_dir: Path, page
) -> None:
    """A remote endpoint that refuses every connection: the shopper sees products from the
    offline fallback with the reduced-mode note, never a traceback, and /healthz still answers."""
    dead = free_port()  # nothing listens here
    with running_ui(
        small_catalog_dir,
        OPENAI_BASE_URL=f"http://127.0.0.1:{dead}/v1",
        OPENAI_API_KEY="test",
        SHOP_MODEL="remote-model",
        SHOP_MODEL_TIMEOUT_S="2",
        SHOP_MODEL_MAX_RETRIES="0",
    ) as urls:
        login(page, urls["base"])
        send(page, "Hiking boots under $100")
        page.locator("[data-testid=product-card]").first.wait_for(timeout=90_000)
        body = page.locator("body").inner_text()
        assert "reduced mode" in body.lower()
        assert "Traceback" not in body and "Error:" not in body
        page.screenshot(path=str(ARTIFACTS / "chat-reduced-mode.png"))
        with urllib.request.urlopen(f"{urls['base']}/healthz") as response:
            assert response.status == 200
