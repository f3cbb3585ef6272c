"""One server worker: Chainlit's app on a listening socket shared with sibling workers.

`python -m ui.worker` does what `chainlit run ui/app.py --headless` does (load the app
module, check the auth secret, render chainlit.md), then serves on a socket bound with
SO_REUSEPORT, so several workers share one host:port and the kernel spreads connections
across them. Each socket.io session lives on the worker its connection reached: clients must
use the WebSocket transport only (app.py tells the chat page so when SHOP_WORKERS > 1), which
keeps a session on one connection and so on one worker. Conversation state lives in the
shared checkpoint database, and agent thread ids do not depend on the worker
(ui/threads.py), so a reconnect that lands elsewhere continues the same conversation.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys

BACKLOG = 2048


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket that other processes may bind too (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def main() -> None:
    import uvicorn
    from chainlit.auth import ensure_jwt_secret
    from chainlit.cache import init_lc_cache
    from chainlit.config import DEFAULT_ROOT_PATH, config, load_module
    from chainlit.markdown import init_markdown
    from chainlit.utils import check_file

    target = sys.argv[1]
    host = os.environ.get("CHAINLIT_HOST", "127.0.0.1")
    port = int(os.environ["CHAINLIT_PORT"])
    config.run.host, config.run.port = host, port
    config.run.root_path = os.environ.get("CHAINLIT_ROOT_PATH", DEFAULT_ROOT_PATH)
    config.run.headless = True
    from chainlit.server import app

    check_file(target)
    config.run.module_name = target
    load_module(target)
    ensure_jwt_secret()
    if not (config.code.on_chat_start or config.code.on_message):
        raise SystemExit(f"{target} registers no chat handlers")
    init_markdown(config.root)
    init_lc_cache()
    sock = reuse_port_socket(host, port)
    deflate = os.environ.get("UVICORN_WS_PER_MESSAGE_DEFLATE", "true").lower() in ("true", "1")
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="error", ws_per_message_deflate=deflate, ws="auto")
    )
    # uvloop where installed: the event loop is a large share of a turn's CPU. (`chainlit
    # run` applies nest_asyncio to the stock loop for re-entrant user code; this app never
    # re-enters the loop.)
    loop = os.environ.get("SHOP_EVENT_LOOP", "uvloop")
    if loop == "uvloop":
        try:
            import uvloop

            uvloop.run(server.serve(sockets=[sock]))
            return
        except ImportError:
            pass
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
