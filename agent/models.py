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
    """
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key or "not-needed",
        model=settings.model,
        timeout=settings.model_timeout_s,
        max_retries=settings.model_max_retries,
        **kwargs,
    )
