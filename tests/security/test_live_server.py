"""Items 1, 2, 3, 5 against the real server (`python -m ui.server`), driven like a browser
over socket.io and HTTP: the demo store is opt-in and signs nobody in, the socket checks
Origin, agent thread ids are the server's, failed sign-ins are throttled."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from agent.assistant import build_assistant
from agent.settings import Settings
from bench.live_server import LiveServer, live_server
from bench.socket_chat import SocketChat, login, token_login
from catalog.service import Catalog
from ui.widget_demo import mint_widget_token

pytestmark = pytest.mark.slow
ALLOWED = "https://shop.example.com"
USERS = "alice:alice-pass,bob:bob-pass,carol:carol-pass"
SESSION_TIMEOUT_S = 2  # a closed chat's session is dropped after this (SHOP_SESSION_TIMEOUT_S)
SECRET = "test-signing-secret-" + "s" * 40  # CHAINLIT_AUTH_SECRET of the password server


@pytest.fixture(scope="module")
def open_server(small_catalog: Catalog, small_catalog_root: Path) -> Iterator[LiveServer]:
    with live_server(
        small_catalog_root,
        SHOP_AUTH="none",
        SHOP_WIDGET_ORIGINS=ALLOWED,
        SHOP_SESSION_TIMEOUT_S=str(SESSION_TIMEOUT_S),
    ) as srv:
        yield srv


@pytest.fixture(scope="module")
def password_server(small_catalog: Catalog, small_catalog_root: Path) -> Iterator[LiveServer]:
    with live_server(
        small_catalog_root,
        SHOP_AUTH="password",
        SHOP_AUTH_USERS=USERS,
        SHOP_WIDGET_DEMO="true",
        CHAINLIT_AUTH_SECRET=SECRET,
    ) as srv:
        yield srv


def status(url: str, cookies: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def thread_checkpoints(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "checkpoints.db") as db:
        rows = db.execute("SELECT thread_id, count(*) FROM checkpoints GROUP BY thread_id")
        return dict(rows.fetchall())


# -- auth off ---------------------------------------------------------------------------


def test_demo_store_is_off_unless_asked_for(open_server: LiveServer) -> None:
    with pytest.raises(OSError):
        urllib.request.urlopen(open_server.demo, timeout=5)


async def test_socket_refuses_a_foreign_origin(open_server: LiveServer) -> None:
    evil = SocketChat(open_server.base, origin="http://evil.example")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await evil.connect()
    for origin in (ALLOWED, open_server.base):
        chat = SocketChat(open_server.base, origin=origin)
        await chat.connect()
        await chat.close()


async def test_a_client_cannot_open_a_thread_it_did_not_create(
    open_server: LiveServer, small_catalog: Catalog, small_catalog_root: Path
) -> None:
    # A terminal conversation (shop chat --thread cli-thread) in the same data dir.
    settings = Settings(_env_file=None, SHOP_DATA_DIR=small_catalog_root)
    cli = build_assistant(settings, small_catalog)
    await cli.arun("hiking boots under $100", thread_id="cli-thread")
    await cli.aclose()
    before = thread_checkpoints(small_catalog_root)

    first = SocketChat(open_server.base, thread_id="cli-thread")
    second = SocketChat(open_server.base, thread_id="cli-thread")  # a second browser
    for chat in (first, second):
        await chat.connect()
        answer = await chat.ask("a merino t-shirt")
        assert answer.complete, answer
        await chat.close()

    after = thread_checkpoints(small_catalog_root)
    assert after["cli-thread"] == before["cli-thread"]  # nobody wrote into the CLI thread
    new = set(after) - set(before)
    assert len(new) == 2 and all(t.startswith("web-") for t in new)  # one each, minted


async def test_closed_sessions_leave_memory_after_the_session_timeout(
    open_server: LiveServer,
) -> None:
    """Chainlit keeps a closed socket's session for a reconnect; SHOP_SESSION_TIMEOUT_S bounds
    how long, so a busy store's memory does not hold every session of the past hour."""
    chats = [SocketChat(open_server.base) for _ in range(3)]
    for chat in chats:
        await chat.connect()
        assert (await chat.ask("a merino t-shirt")).complete
    assert sessions(open_server) >= 3
    for chat in chats:
        await chat.close()
    assert sessions(open_server) >= 3  # kept for a reconnect right after closing
    # Every client of this server has closed by now: wait on the server's count reaching 0
    # (bounded), not on a guessed sleep.
    for _ in range(100):
        if sessions(open_server) == 0:
            break
        await asyncio.sleep(0.2)
    assert sessions(open_server) == 0


def sessions(server: LiveServer) -> int:
    with urllib.request.urlopen(server.base + "/healthz", timeout=30) as response:
        return int(json.loads(response.read())["sessions"])


# -- password auth ------------------------------------------------------------------------


def test_demo_store_signs_nobody_in_without_the_demo_opt_in(password_server: LiveServer) -> None:
    with urllib.request.urlopen(password_server.demo + "/", timeout=30) as response:
        page = response.read().decode()
    assert "window.mountChainlitWidget" in page and "accessToken: null" in page
    assert status(password_server.base + "/user") == 401


async def test_signed_in_cookie_does_not_open_a_socket_from_a_foreign_origin(
    password_server: LiveServer,
) -> None:
    code, cookies, _ = login(password_server.base, "bob", "bob-pass")
    assert code == 200 and cookies
    assert status(password_server.base + "/user", cookies) == 200
    evil = SocketChat(password_server.base, origin="http://evil.example", cookies=cookies)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await evil.connect()
    chat = SocketChat(password_server.base, cookies=cookies)
    await chat.connect()
    answer = await chat.ask("hiking boots under $100")
    await chat.close()
    assert answer.complete and answer.elements >= 1


def test_a_token_minted_by_the_stores_server_signs_its_customer_in(
    password_server: LiveServer,
) -> None:
    """What README and docs/widget.md tell a store to do: mint a short-lived token for its
    signed-in customer with the assistant's secret; the widget trades it for a session."""
    code, cookies = token_login(password_server.base, mint_widget_token(SECRET, "customer-42"))
    assert code == 200 and cookies
    assert status(password_server.base + "/user", cookies) == 200
    forged = mint_widget_token("not-the-secret-" + "x" * 40, "customer-42")
    assert token_login(password_server.base, forged)[0] == 401


def test_failed_sign_ins_are_throttled(password_server: LiveServer) -> None:
    # (last in this module: it leaves 127.0.0.1 throttled for the window)
    codes = [login(password_server.base, "alice", f"guess-{n}")[0] for n in range(6)]
    assert codes == [401] * 5 + [429]
    assert login(password_server.base, "alice", "alice-pass")[0] == 429  # locked for now
    assert login(password_server.base, "carol", "carol-pass")[0] == 200  # others are not
    # 5 counted failures so far (refused attempts are not counted); 15 more make 20
    sprayed = [login(password_server.base, f"user{n}", "x")[0] for n in range(15)]
    assert sprayed == [401] * 15
    assert login(password_server.base, "carol", "carol-pass")[0] == 429  # now it is
