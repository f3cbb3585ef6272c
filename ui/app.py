"""The Chainlit chat app: a thin adapter over `Assistant.astream`, and a composition root.

Run it with `shop ui` (ui/server.py), which starts `chainlit run ui/app.py --headless` with
CHAINLIT_APP_ROOT=ui so the committed ui/.chainlit/config.toml, ui/public/ and ui/chainlit.md
are used. Settings come from the environment (agent/settings.py).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.config import config as cl_config
from chainlit.input_widget import Select, Switch
from chainlit.server import app as fastapi_app
from sqlalchemy import select

from agent.settings import Settings
from catalog.models import Product
from catalog.service import Catalog
from tools.contracts import TurnResult
from ui.api import ApiState, create_router, install_routes
from ui.brand import Brand, chainlit_ui_settings, greeting
from ui.brand import create_router as create_brand_router
from ui.cards import CURRENCY_STYLES, card_props, comparison_props, visible_recommendations
from ui.fallback import REDUCED_NOTE, SearchOnlyAssistant
from ui.reply_stream import ReplyStream

log = logging.getLogger("shop.ui")

FRIENDLY_ERROR = (
    "Sorry, something went wrong on our side while answering. Please try again in a moment."
)
ANSWER_LENGTHS = ["short", "normal", "detailed"]
CHAT_MAX_ITEMS = 5
WIDGET_MAX_ITEMS = 3
CONTEXT_FN = "shop_page_context"  # the copilot function the host page answers

# --- composition root ------------------------------------------------------------------

settings = Settings()


def _build_assistant(s: Settings, catalog: Catalog) -> Any:
    try:
        from agent.assistant import build_assistant
    except ImportError as exc:
        log.warning("agent.assistant unavailable (%s): search-only reduced mode", exc)
        return SearchOnlyAssistant(catalog, reason=str(exc))
    try:
        return build_assistant(s, catalog)
    except Exception as exc:  # noqa: BLE001 - the UI must still come up
        log.exception("could not build the assistant: search-only reduced mode")
        return SearchOnlyAssistant(catalog, reason=type(exc).__name__)


catalog = settings.open_catalog()
assistant = _build_assistant(settings, catalog)
fallback = SearchOnlyAssistant(catalog)


def _warm() -> None:
    try:
        catalog.searcher.warm()
    except Exception:  # noqa: BLE001 - the first search will load it (or say why it can't)
        log.warning("search warm-up failed", exc_info=True)


# The embedding model and the filter index load in the background while the page opens,
# instead of inside the first shopper's search.
threading.Thread(target=_warm, name="search-warm-up", daemon=True).start()

# --- store name, logo, theme, CORS -------------------------------------------------------

# The store's name, logo and pictures replace Chainlit's everywhere a shopper looks (ui/brand.py).
brand = Brand.load(settings.store_name, settings.theme_color, settings.store_logo)
for _key, _value in chainlit_ui_settings(brand).items():
    setattr(cl_config.ui, _key, _value)
_origins = [o.strip() for o in settings.widget_origins.split(",") if o.strip()]
# CORSMiddleware keeps a reference to this list and builds itself on the first request,
# so replacing the contents in place (before serving) takes effect.
cl_config.project.allow_origins[:] = _origins


def _model_mode() -> str:
    return "remote" if settings.remote_model else "offline"


_state = ApiState(
    catalog,
    model_name=getattr(assistant, "model_name", settings.model),
    model_mode=_model_mode(),  # type: ignore[arg-type]
)
_router = create_router(lambda: _state)


install_routes(fastapi_app, _router)
install_routes(fastapi_app, create_brand_router(brand))

# --- authentication and history (off by default) -----------------------------------------


def _users(spec: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in spec.split(",") if ":" in item)
    return {u.strip(): p for u, p in pairs if u.strip()}


if settings.auth != "none":
    from ui.history import chat_database_url, make_data_layer

    _chat_url = chat_database_url(settings.chat_database_url, settings.data_dir)

    @cl.data_layer
    def _data_layer() -> Any:
        return make_data_layer(_chat_url, Path(settings.data_dir) / "chat_files")


if settings.auth == "password":
    _USERS = _users(settings.auth_users)

    @cl.password_auth_callback
    def _password_auth(username: str, password: str) -> cl.User | None:
        expected = _USERS.get(username)
        if expected is not None and hmac.compare_digest(expected, password):
            return cl.User(identifier=username, metadata={"provider": "password"})
        return None

elif settings.auth == "header":
    HEADER = os.environ.get("SHOP_AUTH_HEADER", "X-Forwarded-User")

    @cl.header_auth_callback
    def _header_auth(headers: Any) -> cl.User | None:
        user = headers.get(HEADER)
        if user:
            return cl.User(identifier=user, metadata={"provider": "header"})
        return None


# --- chat handlers -------------------------------------------------------------------------


@cl.set_starters
async def starters(user: Any = None, language: Any = None) -> list[cl.Starter]:
    return [
        cl.Starter(label="Hiking boots under $100", message="Hiking boots under $100"),
        cl.Starter(
            label="A gift idea",
            message="I need a gift for a friend who likes the outdoors, any ideas?",
        ),
        cl.Starter(
            label="Compare two options",
            message="Compare the two best-rated hiking boots",
        ),
        cl.Starter(
            label="Size question", message="Do you have waterproof hiking boots in size 10?"
        ),
    ]


def _is_widget() -> bool:
    return cl.context.session.client_type == "copilot"


def _default_prefs() -> dict[str, Any]:
    return {"answer_length": "normal", "include_out_of_stock": False, "currency_format": "symbol"}


def _prefs() -> dict[str, Any]:
    return cl.user_session.get("prefs") or _default_prefs()


async def _send_settings(prefs: dict[str, Any]) -> None:
    await cl.ChatSettings(
        [
            Select(
                id="answer_length",
                label="Answer length",
                values=ANSWER_LENGTHS,
                initial_value=prefs["answer_length"],
            ),
            Switch(
                id="include_out_of_stock",
                label="Include out-of-stock items",
                initial=bool(prefs["include_out_of_stock"]),
            ),
            Select(
                id="currency_format",
                label="Price format ($1.00 / 1.00 USD / 1.00)",
                values=list(CURRENCY_STYLES),
                initial_value=prefs["currency_format"],
            ),
        ]
    ).send()


@cl.on_chat_start
async def on_chat_start() -> None:
    prefs = _default_prefs()
    cl.user_session.set("prefs", prefs)
    await _send_settings(prefs)
    if _is_widget():
        await cl.Message(content=greeting(settings.store_name)).send()


@cl.on_chat_resume
async def on_chat_resume(thread: dict) -> None:
    metadata = thread.get("metadata") or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            metadata = {}
    prefs = {**_default_prefs(), **(metadata.get("prefs") or {})}
    cl.user_session.set("prefs", prefs)
    await _send_settings(prefs)


@cl.on_settings_update
async def on_settings_update(values: dict[str, Any]) -> None:
    prefs = {**_prefs()}
    if values.get("answer_length") in ANSWER_LENGTHS:
        prefs["answer_length"] = values["answer_length"]
    if "include_out_of_stock" in values:
        prefs["include_out_of_stock"] = bool(values["include_out_of_stock"])
    if values.get("currency_format") in CURRENCY_STYLES:
        prefs["currency_format"] = values["currency_format"]
    cl.user_session.set("prefs", prefs)


def _existing_product(product_id: Any) -> str | None:
    if not isinstance(product_id, str) or not product_id or len(product_id) > 128:
        return None
    with catalog.store.session() as session:
        found = session.scalar(select(Product.id).where(Product.id == product_id))
    return found


async def _page_context() -> dict[str, str] | None:
    """Ask the widget's host page what product is on screen (validated against SQL)."""
    if not _is_widget() or cl.user_session.get("no_page_context"):
        return None
    try:
        answer = await cl.context.emitter.send_call_fn(CONTEXT_FN, {}, timeout=3)
    except Exception:  # noqa: BLE001 - a host page without the handler is fine
        answer = None
    if not isinstance(answer, dict):
        cl.user_session.set("no_page_context", True)  # don't wait on every message
        return None
    product_id = _existing_product(answer.get("product_id"))
    return {"product_id": product_id} if product_id else None


def _preferences(prefs: dict[str, Any], widget: bool) -> dict[str, Any]:
    return {
        "answer_length": "short" if widget else prefs["answer_length"],
        "include_out_of_stock": bool(prefs["include_out_of_stock"]),
        "compact": widget,
        "max_items": WIDGET_MAX_ITEMS if widget else CHAT_MAX_ITEMS,
    }


def _elements(result: TurnResult, prefs: dict[str, Any], widget: bool) -> list[Any]:
    shown = visible_recommendations(
        result.recommendations,
        include_out_of_stock=bool(prefs["include_out_of_stock"]),
        max_items=WIDGET_MAX_ITEMS if widget else CHAT_MAX_ITEMS,
    )
    elements: list[Any] = [
        cl.CustomElement(
            name="ProductCard",
            props=card_props(rec, shown, currency_style=prefs["currency_format"], compact=widget),
            display="inline",
        )
        for rec in shown
    ]
    if result.comparison is not None and result.comparison.columns:
        elements.append(
            cl.CustomElement(
                name="ComparisonTable", props=comparison_props(result.comparison), display="inline"
            )
        )
    return elements


async def _run_turn(agent: Any, message: cl.Message, msg: cl.Message, **kwargs: Any) -> TurnResult:
    steps: dict[str, cl.Step] = {}
    result: TurnResult | None = None
    stream = ReplyStream(msg)  # drafts while the model writes, the reply in their place
    try:
        async for event in agent.astream(message.content, **kwargs):
            if await stream.feed(event):
                continue
            if event.type == "tool_start":
                step = cl.Step(name=event.name or "tool", type="tool", default_open=False)
                step.input = event.args
                await step.send()
                steps[event.call_id or event.name] = step
            elif event.type == "tool_end":
                step = steps.pop(event.call_id or event.name, None)
                if step is not None:
                    step.output = event.summary or "done"
                    await step.update()
            elif event.type == "final":
                result = event.result
        if result is None:
            raise RuntimeError("the assistant ended without a result")
    except Exception:
        await stream.discard()  # the reduced-mode answer comes in a message of its own
        raise
    finally:
        for step in steps.values():  # a tool that never reported back
            step.output = "no result"
            await step.update()
    stream.finish(result.reply)
    return result


@cl.on_message
async def on_message(message: cl.Message) -> None:
    widget = _is_widget()
    prefs = _prefs()
    kwargs: dict[str, Any] = {
        "thread_id": cl.context.session.thread_id,
        "message_id": message.id,
        "context": await _page_context(),
        "preferences": _preferences(prefs, widget),
    }
    msg = cl.Message(content="")
    try:
        result = await _run_turn(assistant, message, msg, **kwargs)
    except Exception:  # noqa: BLE001 - never show a traceback; fall back to search
        log.exception("assistant turn failed; answering in reduced mode")
        msg = cl.Message(content="")
        try:
            result = await _run_turn(fallback, message, msg, **kwargs)
            result.reply = f"{FRIENDLY_ERROR}\n\nMeanwhile, here's what catalog search found."
            msg.content = result.reply
        except Exception:  # noqa: BLE001
            log.exception("reduced mode failed too")
            await cl.Message(content=f"{FRIENDLY_ERROR}\n\n_{REDUCED_NOTE}_").send()
            return
    # TurnResult.notes are diagnostics (guard actions, error names) for logs and evals, not
    # for the shopper; the agent already says "reduced mode" or "degraded" in the reply.
    if result.notes:
        log.info("turn notes: %s", "; ".join(result.notes))
    if result.reduced_mode and "reduced mode" not in msg.content.lower():
        msg.content += f"\n\n_{REDUCED_NOTE}_"
    msg.elements = _elements(result, prefs, widget)
    await msg.send()
