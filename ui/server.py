"""Start the chat UI (Chainlit, headless) and the widget demo store.

`serve(settings, host, port)` runs SHOP_WORKERS server workers (ui/worker.py: what `chainlit
run ui/app.py --headless` does, on one shared port) as the main job, with CHAINLIT_APP_ROOT=ui
so the committed config, public/ and chainlit.md are used. The widget
demo page (ui/widget_demo.py) is opt-in (SHOP_WIDGET_DEMO or `shop ui --widget-demo`): it
runs on `settings.widget_demo_port` in a thread beside it, and with auth on it hands out
guest tokens only when SHOP_WIDGET_DEMO_GUEST_TOKENS says this is a demo deployment.
Chainlit ends its process with os._exit on shutdown, so workers always run as their own
processes.

No Chainlit import in this module.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from agent.private_files import private_file
from agent.settings import Settings

UI_DIR = Path(__file__).resolve().parent
APP = UI_DIR / "app.py"


def auth_secret(settings: Settings) -> str:
    """CHAINLIT_AUTH_SECRET from the environment, or one kept in the data dir (mode 600)."""
    if value := os.environ.get("CHAINLIT_AUTH_SECRET"):
        return value
    path = Path(settings.data_dir) / "chainlit_auth_secret"
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(48)
    private_file(path).write_text(value)  # created 0600 first: never readable by others
    return value


def chainlit_env(settings: Settings, host: str, port: int) -> dict[str, str]:
    """The environment the Chainlit process runs with."""
    env = dict(os.environ)
    env.update(
        CHAINLIT_APP_ROOT=str(UI_DIR),
        CHAINLIT_HOST=host,
        CHAINLIT_PORT=str(port),
        CHAINLIT_AUTH_SECRET=auth_secret(settings),
        HF_HUB_OFFLINE=env.get("HF_HUB_OFFLINE", "1"),
        TRANSFORMERS_OFFLINE=env.get("TRANSFORMERS_OFFLINE", "1"),
        ANONYMIZED_TELEMETRY="False",
        # One torch thread per process: a query embedding is tiny, and under concurrent
        # turns intra-op threads only contend (measured: 127 -> 94 ms CPU per turn).
        OMP_NUM_THREADS=env.get("OMP_NUM_THREADS", "1"),
        # The data dir must not depend on the new working directory.
        SHOP_DATA_DIR=str(Path(settings.data_dir).resolve()),
    )
    env.setdefault("PYTHONPATH", "")
    root = str(UI_DIR.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env["PYTHONPATH"]) if p)
    return env


def worker_command() -> list[str]:
    """The command line of one server worker (ui/worker.py: `chainlit run`'s start-up, on a
    port that sibling workers may share, with uvloop)."""
    return [sys.executable, "-m", "ui.worker", str(APP)]


def run_workers(count: int, env: dict[str, str], max_restarts: int = 20) -> int:
    """Run `count` workers on one port (SO_REUSEPORT) until interrupted; a worker that dies
    is started again (at most `max_restarts` times in all, a worker that exits cleanly is
    not). Returns the exit code."""
    procs = [subprocess.Popen(worker_command(), env=env, cwd=str(UI_DIR)) for _ in range(count)]
    restarts = 0
    try:
        while True:
            for i, proc in enumerate(procs):
                code = proc.poll()
                if code is None:
                    continue
                if code == 0 or restarts >= max_restarts:
                    return code
                restarts += 1
                print(f"worker {proc.pid} exited with {code}; starting another", file=sys.stderr)
                procs[i] = subprocess.Popen(worker_command(), env=env, cwd=str(UI_DIR))
            time.sleep(1.0)
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def serve(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    *,
    widget_demo: bool | None = None,
) -> int:
    """Run the chat UI until interrupted (and the widget demo beside it when asked for:
    `widget_demo`, default SHOP_WIDGET_DEMO); return its exit code."""
    host = host or settings.host
    port = port or settings.port
    env = chainlit_env(settings, host, port)
    demo = None
    if widget_demo is None:
        widget_demo = settings.widget_demo
    if widget_demo and settings.widget_demo_port:
        from ui.widget_demo import start_in_thread

        demo = start_in_thread(
            settings,
            host,
            settings.widget_demo_port,
            assistant_url=f"http://{_browser_host(host)}:{port}",
            # The demo store signs guest tokens only where a demo is explicitly wanted.
            secret=env["CHAINLIT_AUTH_SECRET"] if settings.widget_demo_guest_tokens else None,
        )
        print(f"Widget demo store: http://{_browser_host(host)}:{settings.widget_demo_port}")
    print(f"Chat UI: http://{_browser_host(host)}:{port}")
    if settings.workers > 1:
        print(f"{settings.workers} workers share the port (WebSocket transport only)")
    try:
        return run_workers(settings.workers, env)
    finally:
        if demo is not None:
            demo.should_exit = True


def _browser_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host


def register(app: Any, ensure_demo: Callable[..., int]) -> None:
    """Add `shop ui` to the lead's typer app."""

    @app.command("ui")
    def ui_command(
        host: Annotated[str | None, typer.Option(help="Bind address (SHOP_HOST).")] = None,
        port: Annotated[int | None, typer.Option(help="Port (SHOP_PORT).")] = None,
        widget_demo: Annotated[
            bool | None,
            typer.Option(help="Also serve the widget demo store page (SHOP_WIDGET_DEMO)."),
        ] = None,
        demo: Annotated[bool, typer.Option(help="Load the demo catalog if empty.")] = True,
    ) -> None:
        """Start the chat UI (and, if asked, the widget demo store on SHOP_WIDGET_DEMO_PORT)."""
        settings = Settings()
        if demo:
            code = ensure_demo(settings)
            if code:
                raise typer.Exit(code)
        raise typer.Exit(serve(settings, host, port, widget_demo=widget_demo))


if __name__ == "__main__":  # python -m ui.server: the UI and widget demo from the environment
    sys.exit(serve(Settings()))
