"""Items 3, 4, 5 at unit level: server-minted thread ids, header auth behind a proxy, login
throttling (time from a FakeClock), and the socket's origin rule."""

from __future__ import annotations

from tests.clock import FakeClock
from ui.auth import PROXY_SECRET_HEADER, check_password, header_identity, parse_users
from ui.login_throttle import LoginThrottle
from ui.origins import socket_origin_check, widget_origins
from ui.threads import PREFIX, agent_thread_id

SECRET = b"k" * 32


def test_agent_thread_ids_are_bound_to_user_or_session() -> None:
    mine = agent_thread_id("T1", user_identifier="alice", session_id="s1", secret=SECRET)
    assert mine.startswith(PREFIX) and "T1" not in mine
    # resuming one's own thread, from another session or worker, finds the same memory
    assert mine == agent_thread_id("T1", user_identifier="alice", session_id="s2", secret=SECRET)
    # someone else sending the same thread id does not
    assert mine != agent_thread_id("T1", user_identifier="bob", session_id="s1", secret=SECRET)
    anon = agent_thread_id("T1", user_identifier=None, session_id="s1", secret=SECRET)
    other = agent_thread_id("T1", user_identifier=None, session_id="s2", secret=SECRET)
    assert anon != other and anon != mine
    # and without the server's secret the id cannot be computed
    assert anon != agent_thread_id("T1", user_identifier=None, session_id="s1", secret=b"x" * 32)


def test_header_auth_requires_the_proxy_secret_when_one_is_set() -> None:
    header = "X-Forwarded-User"
    assert header_identity({header: "alice"}, header=header, secret=None) == "alice"
    assert header_identity({header: "alice"}, header=header, secret="proxy-only") is None
    wrong = {header: "alice", PROXY_SECRET_HEADER: "guess"}
    assert header_identity(wrong, header=header, secret="proxy-only") is None
    right = {header: "alice", PROXY_SECRET_HEADER: "proxy-only"}
    assert header_identity(right, header=header, secret="proxy-only") == "alice"
    for bad in ("", "   ", "a" * 300, "ali\u202ece", "al\x00ice"):
        assert header_identity({header: bad}, header=header, secret=None) is None


def test_password_check() -> None:
    users = parse_users("alice:trail-pass, bob:x:y")
    assert users == {"alice": "trail-pass", "bob": "x:y"}
    assert check_password(users, "alice", "trail-pass")
    assert not check_password(users, "alice", "trail-pas")
    assert not check_password(users, "mallory", "")
    assert check_password(users, "bob", "x:y")


def test_login_throttle_per_user_then_window() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(per_user=5, per_address=20, window_s=300, clock=clock)
    for _ in range(5):
        assert throttle.retry_after("alice", "10.0.0.1") is None
        throttle.failed("alice", "10.0.0.1")
        clock.advance_sync(1)
    wait = throttle.retry_after("alice", "10.0.0.1")
    assert wait == 295  # failures at t=0..4, now t=5: the oldest leaves the window at t=300
    assert throttle.retry_after("ALICE", "10.9.9.9") == 295  # per user, from anywhere
    assert throttle.retry_after("bob", "10.0.0.1") is None  # the address is still fine
    clock.advance_sync(295)
    assert throttle.retry_after("alice", "10.0.0.1") is None


def test_login_throttle_per_address_and_success_resets_the_user() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(per_user=5, per_address=20, window_s=300, clock=clock)
    for n in range(20):
        throttle.failed(f"user{n}", "10.0.0.2")
    assert throttle.retry_after("carol", "10.0.0.2") is not None  # a spray from one address
    assert throttle.retry_after("carol", "10.0.0.3") is None
    for _ in range(3):
        throttle.failed("dave", "10.0.0.4")
    throttle.succeeded("dave")
    for _ in range(4):
        throttle.failed("dave", "10.0.0.4")
    assert throttle.retry_after("dave", "10.0.0.4") is None  # 4 since the success


def test_socket_origin_rule() -> None:
    check = socket_origin_check(widget_origins("https://shop.example.com, http://127.0.0.1:8001/"))
    env = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:8000"}
    assert check("https://shop.example.com", env)
    assert check("http://127.0.0.1:8001", env)
    assert check("http://127.0.0.1:8000", env)  # the chat page itself
    assert check(None, env)  # not a browser
    assert not check("http://evil.example", env)
    assert not check("http://127.0.0.1:8000.evil.example", env)
    proxied = {**env, "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "chat.ex.com"}
    assert check("https://chat.ex.com", proxied)


def test_wildcard_widget_origin_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError):
        widget_origins("*")
