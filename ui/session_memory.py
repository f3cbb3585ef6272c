"""Chainlit's per-session copy of the chat, which nothing else here reads, kept bounded.

Chainlit appends every message of every session (the shopper's, and each reply with its
card elements) to `chainlit.chat_context.chat_contexts`, a module-level dict keyed by
session id that it never empties: not when a turn ends, not when the session ends (it is
there for `cl.chat_context.to_openai()` in apps that keep no memory of their own). This
app's memory is the agent's checkpoint database, so the copy only grew: with every turn of a
session, and with every session the process ever served.

`forget_messages` drops a session's copy: at the start of each turn (so at most one turn's
messages are held per session) and when the session ends.
"""

from __future__ import annotations

from chainlit.chat_context import chat_contexts


def forget_messages(session_id: str) -> None:
    """Drop Chainlit's in-memory list of this session's messages."""
    chat_contexts.pop(session_id, None)
