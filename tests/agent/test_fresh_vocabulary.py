"""A running assistant follows new catalog versions: new categories reach the planner's parser.

The store sells rain jackets; then another process ingests fleece jackets (a new category) from
CSV. The same assistant object, built before that ingest, must find the fleece jacket, where a
parser built from the old vocabulary read "fleece jacket" as the Rain Jackets category.
"""

from __future__ import annotations

from pathlib import Path

from agent.assistant import build_assistant
from agent.settings import Settings
from catalog.ingest import ingest
from tests.conftest import make_catalog
from tests.ui.catalog_data import FLEECE_ID, write_fleece_csv, write_store_with_jackets

ASK = "do you have a fleece jacket?"


async def test_assistant_finds_a_category_ingested_after_it_started(
    tmp_path: Path, encoder
) -> None:  # type: ignore[no-untyped-def]
    catalog = make_catalog(tmp_path, encoder)
    source = write_store_with_jackets(tmp_path / "store.jsonl")
    ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    assistant = build_assistant(Settings(SHOP_DATA_DIR=str(tmp_path)), catalog)
    try:
        before = await assistant.arun(ASK, thread_id="t1")
        assert FLEECE_ID not in {r.product_id for r in before.recommendations}
        version = catalog.searcher.version

        # A second catalog handle stands in for another process running `shop ingest`.
        other = make_catalog(tmp_path, encoder)
        csv_path = write_fleece_csv(tmp_path / "new-stock.csv")
        ingest(csv_path, store=other.store, index=other.open_index(), encoder=encoder)

        after = await assistant.arun(ASK, thread_id="t2")
        assert catalog.searcher.version != version
        assert "Fleece Jackets" in catalog.searcher.vocabulary.categories.values()
        assert after.recommendations, after.reply
        assert after.recommendations[0].product_id == FLEECE_ID
        searches = [c.args for c in after.tool_calls if c.name == "search_products"]
        assert searches and searches[0].get("category") == "Fleece Jackets"
    finally:
        await assistant.aclose()
