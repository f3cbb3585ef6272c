"""The Chainlit chat app: a thin adapter over `Assistant.astream`, and a composition root.

Run it with `shop ui` (ui/server.py), which starts `chainlit run ui/app.py --headless` with
CHAINLIT_APP_ROOT=ui so the committed ui/.chainlit/config.toml, ui/public/ and ui/chainlit.md
are used. Settings come from the environment (agent/settings.py).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.config import config as cl_config
from chainlit.input_widget import Select, Switch
from chainlit.server import app as fastapi_app
from chainlit.server import login as chainlit_login
from chainlit.server import sio
from chainlit.session import ws_sessions_id
from pydantic import ValidationError
from sqlalchemy import select

from agent.settings import Settings
from agent.storage_health import StorageHealth
from catalog.models import Product
from catalog.service import Catalog
from tools.contracts import TurnResult
from tools.request import CardAction
from ui.api import ApiState, create_router, install_routes
from ui.auth import check_password, header_identity, parse_users, throttled_login_router
from ui.brand import Brand, chainlit_ui_settings, greeting
from ui.brand import create_router as create_brand_router
from ui.cards import CURRENCY_STYLES, card_props, comparison_props, on_screen
from ui.fallback import REDUCED_NOTE, SearchOnlyAssistant
from ui.login_throttle import LoginThrottle
from ui.origins import guard_socket, widget_origins
from ui.reply_stream import ReplyStream
from ui.session_memory import forget_messages
from ui.threads import agent_thread_id

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
_origins = widget_origins(settings.widget_origins)
# CORSMiddleware keeps a reference to this list and builds itself on the first request,
# so replacing the contents in place (before serving) takes effect.
cl_config.project.allow_origins[:] = _origins
guard_socket(sio, _origins)  # [issue-12] the socket checks Origin like HTTP does
cl_config.project.session_timeout = settings.session_timeout_s  # [issue-12] bounded memory
if settings.workers > 1:  # [issue-12] a session must stay on one connection (ui/worker.py)
    cl_config.project.transports = ["websocket"]


def _model_mode() -> str:
    return "remote" if settings.remote_model else "offline"


_state = ApiState(
    catalog,
    model_name=getattr(assistant, "model_name", settings.model),
    model_mode=_model_mode(),  # type: ignore[arg-type]
    # [issue-12] /healthz reports whether conversations can be written
    storage=(getattr(assistant, "storage", None) or StorageHealth(Path(settings.data_dir))).status,
    sessions=lambda: len(ws_sessions_id),  # [issue-12] bounded by SHOP_SESSION_TIMEOUT_S
)
_router = create_router(lambda: _state)


install_routes(fastapi_app, _router)
install_routes(fastapi_app, create_brand_router(brand))

# --- authentication and history (off by default) -----------------------------------------


if settings.auth != "none":
    from ui.history import chat_database_url, make_data_layer

    _chat_url = chat_database_url(settings.chat_database_url, settings.data_dir)

    @cl.data_layer
    def _data_layer() -> Any:
        return make_data_layer(_chat_url, Path(settings.data_dir) / "chat_files")


if settings.auth == "password":
    _USERS = parse_users(settings.auth_users)

    @cl.password_auth_callback
    def _password_auth(username: str, password: str) -> cl.User | None:
        if check_password(_USERS, username, password):
            return cl.User(identifier=username, metadata={"provider": "password"})
        return None

    # [issue-12] failed sign-ins are throttled per user and per client address
    install_routes(
        fastapi_app,
        throttled_login_router(chainlit_login, LoginThrottle(), cl_config.run.root_path + "/login"),
    )

elif settings.auth == "header":
    if not settings.auth_header_secret:
        log.warning(
            "SHOP_AUTH=header trusts %s from any client: run behind a proxy that strips it, "
            "and set SHOP_AUTH_HEADER_SECRET",
            settings.auth_header,
        )

    @cl.header_auth_callback
    def _header_auth(headers: Any) -> cl.User | None:
        user = header_identity(
            headers, header=settings.auth_header, secret=settings.auth_header_secret
        )
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


def _agent_thread() -> str:
    """[issue-12] the agent's thread: minted by the server, bound to the user or session."""
    session = cl.context.session
    user = getattr(session, "user", None)
    return agent_thread_id(
        session.thread_id,
        user_identifier=getattr(user, "identifier", None),
        session_id=session.id,
    )


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


@cl.on_chat_end
async def on_chat_end() -> None:
    forget_messages(cl.context.session.id)  # [issue-12] see ui/session_memory.py


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
    # Exactly the turn's cards in the conversation's order (the agent already applied the
    # settings): dropping or reordering one here would make "the second one" another card.
    shown = on_screen(result.recommendations, result.alternatives)
    cards = [
        card_props(
            rec,
            result.recommendations,
            currency_style=prefs["currency_format"],
            compact=widget,
            position=i,
        )
        for i, rec in enumerate(shown, start=1)
    ]
    elements: list[Any] = []
    if cards:  # one element: the cards keep their order (ui/public/elements/ProductCards.jsx)
        elements.append(
            cl.CustomElement(name="ProductCards", props={"cards": cards}, display="inline")
        )
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
    await _answer(message)


@cl.action_callback("card_action")
async def on_card_action(action: cl.Action) -> None:
    """A card's button (ProductCards.jsx `callAction`): the request as data, its words shown
    as the shopper's message. A payload naming no known product is ignored."""
    try:
        card = CardAction.model_validate(
            {k: v for k, v in (action.payload or {}).items() if k in CardAction.model_fields}
        )
    except ValidationError:
        return
    if _existing_product(card.product_id) is None:
        return
    card.others = [o for o in card.others[:3] if _existing_product(o) is not None]
    text = str((action.payload or {}).get("text") or "")[:300] or f"{card.kind} {card.product_id}"
    message = cl.Message(content=text, type="user_message", author=_shopper_name())
    await message.send()
    await _answer(message, card)


def _shopper_name() -> str:
    user = getattr(cl.context.session, "user", None)
    return getattr(user, "identifier", None) or "User"


async def _answer(message: cl.Message, card: CardAction | None = None) -> None:
    """Run one turn for the shopper's message (or card button) and send the reply."""
    forget_messages(cl.context.session.id)  # [issue-12] Chainlit's copy, unbounded otherwise
    widget = _is_widget()
    prefs = _prefs()
    kwargs: dict[str, Any] = {
        "thread_id": _agent_thread(),
        "message_id": message.id,
        "context": await _page_context(),
        "preferences": _preferences(prefs, widget),
    }
    if card is not None:
        kwargs["action"] = card
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
