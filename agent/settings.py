"""All configuration in one pydantic-settings object.

Only the composition roots (`shop` CLI in ui/cli.py and ui/app.py) construct `Settings()`;
everything else receives values as arguments. Every field is listed in `.env.example`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from catalog.service import Catalog


class Settings(BaseSettings):
    """Read from the environment and `.env` (SHOP_* plus OPENAI_* for the model endpoint)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # --- where data lives ---------------------------------------------------------------
    data_dir: Path = Field(Path("data"), alias="SHOP_DATA_DIR")
    database_url: str | None = Field(None, alias="SHOP_DATABASE_URL")
    chroma_url: str | None = Field(None, alias="SHOP_CHROMA_URL")
    embedding_model: str = Field("all-MiniLM-L6-v2", alias="SHOP_EMBEDDING_MODEL")
    search_timeout_s: float = Field(5.0, alias="SHOP_SEARCH_TIMEOUT_S")

    # --- the chat model -----------------------------------------------------------------
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_api_key: str | None = Field(None, alias="OPENAI_API_KEY")
    model: str = Field("offline", alias="SHOP_MODEL")
    model_timeout_s: float = Field(30.0, alias="SHOP_MODEL_TIMEOUT_S")
    model_max_retries: int = Field(2, alias="SHOP_MODEL_MAX_RETRIES")
    # One deadline per turn: model calls stop in time for the offline planner to answer.
    turn_deadline_s: float = Field(25.0, gt=0, alias="SHOP_TURN_DEADLINE_S")
    tool_choice: Literal["auto", "required"] = Field("auto", alias="SHOP_TOOL_CHOICE")
    # sent with every remote call: a completion budget (0: not sent) and a low temperature
    model_max_tokens: int = Field(512, alias="SHOP_MODEL_MAX_TOKENS", ge=0)
    model_temperature: float = Field(0.0, alias="SHOP_MODEL_TEMPERATURE", ge=0.0, le=2.0)
    # stream remote calls: sanitized sentences reach the UI while the model writes
    model_stream: bool = Field(True, alias="SHOP_MODEL_STREAM")
    # retrieve from the shopper's request first, so one model call can rank and explain
    two_stage: bool = Field(True, alias="SHOP_TWO_STAGE")
    # who writes a card's reason with a remote model: the model (recommend asks for one per
    # pick), the store (from the row and the request), or auto: the model until the store has
    # had to replace most of its recent reasons (agent/reason_policy.py)
    card_reasons: Literal["auto", "model", "store"] = Field("auto", alias="SHOP_CARD_REASONS")
    rerank: bool = Field(False, alias="SHOP_RERANK")
    breaker_failures: int = Field(3, alias="SHOP_BREAKER_FAILURES")
    breaker_cooldown_s: float = Field(60.0, alias="SHOP_BREAKER_COOLDOWN_S")
    cost_per_1k_prompt: float = Field(0.0, alias="SHOP_COST_PER_1K_PROMPT")
    cost_per_1k_completion: float = Field(0.0, alias="SHOP_COST_PER_1K_COMPLETION")

    # --- the agent ----------------------------------------------------------------------
    tool_budget: int = Field(8, alias="SHOP_TOOL_BUDGET")
    prompt_token_budget: int = Field(1000, alias="SHOP_PROMPT_TOKEN_BUDGET")
    max_message_chars: int = Field(2000, alias="SHOP_MAX_MESSAGE_CHARS")
    max_model_calls_per_conversation: int = Field(200, alias="SHOP_MAX_MODEL_CALLS")
    turns_per_minute: int = Field(20, alias="SHOP_TURNS_PER_MINUTE")
    log_level: str = Field("INFO", alias="SHOP_LOG_LEVEL")

    # --- the chat UI and widget ---------------------------------------------------------
    store_name: str = Field("Trailhead & Home", alias="SHOP_STORE_NAME")
    theme_color: str = Field("#2f6f4f", alias="SHOP_THEME_COLOR")
    store_logo: str | None = Field(None, alias="SHOP_STORE_LOGO")  # empty: the demo's logo
    host: str = Field("127.0.0.1", alias="SHOP_HOST")
    port: int = Field(8000, alias="SHOP_PORT")
    workers: int = Field(1, ge=1, le=64, alias="SHOP_WORKERS")
    # A closed chat socket's session stays in memory this long for the browser to reconnect
    # (a network blip, a laptop lid); the conversation itself is in the SQL checkpoints.
    # Chainlit's own 1 h kept every session a busy store opened in the past hour.
    session_timeout_s: int = Field(300, ge=1, le=86_400, alias="SHOP_SESSION_TIMEOUT_S")
    widget_origins: str = Field("http://127.0.0.1:8001", alias="SHOP_WIDGET_ORIGINS")
    widget_demo: bool = Field(False, alias="SHOP_WIDGET_DEMO")
    widget_demo_port: int = Field(8001, alias="SHOP_WIDGET_DEMO_PORT")
    widget_demo_guest_tokens: bool = Field(False, alias="SHOP_WIDGET_DEMO_GUEST_TOKENS")
    auth: Literal["none", "password", "header"] = Field("none", alias="SHOP_AUTH")
    auth_users: str = Field("", alias="SHOP_AUTH_USERS")
    auth_header: str = Field("X-Forwarded-User", alias="SHOP_AUTH_HEADER")
    auth_header_secret: str | None = Field(None, alias="SHOP_AUTH_HEADER_SECRET")
    chat_database_url: str | None = Field(None, alias="SHOP_CHAT_DATABASE_URL")

    # --- evals --------------------------------------------------------------------------
    judge_base_url: str | None = Field(None, alias="SHOP_JUDGE_BASE_URL")
    judge_api_key: str | None = Field(None, alias="SHOP_JUDGE_API_KEY")
    judge_model: str | None = Field(None, alias="SHOP_JUDGE_MODEL")

    @property
    def sqlite_path(self) -> Path:
        """The default catalog database file."""
        return self.data_dir / "catalog.db"

    @property
    def catalog_url(self) -> str:
        """SQLAlchemy URL of the catalog (SQLite in the data dir unless overridden)."""
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def chroma_path(self) -> Path:
        """The embedded Chroma directory (unused when `chroma_url` is set)."""
        return self.data_dir / "chroma"

    @property
    def uses_postgres(self) -> bool:
        """Whether the catalog (and so the checkpointer) lives in PostgreSQL."""
        return bool(self.database_url) and self.database_url.startswith("postgresql")

    @property
    def remote_model(self) -> bool:
        """A remote endpoint is configured; otherwise the offline planner answers."""
        return bool(self.openai_base_url) and self.model != "offline"

    def open_catalog(self) -> Catalog:
        """Open the catalog where these settings say it lives (SQL + vector index)."""
        from catalog.service import open_catalog

        return open_catalog(
            self.catalog_url,
            chroma_path=None if self.chroma_url else self.chroma_path,
            chroma_url=self.chroma_url,
            embedding_model=self.embedding_model,
            search_timeout_s=self.search_timeout_s,
        )
