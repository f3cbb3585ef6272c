"""Item 9: the JSON API's edges. NaN and oversized bodies, booleans as counts, reversed price
ranges and unknown query parameters all get a clear 4xx that does not echo the input."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalog.service import Catalog
from ui.api import ApiState, create_router, install_routes
from ui.api_input import MAX_BODY_BYTES


@pytest.fixture(scope="module")
def client(small_catalog: Catalog) -> TestClient:
    app = FastAPI()
    install_routes(app, create_router(lambda: ApiState(small_catalog)))
    return TestClient(app)


def post_raw(client: TestClient, body: bytes | str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/recommendations", content=body, headers={"content-type": "application/json"}
    )


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_a_422_not_a_500(client: TestClient, constant: str) -> None:
    response = post_raw(client, '{"filters": {"max_price": ' + constant + "}}")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["type"] == "json_invalid" and constant in detail[0]["msg"]


def test_oversized_body_is_refused_without_echo(client: TestClient) -> None:
    huge = json.dumps({"user_id": "x" * (10 * 1024 * 1024)})
    response = post_raw(client, huge)
    assert response.status_code == 413
    assert len(response.content) < 1000


def test_body_just_under_the_limit_is_read(client: TestClient) -> None:
    padding = " " * (MAX_BODY_BYTES - 100)
    response = post_raw(client, '{"count": 2}' + padding)
    assert response.status_code == 200, response.text


def test_validation_errors_do_not_echo_input(client: TestClient) -> None:
    secret = "s3cr3t-" + "y" * 500
    response = client.post("/api/recommendations", json={"user_id": secret})
    assert response.status_code == 422 and "s3cr3t" not in response.text
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "user_id"] and set(detail) == {"loc", "msg", "type"}


@pytest.mark.parametrize("count", [True, False, "5", 2.0])
def test_count_must_be_an_integer(client: TestClient, count: object) -> None:
    response = client.post("/api/recommendations", json={"count": count})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "count"]


def test_reversed_price_range_is_an_error_not_a_swap(client: TestClient) -> None:
    response = client.post(
        "/api/recommendations", json={"filters": {"min_price": 200, "max_price": 50}}
    )
    assert response.status_code == 422
    assert "min_price must not be greater than max_price" in response.text
    response = client.get("/api/popular", params={"min_price": 200, "max_price": 50})
    assert response.status_code == 422


def test_popular_applies_price_filters(client: TestClient) -> None:
    body = client.get("/api/popular", params={"max_price": 60, "count": 50}).json()
    assert body["items"] and all(item["price"] <= 60 for item in body["items"])
    everything = client.get("/api/popular", params={"count": 50}).json()["items"]
    assert len(body["items"]) < len(everything)


@pytest.mark.parametrize(
    "params",
    [{"maxprice": "60"}, {"colour": "red"}, {"count": "true"}, {"max_price": "nan"}],
)
def test_popular_refuses_unknown_or_bad_parameters(client: TestClient, params: dict) -> None:
    response = client.get("/api/popular", params=params)
    assert response.status_code == 422, response.text


def test_popular_refuses_a_repeated_parameter(client: TestClient) -> None:
    response = client.get("/api/popular?count=2&count=3")
    assert response.status_code == 422 and "more than once" in response.text
