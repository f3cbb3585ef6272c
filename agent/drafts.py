"""Drafts: what a streaming model writes, shown sentence by sentence, never unsanitized.

The model's prose reaches the shopper while it is written only through the same fact
allow-list as the final answer (`agent.facts.clean_prose`, with the turn's evidence): a
sentence is held until it is complete (the next one has begun, or its text closed), then it is
cleaned and emitted, or dropped. Prose comes from plain content, or from the terminal tool's
text argument (`recommend`/`reply` message, `ask_clarifying_question` question), read from the
partial JSON of the streamed arguments. Anything that looks like a tool call written as text
(JSON, a code fence) is never shown. Prices and stock placeholders (`{price:ID}`) are filled
only in the final answer, so a sentence carrying one waits for it.

A draft is provisional: the final reply (heading, cards, policy quotes, rendered by the
server) replaces it when the turn ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.utils.json import parse_partial_json

from agent.facts import Evidence, clean_prose
from agent.guards import split_sentences

# the terminal tools' text argument, streamed as prose
TEXT_ARGUMENT = {"recommend": "message", "reply": "message", "ask_clarifying_question": "question"}
_CALL_LIKE_RE = re.compile(r"^\s*(?:[{\[]|```)|```|\{\s*\"(?:name|function|tool)\"")
_PLACEHOLDER_RE = re.compile(r"\{\s*(?:price|stock)\s*:")


def _balanced(sentence: str) -> bool:
    """No quote left open: a quoted span is judged with the sentence that carries it."""
    return sentence.count('"') % 2 == 0 and sentence.count("“") == sentence.count("”")


@dataclass
class _Source:
    """One stream of model text: the content, or one tool call's arguments."""

    name: str | None = None
    raw: str = ""
    handled: int = 0  # sentences already emitted or dropped
    blocked: bool = False  # looked like a tool call written as text: never shown


class DraftWriter:
    """Feeds streamed model output in; emits cleaned complete sentences through `emit`."""

    def __init__(self, evidence: Evidence, emit: Callable[[str], None]) -> None:
        self.evidence = evidence
        self.emit = emit
        self.removed: list[str] = []  # notes for sentences the allow-list dropped
        self.shown: list[str] = []
        self._content = _Source()
        self._calls: dict[int, _Source] = {}

    def content(self, delta: str) -> None:
        """A piece of plain message content."""
        source = self._content
        source.raw += delta
        if not source.blocked and _CALL_LIKE_RE.search(source.raw):
            source.blocked = True
        if not source.blocked:
            self._advance(source, source.raw, final=False)

    def tool_args(self, index: int, name: str | None, delta: str) -> None:
        """A piece of the arguments of tool call `index` (its name comes with the first piece)."""
        source = self._calls.setdefault(index, _Source())
        source.name = source.name or name
        source.raw += delta or ""
        text = self._text_argument(source)
        if text is not None:
            self._advance(source, text, final=False)

    def close(self) -> None:
        """The stream ended: the last sentence of each text is complete now."""
        if not self._content.blocked:
            self._advance(self._content, self._content.raw, final=True)
        for source in self._calls.values():
            text = self._text_argument(source)
            if text is not None:
                self._advance(source, text, final=True)

    @staticmethod
    def _text_argument(source: _Source) -> str | None:
        key = TEXT_ARGUMENT.get(source.name or "")
        if key is None or not source.raw:
            return None
        try:
            value = parse_partial_json(source.raw)
        except ValueError:  # cut inside an escape: wait for the next piece
            return None
        text = value.get(key) if isinstance(value, dict) else None
        return text if isinstance(text, str) else None

    def _advance(self, source: _Source, text: str, *, final: bool) -> None:
        sentences = split_sentences(text)
        complete = sentences if final else sentences[:-1]
        for sentence in complete[source.handled :]:
            if not final and not _balanced(sentence):
                break  # an open quote may still swallow the next sentences
            source.handled += 1
            if _PLACEHOLDER_RE.search(sentence):
                continue  # filled from SQL in the final answer only
            kept, notes = clean_prose(sentence, self.evidence)
            self.removed += notes
            if kept:
                self.shown.append(kept)
                self.emit(kept + " ")
