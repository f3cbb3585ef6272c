"""The compact tool schemas the model is sent."""

from __future__ import annotations

import json
import re

from langchain_core.utils.function_calling import convert_to_openai_tool

from agent.schemas import tool_schema, tool_schemas
from agent.tokens import count_tools
from tools.toolkit import make_tools


def test_docstring_args_become_parameter_descriptions(demo_catalog) -> None:
    tools = {t.name: t for t in make_tools(demo_catalog)}
    search = tool_schema(tools["search_products"])["function"]
    assert "Args:" not in search["description"] and "\n" not in search["description"]
    props = search["parameters"]["properties"]
    cap = "the shopper's budget cap, as a number; only when they stated one."
    assert props["max_price"] == {"type": "number", "description": cap}
    assert "state" not in props  # injected, never shown to the model
    assert search["parameters"]["required"] == ["query"]
    assert props["options"]["additionalProperties"] == {"type": "string"}
    browse = tool_schema(tools["browse_by_price"])["function"]["parameters"]["properties"]
    assert browse["sort"]["enum"] == ["price_asc", "price_desc", "rating"]
    assert browse["features"]["description"].startswith("words from the shopper's request")
    items = tool_schema(tools["recommend"])["function"]["parameters"]["properties"]["items"]
    assert items["items"]["required"] == ["product_id"]


def test_no_null_unions_and_smaller_than_the_default_conversion(demo_catalog) -> None:
    tools = make_tools(demo_catalog)
    text = json.dumps(tool_schemas(tools))
    assert '"null"' not in text and '"default": null' not in text
    assert count_tools(tool_schemas(tools)) < 0.9 * count_tools(
        [convert_to_openai_tool(t) for t in tools]
    )


def test_no_example_values_a_model_can_parrot(demo_catalog) -> None:
    """A small model copies examples from tool manuals (it searched "waterproof hiking boots"
    after refusing an injection): no quoted phrase, "e.g.", price or number beyond a range."""
    for tool in make_tools(demo_catalog):
        function = tool_schema(tool)["function"]
        texts = [function["description"]] + [
            str(p.get("description") or "") for p in function["parameters"]["properties"].values()
        ]
        for text in texts:
            assert not re.search(r"[\"“”]|e\.g\.|\$|\bfor example\b", text), (tool.name, text)
            assert not re.search(r"(?<![\d-])\d+(?![\d-])", text), (tool.name, text)
