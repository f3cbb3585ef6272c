"""Chainlit's in-memory copy of each session's messages is dropped (ui/session_memory.py).

Chainlit appends every message to a module-level dict keyed by session id and never removes
it; the app drops it each turn and at the end of a session. This pins the Chainlit behaviour
the fix relies on: if an upgrade moves that dict, the import or these assertions fail."""

from __future__ import annotations

import chainlit as cl
from chainlit.chat_context import chat_contexts
from chainlit.context import init_http_context

from ui.session_memory import forget_messages


async def test_a_sessions_messages_are_forgotten() -> None:
    session = init_http_context().session  # (in this test's own task context)
    for n in range(3):
        cl.chat_context.add(cl.Message(content=f"reply {n} with cards", elements=[]))
    assert len(cl.chat_context.get()) == 3  # what Chainlit keeps on its own
    forget_messages(session.id)
    assert session.id not in chat_contexts
    forget_messages("no-such-session")  # idempotent
