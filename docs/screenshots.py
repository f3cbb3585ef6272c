"""Retake the README's screenshots over the bundled demo catalog.

    .venv/bin/python docs/screenshots.py

Loads the demo catalog into a temp data dir, starts the UI there (`python -m ui.server`, offline
model, password auth, as the browser tests do) and drives Debian's headless Chromium through
Playwright: the chat page's welcome screen, a chat answer with product cards, and the widget
on the demo store's product page. Writes docs/screenshot-*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ui.test_browser import CHROMIUM_ARGS, login, running_ui, send  # noqa: E402

DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="shop-screenshots-") as tmp:
        take(Path(tmp))
    print("wrote", ", ".join(p.name for p in sorted(DOCS.glob("screenshot-*.png"))))


def take(data: Path) -> None:
    """Load the demo into `data`, run the UI over it and take the screenshots."""
    from playwright.sync_api import sync_playwright

    env = dict(os.environ, SHOP_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "ui.cli", "demo"], cwd=ROOT, env=env, check=True)
    with running_ui(data) as urls, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(90_000)

        login(page, urls["base"])
        page.wait_for_selector("#welcome-screen img.logo")
        page.wait_for_timeout(800)
        page.screenshot(path=str(DOCS / "screenshot-welcome.png"))

        send(page, "waterproof hiking boots under 150")
        page.locator("[data-testid=product-card]").first.wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(DOCS / "screenshot-chat.png"))

        widget = browser.new_page(viewport={"width": 1280, "height": 900})
        widget.set_default_timeout(90_000)
        widget.goto(urls["demo"] + "/")
        widget.locator("#chainlit-copilot-button").click()
        widget.get_by_text("What are you shopping for?").wait_for()
        widget.locator("#chat-input").fill("a tent under 300")
        widget.keyboard.press("Enter")
        widget.locator("[data-testid=product-card]").first.wait_for()
        widget.wait_for_timeout(1500)
        widget.screenshot(path=str(DOCS / "screenshot-widget.png"))
        browser.close()


if __name__ == "__main__":
    main()
