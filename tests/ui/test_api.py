"""GET /healthz, POST /api/recommendations and GET /api/popular on the small catalog."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalog.service import Catalog
from ui.api import ApiState, create_router, install_routes


@pytest.fixture(scope="module")
def client(small_catalog: Catalog) -> TestClient:
    app = FastAPI()

    @app.get("/{full_path:path}")  # stands in for Chainlit's catch-all HTML route
    def catch_all(full_path: str) -> str:
        return "<html>"

    state = ApiState(small_catalog, model_name="offline", model_mode="offline")
    install_routes(app, create_router(lambda: state))
    return TestClient(app)


def test_healthz_is_json_ahead_of_the_catch_all(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["catalog"]["products"] == 7 and body["catalog"]["version"] not in (None, "0")
    assert body["model"] == {"name": "offline", "mode": "offline"}
    assert body["stores"] == {"sql": "ok", "vectors": "ok"}


def test_recommendations_exclude_seen_and_rank_similar_in_stock(client: TestClient) -> None:
    response = client.post(
        "/api/recommendations", json={"session_items": ["boot-trail"], "count": 3}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    ids = [item["id"] for item in body["items"]]
    assert "boot-trail" not in ids and "lamp-out" not in ids
    assert len(ids) == 3 and len(set(ids)) == 3
    assert ids[0] in {"boot-summit", "boot-budget"}
    assert all(item["in_stock"] for item in body["items"])
    assert all(item["request_id"] == body["request_id"] for item in body["items"])
    assert [item["rank"] for item in body["items"]] == [1, 2, 3]


def test_recommendations_fall_back_to_popular_without_signal(client: TestClient) -> None:
    body = client.post(
        "/api/recommendations",
        json={"session_items": ["no-such-product"], "exclude": ["mug-enamel"], "count": 2},
    ).json()
    assert body["strategy"] == "popular"
    # best rated in-stock first; the sold-out lamp (4.9) and the excluded mug never appear
    assert [i["id"] for i in body["items"]] == ["boot-summit", "boot-trail"]


def test_recommendations_apply_filters(client: TestClient) -> None:
    body = client.post(
        "/api/recommendations",
        json={
            "session_items": ["tee-merino"],
            "count": 5,
            "filters": {"category": "hiking boots", "max_price": 100},
        },
    ).json()
    assert {i["id"] for i in body["items"]} == {"boot-trail", "boot-budget"}
    assert all(i["price"] <= 100 for i in body["items"])


@pytest.mark.parametrize(
    "payload",
    [
        {"count": 51},
        {"count": 0},
        {"session_items": [f"p{i}" for i in range(51)]},
        {"session_items": "boot-trail"},
        {"unexpected": 1},
        {"filters": {"max_price": -1}},
        {"filters": {"colour": "red"}},
    ],
)
def test_recommendations_reject_bad_input_with_422(client: TestClient, payload: dict) -> None:
    response = client.post("/api/recommendations", json=payload)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_unknown_filter_value_is_a_clear_422(client: TestClient) -> None:
    response = client.post("/api/recommendations", json={"filters": {"category": "Yachts"}})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == "unknown_value" and "Hiking Boots" in detail["valid"]


def test_popular(client: TestClient) -> None:
    body = client.get("/api/popular", params={"count": 2, "category": "t-shirts"}).json()
    assert [i["id"] for i in body["items"]] == ["tee-merino", "tee-cotton"]
    assert client.get("/api/popular", params={"count": 99}).status_code == 422
    assert client.get("/api/popular", params={"category": "Yachts"}).status_code == 422
    everything = client.get("/api/popular", params={"count": 50}).json()["items"]
    assert "lamp-out" not in {i["id"] for i in everything} and len(everything) == 6
