"""The chat-model factory: remote ChatOpenAI when an endpoint is configured, else offline."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.settings import Settings


def make_remote_model(settings: Settings, **kwargs: Any) -> BaseChatModel:
    """ChatOpenAI against OPENAI_BASE_URL (any OpenAI-compatible server).

    It does not stream by default: the graph needs whole tool calls, and LangChain parses
    streamed tool-call arguments leniently (partial JSON), so truncated or malformed arguments
    would pass as valid calls instead of reaching the graph's corrective retry. Pass
    ``streaming=True, stream_usage=True`` to stream anyway (usage then needs an endpoint that
    supports ``stream_options.include_usage``).

    Its async HTTP client holds every request to the current turn's deadline
    (`agent.deadline.DeadlineTransport`); pass ``http_async_client`` to replace it.
    """
    from langchain_openai import ChatOpenAI

    if "http_async_client" not in kwargs:
        kwargs["http_async_client"] = deadline_http_client()
    return ChatOpenAI(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key or "not-needed",
        model=settings.model,
        timeout=settings.model_timeout_s,
        max_retries=settings.model_max_retries,
        **kwargs,
    )


def deadline_http_client(inner: Any = None) -> Any:
    """The OpenAI SDK's default async HTTP client, its requests bounded by the turn deadline."""
    import httpx2
    from openai import DefaultAsyncHttpxClient
    from openai._constants import DEFAULT_CONNECTION_LIMITS

    from agent.deadline import DeadlineTransport

    transport = inner or httpx2.AsyncHTTPTransport(limits=DEFAULT_CONNECTION_LIMITS)
    return DefaultAsyncHttpxClient(transport=DeadlineTransport(transport))
