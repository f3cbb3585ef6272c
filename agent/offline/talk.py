"""Talk that needs no product search: greetings, thanks, store policy, out of scope, another
language. Each answer says what the assistant can do with a concrete example from the catalog.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from langchain_core.messages import AIMessage

from agent.offline.context import Ctx, call
from agent.offline.understanding import languages

_DIR = Path(__file__).resolve().parent
_YES_NO_RE = re.compile(r"^\s*(?:do|does|can|could|is|are|will|would|have|has)\b", re.I)
_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|cannot|can't|don't|doesn't|won't|isn't|aren't)\b", re.I
)
_BYE_RE = re.compile(r"\b(?:bye|goodbye|see you|later|that's all|thats all|that is all)\b", re.I)


@cache
def replies() -> dict[str, str]:
    """The engine's reply lines (replies.yaml)."""
    raw = yaml.safe_load((_DIR / "replies.yaml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in raw.items()}


def say(key: str, **values: Any) -> str:
    """A reply line with its placeholders filled."""
    return replies()[key].format(**values)


def reply(text: str) -> AIMessage:
    return call("reply", {"message": text})


def example(ctx: Ctx) -> str:
    """Two example requests in the catalog's own words ("waterproof hiking boots")."""
    out: list[str] = []
    for key in sorted(ctx.lex.flag_attrs, key=lambda k: -len(ctx.lex.flag_attrs[k])):
        flags = sorted(ctx.lex.flag_attrs[key])
        display = ctx.lex.vocab.categories.get(key)
        if display and flags:
            out.append(f'"{flags[0].replace("_", " ")} {display.lower()}"')
        if len(out) == 2:
            break
    if not out:
        out = [f'"{c.lower()}"' for c in sorted(ctx.lex.vocab.categories.values())[:2]]
    return " or ".join(out) or '"a gift idea"'


def greet(ctx: Ctx) -> AIMessage:
    return reply(say("greet", store=ctx.store, example=example(ctx)))


def thanks(ctx: Ctx) -> AIMessage:
    if _BYE_RE.search(ctx.text) and ctx.shown:
        category = (ctx.shown[0].category or "new things").lower()
        return reply(say("thanks") if "?" in ctx.text else say("bye", thing=category))
    return reply(say("thanks"))


def out_of_scope(ctx: Ctx) -> AIMessage:
    return reply(say("out_of_scope", example=example(ctx)))


def other_language(ctx: Ctx) -> AIMessage:
    lang = languages().get(ctx.understood.language, {})
    return reply(say("other_language", native=lang.get("reply", ""), example=example(ctx)).strip())


def unknown(ctx: Ctx) -> AIMessage:
    return reply(say("unknown", example=example(ctx)))


def policy(ctx: Ctx) -> AIMessage:
    """Look the question up in the store's policy; the store quotes the clauses found."""
    looked = ctx.last("store_policy")
    if looked is None:
        return call("store_policy", {"question": ctx.text})
    clauses = [str(c.get("text") or "") for c in looked.artifact.get("clauses") or []]
    if not clauses:
        return reply(say("no_policy"))
    if _YES_NO_RE.search(ctx.text):
        return reply(
            "No." if _NEGATION_RE.search(clauses[0]) and not _asked_negation(ctx) else "Yes."
        )
    return reply(say("policy_intro"))


def _asked_negation(ctx: Ctx) -> bool:
    """ "Do you ship to Canada?" answered by "we do not ship to other countries": the first
    clause's "not" may be about something else; the answer is yes when it names what was asked."""
    asked = {w for w in re.findall(r"[a-z]{4,}", ctx.text.lower())}
    first = ctx.last("store_policy")
    text = (
        str(((first.artifact.get("clauses") or [{}])[0]).get("text") or "").lower() if first else ""
    )
    before_not = re.split(_NEGATION_RE, text, maxsplit=1)[0]
    return any(w in before_not for w in asked if w not in ("ship", "shipping", "return", "returns"))
