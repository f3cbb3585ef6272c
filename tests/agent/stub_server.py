"""A local OpenAI-compatible chat server answering from a script (stdlib only, for tests).

It runs ``http.server.ThreadingHTTPServer`` on 127.0.0.1 (a free port) in a background thread
and speaks enough of the Chat Completions API for the ``openai`` SDK and ``ChatOpenAI``:

* ``POST /v1/chat/completions``, streaming (SSE chunks with content and tool-call deltas, a
  final usage chunk when ``stream_options.include_usage`` is set, then ``[DONE]``) or not
  (with ``usage``). Requests are validated like OpenAI does, answering HTTP 400 with an
  OpenAI-style error body: no model, an empty ``messages`` list, an unknown role, a ``tool``
  message whose ``tool_call_id`` does not answer a tool call of the assistant message before it
  (an orphan), an assistant ``tool_calls`` message not followed by an answer to every call (only
  with ``strict=True``, the default), ``tool_choice`` without ``tools``, ``stream_options``
  without ``stream``.
* ``GET /v1/models``: the one model the stub serves.

Script the replies, then point any OpenAI client at ``stub.base_url``::

    from tests.agent.stub_server import StubServer, delay, error, text, tool_call

    with StubServer() as stub:
        stub.push(
            tool_call("search_products", {"query": "boots"}),   # a tool call
            tool_call("recommend", '{"items": [oops'),          # malformed raw arguments
            error(500, "tool call parser failed"),              # an HTTP error
            delay(2.0, text("late")),                           # sleep, then answer
            gated(tool_call("reply", {...}), gate, after=5),    # stream 5 chunks, wait for gate
            "plain text",                                       # a str is text(...)
            lambda body: text(body["messages"][-1]["content"]), # computed from the request
        )
        model = ChatOpenAI(base_url=stub.base_url, api_key="test", model="stub-model")
        ...
        stub.requests       # every POST body (dict), in arrival order, rejected ones too
        stub.rejections     # [(status, message)] of requests refused by validation
        stub.remaining      # scripted replies not yet consumed
        stub.gate_timeouts  # gated streams whose gate was never opened (in time)

Each request (that passes validation) takes the next scripted item; when the script is empty
the ``default`` item answers (or, without one, HTTP 500 "stub script exhausted"). Usage is
reported (counted as about 4 characters per token, or given per reply with ``usage=(p, c)``)
unless the server was made with ``usage=False``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "Reply",
    "StubServer",
    "ToolCall",
    "delay",
    "error",
    "gated",
    "text",
    "tool_call",
    "tool_calls",
]

ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


@dataclass(frozen=True)
class ToolCall:
    """One scripted tool call; `arguments` is a dict (sent as JSON) or a raw string."""

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)

    def raw_arguments(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments)


@dataclass(frozen=True)
class Reply:
    """One scripted answer: content and/or tool calls, or an HTTP error; optionally late."""

    content: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    status: int = 200
    error_message: str = ""
    error_type: str = "server_error"
    retry_after_ms: int | None = None
    delay_s: float = 0.0
    usage: tuple[int, int] | None = None  # (prompt_tokens, completion_tokens); None: counted
    finish_reason: str | None = None
    cached_tokens: int | None = None  # reported as usage.prompt_tokens_details.cached_tokens
    # streaming only: after `gate_after` chunks, wait until `gate` is set (at most 10 s)
    gate: threading.Event | None = field(default=None, compare=False)
    gate_after: int = 0


Item = Reply | str | Callable[[dict[str, Any]], "Reply | str"]


def text(content: str, *, usage: tuple[int, int] | None = None) -> Reply:
    """A plain assistant message."""
    return Reply(content=content, usage=usage)


def tool_call(
    name: str,
    arguments: dict[str, Any] | str | None = None,
    *,
    content: str | None = None,
    usage: tuple[int, int] | None = None,
) -> Reply:
    """An assistant message calling one tool (`arguments` may be a malformed raw string)."""
    return Reply(content=content, tool_calls=(ToolCall(name, arguments or {}),), usage=usage)


def tool_calls(*calls: tuple[str, dict[str, Any] | str]) -> Reply:
    """An assistant message with parallel tool calls: ``tool_calls(("a", {...}), ("b", {}))``."""
    return Reply(tool_calls=tuple(ToolCall(n, a) for n, a in calls))


def error(
    status: int = 500,
    message: str = "The server had an error while processing your request.",
    *,
    error_type: str | None = None,
    retry_after_ms: int | None = None,
) -> Reply:
    """An HTTP error with an OpenAI-style body (5xx and 429 are retried by the SDK)."""
    kind = error_type or ("server_error" if status >= 500 else "invalid_request_error")
    return Reply(
        status=status, error_message=message, error_type=kind, retry_after_ms=retry_after_ms
    )


def delay(seconds: float, then: Reply | str | None = None) -> Reply:
    """Sleep `seconds` before answering `then` (default: the text "(late)")."""
    reply = _as_reply(then, {}) if then is not None else text("(late)")
    return replace(reply, delay_s=seconds)


def gated(then: Reply | str, gate: threading.Event, *, after: int) -> Reply:
    """Stream `after` chunks of `then`, then wait for `gate` before the rest: a test sets the
    gate when it has seen what the client showed mid-stream (no timing involved)."""
    return replace(_as_reply(then, {}), gate=gate, gate_after=after)


def _as_reply(item: Item, body: dict[str, Any]) -> Reply:
    if callable(item) and not isinstance(item, Reply):
        item = item(body)
    if isinstance(item, str):
        return text(item)
    if not isinstance(item, Reply):
        raise TypeError(f"not a stub reply: {item!r}")
    return item


def _tokens(value: Any) -> int:
    raw = value if isinstance(value, str) else json.dumps(value, default=str)
    return max(1, (len(raw) + 3) // 4)


class BadRequest(Exception):
    """A request OpenAI would refuse with HTTP 400."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


def validate(body: Any, *, strict: bool = True) -> None:
    """Raise BadRequest where OpenAI's Chat Completions API would answer 400."""
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise BadRequest("you must provide a model parameter", "model")
    messages = body.get("messages")
    if not isinstance(messages, list):
        raise BadRequest("Missing required parameter: 'messages'.", "messages")
    if not messages:
        raise BadRequest("[] is too short - 'messages'", "messages")
    pending: set[str] | None = None  # ids of the last assistant tool_calls not yet answered
    for i, m in enumerate(messages):
        where = f"messages.[{i}]"
        if not isinstance(m, dict) or m.get("role") not in ROLES:
            role = m.get("role") if isinstance(m, dict) else None
            raise BadRequest(
                f"Invalid value: {role!r}. Supported values are: {sorted(ROLES)}.", f"{where}.role"
            )
        role = m["role"]
        if role == "tool":
            call_id = m.get("tool_call_id")
            if not isinstance(call_id, str) or not call_id:
                raise BadRequest(
                    "Missing parameter 'tool_call_id': messages with role 'tool' must have a "
                    "'tool_call_id'.",
                    f"{where}.tool_call_id",
                )
            if pending is None or call_id not in pending:
                raise BadRequest(
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    f"preceeding message with 'tool_calls' (tool_call_id {call_id!r}).",
                    f"{where}.role",
                )
            pending.discard(call_id)
            continue
        if strict and pending:
            raise BadRequest(
                "An assistant message with 'tool_calls' must be followed by tool messages "
                "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(sorted(pending))}",
                f"{where}.role",
            )
        pending = None
        if role == "assistant" and m.get("tool_calls"):
            calls = m["tool_calls"]
            if not isinstance(calls, list):
                raise BadRequest("'tool_calls' must be an array.", f"{where}.tool_calls")
            pending = set()
            for j, c in enumerate(calls):
                fn = c.get("function") if isinstance(c, dict) else None
                if (
                    not isinstance(c, dict)
                    or not isinstance(c.get("id"), str)
                    or c.get("type") != "function"
                    or not isinstance(fn, dict)
                    or not isinstance(fn.get("name"), str)
                    or not isinstance(fn.get("arguments"), str)
                ):
                    raise BadRequest("Invalid tool call.", f"{where}.tool_calls.[{j}]")
                pending.add(c["id"])
        elif role in ("user", "system", "developer") and not isinstance(
            m.get("content"), str | list
        ):
            raise BadRequest(f"Invalid content of a {role} message.", f"{where}.content")
    if strict and pending:
        raise BadRequest(
            "An assistant message with 'tool_calls' must be followed by tool messages "
            "responding to each 'tool_call_id'. The following tool_call_ids did not have "
            f"response messages: {', '.join(sorted(pending))}",
            "messages",
        )
    tools = body.get("tools")
    if tools is not None:
        if not isinstance(tools, list) or not tools:
            raise BadRequest("'tools' must be a non-empty array.", "tools")
        for j, t in enumerate(tools):
            fn = t.get("function") if isinstance(t, dict) else None
            if t.get("type") != "function" or not isinstance(fn, dict) or not fn.get("name"):
                raise BadRequest("Invalid tool definition.", f"tools.[{j}]")
    choice = body.get("tool_choice")
    if choice is not None:
        if not tools:
            raise BadRequest(
                "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' "
                "are specified.",
                "tool_choice",
            )
        names = {t["function"]["name"] for t in tools}
        if isinstance(choice, dict):
            name = (choice.get("function") or {}).get("name")
            if choice.get("type") != "function" or name not in names:
                raise BadRequest(f"Invalid tool_choice: {choice!r}.", "tool_choice")
        elif choice not in ("auto", "none", "required"):
            raise BadRequest(f"Invalid value for 'tool_choice': {choice!r}.", "tool_choice")
    if body.get("stream_options") is not None and not body.get("stream"):
        raise BadRequest(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            "stream_options",
        )


class StubServer:
    """The scripted OpenAI-compatible server; a context manager (see the module docstring)."""

    def __init__(
        self,
        script: Iterable[Item] = (),
        *,
        default: Item | None = None,
        model: str = "stub-model",
        usage: bool = True,
        strict: bool = True,
        api_key: str | None = None,
        chunk_chars: int = 8,
    ) -> None:
        self.model = model
        self.default = default
        self.usage = usage
        self.strict = strict
        self.api_key = api_key
        self.chunk_chars = max(1, chunk_chars)
        self.requests: list[dict[str, Any]] = []
        self.rejections: list[tuple[int, str]] = []
        self.gate_timeouts = 0
        self._script: deque[Item] = deque(script)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- the script ----------------------------------------------------------------------

    def push(self, *items: Item) -> StubServer:
        """Append replies to the script."""
        with self._lock:
            self._script.extend(items)
        return self

    @property
    def remaining(self) -> int:
        """Scripted replies not yet consumed."""
        with self._lock:
            return len(self._script)

    def clear(self) -> None:
        """Forget the script, the recorded requests and rejections."""
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.rejections.clear()

    def _next(self) -> Item | None:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    # -- life cycle ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1`` (the server starts on first use)."""
        self.start()
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> StubServer:
        if self._server is None:
            self._closing.clear()
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
            self._server.daemon_threads = True
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="openai-stub", daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._closing.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- answering -----------------------------------------------------------------------

    def _usage(self, reply: Reply, body: dict[str, Any]) -> dict[str, int]:
        if reply.usage is not None:
            prompt, completion = reply.usage
        else:
            prompt = _tokens(body.get("messages")) + (
                _tokens(body["tools"]) if body.get("tools") else 0
            )
            out = (reply.content or "") + "".join(
                c.name + c.raw_arguments() for c in reply.tool_calls
            )
            completion = _tokens(out)
        out: dict[str, Any] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        if reply.cached_tokens is not None:
            out["prompt_tokens_details"] = {"cached_tokens": reply.cached_tokens}
        return out

    def _message(self, reply: Reply, n: int) -> tuple[dict[str, Any], str]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": f"call_{n}_{i}",
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.raw_arguments()},
                }
                for i, c in enumerate(reply.tool_calls)
            ]
        elif reply.content is None:
            message["content"] = ""
        finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        return message, finish

    def completion(self, reply: Reply, body: dict[str, Any], n: int) -> dict[str, Any]:
        """The non-streaming response body."""
        message, finish = self._message(reply, n)
        out: dict[str, Any] = {
            "id": f"chatcmpl-stub-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            ],
        }
        if self.usage:
            out["usage"] = self._usage(reply, body)
        return out

    def chunks(self, reply: Reply, body: dict[str, Any], n: int) -> list[dict[str, Any]]:
        """The streaming response as chat.completion.chunk objects (without [DONE])."""
        message, finish = self._message(reply, n)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        base = {
            "id": f"chatcmpl-stub-{n}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", self.model),
        }
        if include_usage:
            base["usage"] = None
        deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
        size = self.chunk_chars
        content = reply.content or ""
        deltas += [{"content": content[i : i + size]} for i in range(0, len(content), size)]
        for i, call in enumerate(message.get("tool_calls") or []):
            fn = call["function"]
            deltas.append(
                {
                    "tool_calls": [
                        {
                            "index": i,
                            "id": call["id"],
                            "type": "function",
                            "function": {"name": fn["name"], "arguments": ""},
                        }
                    ]
                }
            )
            args = fn["arguments"]
            deltas += [
                {"tool_calls": [{"index": i, "function": {"arguments": args[k : k + size]}}]}
                for k in range(0, len(args), size)
            ]
        out = [
            {**base, "choices": [{"index": 0, "delta": d, "logprobs": None, "finish_reason": None}]}
            for d in deltas
        ]
        out.append(
            {
                **base,
                "choices": [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": finish}],
            }
        )
        if include_usage and self.usage:
            out.append({**base, "choices": [], "usage": self._usage(reply, body)})
        return out


def _error_body(message: str, kind: str, param: str | None = None, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _handler(stub: StubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "openai-stub/1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if stub.api_key is None:
                return True
            if self.headers.get("Authorization") == f"Bearer {stub.api_key}":
                return True
            self._json(
                401,
                _error_body(
                    "Incorrect API key provided.", "invalid_request_error", None, "invalid_api_key"
                ),
            )
            return False

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if not self._authorized():
                return
            if self.path.rstrip("/") == "/v1/models":
                model = {"id": stub.model, "object": "model", "created": 0, "owned_by": "stub"}
                self._json(200, {"object": "list", "data": [model]})
                return
            self._json(404, _error_body(f"Unknown path {self.path}", "invalid_request_error"))

        def do_POST(self) -> None:  # noqa: N802 - http.server API
            if not self._authorized():
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._json(404, _error_body(f"Unknown path {self.path}", "invalid_request_error"))
                return
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                body = raw.decode("utf-8", "replace")
            with stub._lock:
                stub.requests.append(body)
            try:
                validate(body, strict=stub.strict)
            except BadRequest as exc:
                with stub._lock:
                    stub.rejections.append((400, exc.message))
                self._json(400, _error_body(exc.message, "invalid_request_error", exc.param))
                return
            item = stub._next()
            if item is None:
                reply = error(500, "stub script exhausted")
            else:
                try:
                    reply = _as_reply(item, body)
                except Exception as exc:  # noqa: BLE001 - a broken script is a 500
                    reply = error(500, f"stub script failed: {exc!r}")
            if reply.delay_s and stub._closing.wait(reply.delay_s):
                return
            n = next(stub._ids)
            try:
                if reply.status != 200:
                    headers = {"x-request-id": f"req_stub_{n}"}
                    if reply.retry_after_ms is not None:
                        headers["retry-after-ms"] = str(reply.retry_after_ms)
                    self._json(
                        reply.status,
                        _error_body(reply.error_message, reply.error_type),
                        headers,
                    )
                elif body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Cache-Control", "no-cache")
                    self.end_headers()
                    for i, chunk in enumerate(stub.chunks(reply, body, n)):
                        gate = reply.gate if i == reply.gate_after else None
                        if gate is not None and not gate.wait(10):
                            with stub._lock:
                                stub.gate_timeouts += 1
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                else:
                    self._json(
                        200, stub.completion(reply, body, n), {"x-request-id": f"req_stub_{n}"}
                    )
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                pass

    return Handler
