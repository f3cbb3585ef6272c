"""Build the list of LangChain tools bound to one Catalog."""

from __future__ import annotations

from langchain_core.tools import BaseTool

from catalog.service import Catalog
from tools.ask_clarifying_question import make_ask_clarifying_question
from tools.browse_by_price import make_browse_by_price
from tools.check_inventory import make_check_inventory
from tools.compare_products import make_compare_products
from tools.get_product import make_get_product
from tools.recommend import make_recommend
from tools.reply import make_reply
from tools.search_products import Reranker, make_search_products
from tools.store_policy import make_store_policy

TERMINAL_TOOLS = frozenset({"recommend", "ask_clarifying_question", "reply"})


def make_tools(
    catalog: Catalog, reranker: Reranker | None = None, *, model_reasons: bool = True
) -> list[BaseTool]:
    """All tools, data tools first, terminal tools last; `reranker` orders search results;
    `model_reasons=False`: recommend asks for no reasons (the store writes every card's)."""
    return [
        make_search_products(catalog, reranker),
        make_browse_by_price(catalog),
        make_get_product(catalog),
        make_check_inventory(catalog),
        make_compare_products(catalog),
        make_store_policy(catalog),
        make_recommend(model_reasons=model_reasons),
        make_ask_clarifying_question(),
        make_reply(),
    ]
