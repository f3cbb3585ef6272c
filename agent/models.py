"""The chat-model factory: remote ChatOpenAI when an endpoint is configured, else offline."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.settings import Settings


def make_remote_model(settings: Settings, **kwargs: Any) -> BaseChatModel:
    """ChatOpenAI against OPENAI_BASE_URL (any OpenAI-compatible server).

    Every call carries a completion budget (`SHOP_MODEL_MAX_TOKENS`, sent as
    ``max_completion_tokens``; 0 sends none) and a low temperature (`SHOP_MODEL_TEMPERATURE`):
    a small model left to its defaults rambles for minutes and answers differently each run.
    The model itself does not stream; the graph streams a call when `SHOP_MODEL_STREAM` is on
    (agent/streaming.py), and checks streamed tool-call arguments as strictly as whole ones.
    ``stream_usage`` asks a streaming server for its usage (``stream_options.include_usage``).

    Its async HTTP client holds every request to the current turn's deadline
    (`agent.deadline.DeadlineTransport`); pass ``http_async_client`` to replace it.
    """
    from langchain_openai import ChatOpenAI

    if "http_async_client" not in kwargs:
        kwargs["http_async_client"] = deadline_http_client()

    options: dict[str, Any] = {
        "temperature": settings.model_temperature,
        "stream_usage": True,
        # a streamed call waits for its first chunk as long as a whole call may take (the
        # client's own 120 s default cut off a CPU server still reading a cold prompt)
        "stream_chunk_timeout": settings.model_timeout_s,
    }
    if settings.model_max_tokens:
        options["max_tokens"] = settings.model_max_tokens
    return ChatOpenAI(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key or "not-needed",
        model=settings.model,
        timeout=settings.model_timeout_s,
        max_retries=settings.model_max_retries,
        **{**options, **kwargs},
    )


def deadline_http_client(inner: Any = None) -> Any:
    """The OpenAI SDK's default async HTTP client, its requests bounded by the turn deadline."""
    import httpx2
    from openai import DefaultAsyncHttpxClient
    from openai._constants import DEFAULT_CONNECTION_LIMITS

    from agent.deadline import DeadlineTransport

    transport = inner or httpx2.AsyncHTTPTransport(limits=DEFAULT_CONNECTION_LIMITS)
    return DefaultAsyncHttpxClient(transport=DeadlineTransport(transport))
