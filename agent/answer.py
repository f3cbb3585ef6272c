"""The finalize node: every answer — a model's terminal tool, the answer from gathered results,
reduced mode — is rendered here, through the one fit check and the fact allow-list.

1. The proposed items are checked against the shopper's request (`tools.fit.check`): what fits
   is a pick, what does not is a labelled alternative; unknown ids are rejected once.
2. Model text (message, reasons, question) goes through `agent.facts.clean_prose`; a reason
   left empty is replaced by one rendered from the row and the request.
3. The heading, prices, stock and "nothing fits" are rendered by the server (tools/recommend).
4. A clarifying "question" that is no question, or "we don't carry X" right after a tool
   returned products, is sent back once, then the offline engine answers.
5. The cards shown are recorded, in order, in the request's shown list.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from sqlalchemy import select

from agent import prompts
from agent.card_reasons import write_reasons
from agent.facts import Evidence, clean_prose, evidence_for
from agent.guards import row_text
from agent.not_carried import NOT_A_MATCH, offered_only, set_apart
from agent.state import ShopState, request_of, turn_of
from agent.understand import record_shown
from catalog.models import Variant
from tools.contracts import Alternative, Comparison, Recommendation
from tools.fit import Candidate, Checked, as_recommendation, check, required_categories
from tools.recommend import (
    RecItem,
    alternatives_line,
    heading,
    no_match,
    nothing_fits,
)
from tools.rendering import best_variant, load_products, money
from tools.request import ShopperRequest
from tools.toolkit import TERMINAL_TOOLS

log = logging.getLogger("agent.answer")
_NOT_CARRIED_RE = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|does not)\s+(?:carry|sell|stock|have)\b"
    r"|\bnot (?:something )?(?:we|the store) (?:carry|sell)|\bno (?:such )?products?\b"
    r"|\bcouldn'?t find\b|\bcould not find\b",
    re.I,
)
_QUESTION_RE = re.compile(
    r"\?\s*$|^\s*(?:who|what|which|when|where|how|would|do|does|is|are|can|could|should)\b", re.I
)
SAFE_REPLY = "I can help you find products in this store. What are you looking for?"


def _turn(messages: list[BaseMessage]) -> list[BaseMessage]:
    last = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    return messages[last + 1 :]


def make_finalize(catalog: Any, *, secrets: list[str]) -> Any:
    """The finalize node over a catalog; `secrets` (system prompt, tool manuals) never leak."""

    def finalize(state: ShopState) -> dict[str, Any]:
        turn = turn_of(state)
        req = request_of(state)
        messages = list(state.get("messages") or [])
        this_turn = _turn(messages)
        last = messages[-1] if messages else None
        out: list[BaseMessage] = []
        terminal = None
        if isinstance(last, AIMessage) and last.tool_calls:
            terminal = next((c for c in last.tool_calls if c["name"] in TERMINAL_TOOLS), None)
            for c in last.tool_calls:
                if terminal is None or c["id"] != terminal["id"]:
                    out.append(
                        ToolMessage("skipped: the turn ended", tool_call_id=c["id"], name=c["name"])
                    )
        shopper = [str(m.content) for m in messages if isinstance(m, HumanMessage)][-3:]
        gathered = _gathered_ids(this_turn)
        kind, text, items = _proposal(terminal, last)
        if terminal is None:
            turn.notes.append("answered from gathered results")
            items = [Candidate(pid) for pid in gathered] or _retrieve(catalog, req, turn.max_items)
            kind = "recommend" if items else "reply"
        seen = set(state.get("seen_ids") or []) | set(gathered) | {s.product_id for s in req.shown}
        if kind == "recommend":
            items = _variants_as_products(catalog, items, seen, turn.notes)
            unknown = [c.product_id for c in items if c.product_id not in seen]
            known = [c for c in items if c.product_id in seen]
            if unknown and not known and not turn.rejected and terminal is not None:
                turn.rejected, turn.route = True, "agent"
                turn.notes.append(f"rejected unknown ids {unknown}")
                out.append(
                    ToolMessage(
                        prompts.UNKNOWN_IDS.format(ids=", ".join(unknown)),
                        tool_call_id=terminal["id"],
                        name="recommend",
                        artifact={"tool": "recommend", "rejected": unknown},
                    )
                )
                return {"messages": out, "turn": turn}
            if unknown:
                turn.notes.append(f"dropped unknown ids {unknown}")
            items = known
        evidence = _evidence(
            catalog, [*gathered, *(c.product_id for c in items)], req, shopper, secrets
        )
        if kind in ("question", "reply") and terminal is not None:
            retry = _needs_retry(kind, text, this_turn)
            if retry and not turn.fallback:
                turn.corrections += 1
                turn.notes.append(f"model answer sent back: {retry}")
                if turn.corrections <= 1:
                    turn.correction = prompts.CORRECTION_PROMPT.format(problem=retry)
                else:
                    turn.fallback = True
                turn.route = "agent"
                out.append(
                    ToolMessage(
                        f"not sent: {retry}", tool_call_id=terminal["id"], name=terminal["name"]
                    )
                )
                return {"messages": out, "turn": turn}
        text, filled = _placeholders(text)
        prose, notes = clean_prose(text, evidence)
        prose = _fill(prose, filled, catalog, req)
        turn.notes += notes
        picks: list[Recommendation] = []
        alternatives: list[Alternative] = []
        if kind == "recommend":
            checked = check(catalog, items, req, limit=turn.max_items) if catalog else Checked()
            picks, offered = set_apart(checked.fits, offered_only(this_turn))
            alternatives = [*offered, *checked.alternatives]
            if catalog is not None:
                write_reasons(catalog, picks, alternatives, req, shopper, evidence, turn.notes)
            for alt in alternatives:
                turn.notes.append(
                    f"moved {alt.product_id} to alternatives: {[v.code for v in alt.violations]}"
                )
            if picks:
                reply = " ".join(
                    x for x in (heading(req, picks), prose, alternatives_line(alternatives)) if x
                )
            elif offered and all(NOT_A_MATCH in a.violations for a in alternatives):
                reply = no_match(alternatives)
            else:
                reply = nothing_fits(req, alternatives)
        else:
            reply = prose or (SAFE_REPLY if kind == "reply" else "What are you looking for?")
            quoted = _policy_quote(this_turn)
            if quoted and kind == "reply":
                reply = f"{prose} {quoted}".strip() if prose else quoted
        dropped = [c for c in req.changes if "appl" in c or "dropped" in c or "no longer" in c]
        if dropped:
            reply += " (Note: " + "; ".join(dropped) + ".)"
        if turn.degraded and "degraded" not in reply:
            reply = f"{reply} {prompts.DEGRADED_NOTE}"
        if turn.reduced_mode:
            reply = f"{reply} {prompts.REDUCED_MODE_NOTE}"
        comparison = _comparison(this_turn)
        if terminal is not None:
            art: dict[str, Any] = {"tool": terminal["name"]}
            if picks:
                art["recommendations"] = [r.model_dump() for r in picks]
            out.append(
                ToolMessage(
                    "sent to the shopper",
                    tool_call_id=terminal["id"],
                    name=terminal["name"],
                    artifact=art,
                )
            )
        shown = [*picks, *alternatives]
        on_screen = {s.product_id for s in req.last_shown()}
        if not shown and comparison is not None and set(comparison.product_ids) - on_screen:
            # products compared by name or id are what is on screen now: "which is warmer?",
            # "the second one" are about them, in the table's order (a comparison of cards
            # already shown leaves the cards' numbering as it is)
            shown = _compared(catalog, comparison)
        if not shown:
            req = _focus_from_reply(req, reply)
        out.append(AIMessage(content=render_text(reply, picks, alternatives)))
        turn.route = "end"
        turn.reply = reply
        turn.recommendations = [r.model_dump() for r in picks]
        turn.alternatives = [a.model_dump() for a in alternatives]
        turn.clarifying_question = kind == "question"
        turn.comparison = comparison.model_dump() if comparison else None
        return {"messages": out, "turn": turn, "request": record_shown(req, shown)}

    return finalize


def _focus_from_reply(req: ShopperRequest, reply: str) -> ShopperRequest:
    """An answer that singles out one card ("the X (#3) is the warmest") puts it in focus, so
    "that one in medium?" means it, whichever model wrote the answer."""
    cards = {s.position: s.product_id for s in req.last_shown()}
    named = {cards[int(n)] for n in re.findall(r"#(\d)\b", reply) if int(n) in cards}
    if len(named) != 1:
        return req
    return req.model_copy(update={"focus": named.pop()})


def _proposal(terminal: dict[str, Any] | None, last: Any) -> tuple[str, str, list[Candidate]]:
    """(kind, model text, proposed items) of the terminal call."""
    if terminal is None:
        prose = str(last.content) if isinstance(last, AIMessage) and not last.tool_calls else ""
        return "reply", prose, []
    args = terminal.get("args") or {}
    if terminal["name"] == "ask_clarifying_question":
        return "question", str(args.get("question") or ""), []
    if terminal["name"] == "reply":
        return "reply", str(args.get("message") or ""), []
    items: list[Candidate] = []
    for raw in args.get("items") or []:
        try:
            item = RecItem.model_validate(raw)
        except Exception:  # noqa: BLE001 - a malformed item is skipped, not fatal
            continue
        items.append(Candidate(item.product_id, item.variant_id, item.reason))
    return "recommend", str(args.get("message") or ""), items


def _needs_retry(kind: str, text: str, this_turn: list[BaseMessage]) -> str | None:
    """Why a question / reply must not go out as it is, or None."""
    if kind == "question" and not _QUESTION_RE.search(text.strip()):
        return "ask_clarifying_question needs a question to the shopper"
    if kind == "reply" and _NOT_CARRIED_RE.search(text):
        found = [
            m
            for m in this_turn
            if isinstance(m, ToolMessage)
            and isinstance(m.artifact, dict)
            and m.artifact.get("ids")
            and not m.artifact.get("alternatives")
            and m.name in ("search_products", "browse_by_price")
        ]
        if found:
            return "the search just returned matching products: recommend them instead"
    return None


def _variants_as_products(
    catalog: Any, items: list[Candidate], seen: set[str], notes: list[str]
) -> list[Candidate]:
    """A pick named by a variant id of a product a tool returned ("ELE-00061-BLK", read off
    check_inventory) is that product in that variant, not an unknown id."""
    unknown = [c.product_id for c in items if c.product_id not in seen]
    if not unknown or catalog is None:
        return items
    try:
        with catalog.store.session() as session:
            rows = session.execute(
                select(Variant.id, Variant.product_id).where(Variant.id.in_(unknown))
            ).all()
    except Exception:  # noqa: BLE001 - the ids stay unknown and are rejected as such
        return items
    owner = {vid: pid for vid, pid in rows if pid in seen}
    if owner:
        notes.append(f"read variant ids as their products: {sorted(owner)}")
    return [
        Candidate(owner[c.product_id], c.product_id, c.reason) if c.product_id in owner else c
        for c in items
    ]


def _gathered_ids(this_turn: list[BaseMessage]) -> list[str]:
    ids: list[str] = []
    for m in this_turn:
        if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
            for pid in m.artifact.get("ids") or []:
                if str(pid) not in ids:
                    ids.append(str(pid))
    return ids


def _retrieve(catalog: Any, req: ShopperRequest, limit: int) -> list[Candidate]:
    """Deterministic retrieval from the request, when nothing was gathered."""
    kinds = required_categories(req)  # a kind the shopper never named does not narrow it
    if catalog is None or not (req.need or kinds):
        return []
    try:
        constraints = req.constraints()
        if len(kinds) == 1:
            constraints = constraints.model_copy(update={"category": kinds[0]})
        result = catalog.searcher.search(req.need or " ".join(kinds), constraints, k=limit)
    except Exception:  # noqa: BLE001 - the answer says nothing was found
        return []
    return [Candidate(h.product_id, h.variant_id) for h in result.hits]


def _evidence(
    catalog: Any, ids: list[str], req: ShopperRequest, shopper: list[str], secrets: list[str]
) -> Evidence:
    rows: list[str] = []
    if catalog is not None:
        wanted = list(dict.fromkeys([*ids, *(s.product_id for s in req.last_shown())]))[:40]
        with catalog.store.session() as session:
            rows = [row_text(p) for p in load_products(session, wanted).values()]
    return evidence_for(rows, shopper, secrets)


_MARK = 0xE000
_PLACEHOLDER_RE = re.compile(r"\{(price|stock):\s*([^{}\s]{1,128})\s*\}")


def _placeholders(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Model text with {price:ID} / {stock:ID} swapped for markers the allow-list ignores."""
    found: list[tuple[str, str]] = []

    def mark(m: re.Match[str]) -> str:
        found.append((m.group(1), m.group(2)))
        return chr(_MARK + len(found) - 1)  # a private-use character: no digit, no word

    return _PLACEHOLDER_RE.sub(mark, text or ""), found


def _fill(text: str, found: list[tuple[str, str]], catalog: Any, req: ShopperRequest) -> str:
    """Markers replaced by facts rendered from SQL (the variant the shopper saw, else the one
    that fits the request); a marker for an unknown product is dropped."""
    if not found:
        return text
    values: list[str] = []
    for kind, pid in found:
        value = ""
        if catalog is not None:
            checked = check(catalog, [Candidate(pid, _shown_variant(req, pid))], req, limit=1)
            rec = (checked.fits or checked.alternatives or [None])[0]
            if rec is not None:
                if kind == "price":
                    value = money(rec.price, rec.currency)
                elif not rec.in_stock:
                    value = "out of stock"
                else:
                    low = rec.stock is not None and rec.stock <= 5
                    value = f"only {rec.stock} left" if low else "in stock"
        values.append(value)
    marks = f"[{chr(_MARK)}-{chr(_MARK + 255)}]"
    return re.sub(marks, lambda m: values[ord(m.group(0)) - _MARK], text).replace("  ", " ")


def _shown_variant(req: ShopperRequest, pid: str) -> str | None:
    item = req.shown_item(pid)
    return item.variant_id if item is not None else None


def _policy_quote(this_turn: list[BaseMessage]) -> str:
    """The store-policy clauses this turn looked up, quoted as written."""
    quoted: list[str] = []
    for m in this_turn:
        if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
            for c in m.artifact.get("clauses") or []:
                text = str(c.get("text") or "")
                if text and text not in quoted:
                    quoted.append(text)
    if not quoted:
        return ""
    return "From our store policy: " + " ".join(quoted)


def _compared(catalog: Any, comparison: Comparison) -> list[Recommendation]:
    """The compared products as cards (their default variant), in the table's order."""
    if catalog is None or len(comparison.product_ids) < 2:
        return []
    with catalog.store.session() as session:
        rows = load_products(session, list(comparison.product_ids))
        return [
            as_recommendation(rows[pid], best_variant(rows[pid]))
            for pid in comparison.product_ids
            if pid in rows and rows[pid].variants
        ]


def _comparison(this_turn: list[BaseMessage]) -> Comparison | None:
    found = None
    for m in this_turn:
        if (
            isinstance(m, ToolMessage)
            and isinstance(m.artifact, dict)
            and m.artifact.get("comparison")
        ):
            found = Comparison.model_validate(m.artifact["comparison"])
    return found


def render_text(reply: str, picks: list[Recommendation], alternatives: list[Alternative]) -> str:
    """The answer as stored in history: what the shopper saw, numbered as the cards."""
    lines = [reply]
    for i, r in enumerate([*picks, *alternatives], start=1):
        lines.append(f"#{i} [{r.product_id}] {r.title}: {r.reason}")
    return "\n".join(lines)
