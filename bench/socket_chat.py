"""A chat client speaking Chainlit's socket.io protocol, as the browser does.

One `SocketChat` is one browser tab: it connects (with an Origin header and cookies, like
a browser would), starts the chat, and `ask()` sends a message and waits for the turn to end
(`task_end`), returning the assistant's text, the cards it sent and the time taken.
Used by bench/load.py and the security probes.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import socketio

SOCKET_PATH = "/ws/socket.io"


@dataclass
class Answer:
    """What one turn produced."""

    text: str
    elements: int
    seconds: float
    complete: bool  # task_end came and an assistant message had content
    messages: list[dict[str, Any]] = field(default_factory=list)


def login(base: str, username: str, password: str) -> tuple[int, dict[str, str], str]:
    """POST /login like the login form; returns (status, cookies, body)."""
    data = urllib.parse.urlencode({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{base}/login", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            cookies = _cookies(response.headers.get_all("set-cookie") or [])
            return response.status, cookies, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, {}, exc.read().decode()


def token_login(base: str, token: str) -> tuple[int, dict[str, str]]:
    """POST /auth/jwt with a widget access token, as the widget does; (status, cookies)."""
    request = urllib.request.Request(
        f"{base}/auth/jwt", data=b"", method="POST", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, _cookies(response.headers.get_all("set-cookie") or [])
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _cookies(headers: list[str]) -> dict[str, str]:
    found = {}
    for header in headers:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


class SocketChat:
    """One chat session over socket.io (see the module docstring)."""

    def __init__(
        self,
        base: str,
        *,
        origin: str | None = None,
        cookies: dict[str, str] | None = None,
        thread_id: str | None = None,
        client_type: str = "webapp",
    ) -> None:
        self.base = base
        self.origin = origin if origin is not None else base
        self.cookies = cookies or {}
        self.session_id = str(uuid.uuid4())
        self.thread_id = thread_id or str(uuid.uuid4())
        self.client_type = client_type
        self.sio = socketio.AsyncClient(reconnection=False)
        self._events: list[tuple[str, Any]] = []
        self._turn_end = asyncio.Event()
        self._in_turn = False
        for name in ("new_message", "update_message", "stream_start", "element"):
            self.sio.on(name, self._recorder(name))
        self.sio.on("stream_token", self._recorder("stream_token"))
        self.sio.on("task_start", self._task_start)
        self.sio.on("task_end", self._task_end)

    def _recorder(self, name: str) -> Any:
        async def record(data: Any = None) -> None:
            if self._in_turn:
                self._events.append((name, data))

        return record

    async def _task_start(self, data: Any = None) -> None:
        self._in_turn = True

    async def _task_end(self, data: Any = None) -> None:
        if self._in_turn:
            self._turn_end.set()

    async def connect(self, timeout: float = 30) -> None:
        """Open the socket (raises socketio.exceptions.ConnectionError when refused)."""
        headers = {}
        if self.origin:
            headers["Origin"] = self.origin
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        auth = {
            "clientType": self.client_type,
            "sessionId": self.session_id,
            "threadId": self.thread_id,
            "userEnv": "{}",
            "chatProfile": "",
        }
        self._events.clear()
        self._turn_end.clear()
        try:
            await self.sio.connect(
                self.base,
                headers=headers,
                auth=auth,
                transports=["websocket"],
                socketio_path=SOCKET_PATH,
                wait_timeout=timeout,
            )
        except Exception:
            http = getattr(self.sio.eio, "http", None)  # the refused attempt's HTTP session
            if http is not None and not http.closed:
                await http.close()
            raise
        await self.sio.emit("connection_successful")
        # on_chat_start runs as a task of its own (task_start ... task_end): wait for it, so
        # its events are not taken for the first answer.
        await asyncio.wait_for(self._turn_end.wait(), timeout)
        self._in_turn = False

    async def ask(self, text: str, timeout: float = 120) -> Answer:
        """Send `text` and wait for the end of the turn (at most `timeout` seconds)."""
        self._events.clear()
        self._turn_end.clear()
        self._in_turn = False
        payload = {
            "message": {
                "id": str(uuid.uuid4()),
                "threadId": self.thread_id,
                "output": text,
                "name": "User",
                "type": "user_message",
                "createdAt": datetime.now(UTC).isoformat(),
            },
            "fileReferences": [],
        }
        started = time.perf_counter()
        await self.sio.emit("client_message", payload)
        try:
            await asyncio.wait_for(self._turn_end.wait(), timeout)
            done = True
        except TimeoutError:
            done = False
        seconds = time.perf_counter() - started
        self._in_turn = False
        return self._answer(seconds, done)

    def _answer(self, seconds: float, done: bool) -> Answer:
        messages: dict[str, dict[str, Any]] = {}
        tokens: dict[str, list[str]] = {}
        elements = 0
        for name, data in self._events:
            if name == "element":
                elements += 1
            elif name == "stream_token" and isinstance(data, dict):
                tokens.setdefault(str(data.get("id")), []).append(str(data.get("token", "")))
            elif isinstance(data, dict) and data.get("type") == "assistant_message":
                messages[str(data.get("id"))] = data
        texts = [m.get("output") or "".join(tokens.get(i, [])) for i, m in messages.items()]
        text = "\n".join(t for t in texts if t)
        return Answer(text, elements, seconds, done and bool(text), list(messages.values()))

    async def close(self) -> None:
        await self.sio.disconnect()


def dumps(answer: Answer) -> str:
    """A short JSON summary (for logs)."""
    return json.dumps({"text": answer.text[:120], "elements": answer.elements})
