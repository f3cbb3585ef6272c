"""One chat message per turn: the model's drafts while it writes, then the reply in their place.

A `draft` event is a sentence the model is writing, already through the fact allow-list; the
`token` events are the server-rendered reply. Chainlit's `Message.stream_token(text,
is_sequence=True)` sets the message's content (on the page too) instead of appending, so the
first reply token replaces the drafts; `finish` makes the reply the content sent with the cards.
A draft is never left beside the answer, nor on the page after a failed turn (`discard`).
"""

from __future__ import annotations

from typing import Any

from tools.contracts import TurnEvent


class ReplyStream:
    """Feeds a turn's text events into one Chainlit message (duck-typed: `stream_token`,
    `remove`, `content`), so this module never imports chainlit."""

    def __init__(self, msg: Any) -> None:
        self.msg = msg
        self._streamed = False  # anything reached the page
        self._drafted = False  # what the page shows now is drafts
        self._replying = False  # the reply started: later drafts are stale

    async def feed(self, event: TurnEvent) -> bool:
        """Show a draft or reply event; False for every other event (the caller's)."""
        if event.type == "draft":
            if event.text and not self._replying:
                await self.msg.stream_token(event.text)
                self._streamed = self._drafted = True
            return True
        if event.type == "token":
            if event.text:
                await self.msg.stream_token(event.text, is_sequence=self._drafted)
                self._streamed, self._drafted, self._replying = True, False, True
            return True
        return False

    def finish(self, reply: str) -> None:
        """The content sent when the turn ends: the reply, whatever was streamed before."""
        self.msg.content = reply

    async def discard(self) -> None:
        """Take a half-streamed message off the page (its turn failed; another answers)."""
        if self._streamed:
            await self.msg.remove()
            self._streamed = self._drafted = False
