"""Reading API input safely: a capped JSON body, strict JSON numbers, errors that never echo.

FastAPI's default body handling reads any size, accepts NaN/Infinity (Python's json does),
and puts the offending input into its 422; a NaN there cannot even be encoded (a 500 and a
dropped keep-alive connection), and a 10 MB body came back in the error. These helpers give
the JSON routes a 413 past `MAX_BODY_BYTES`, a 422 for non-finite numbers, and 422 details
with location, message and type only.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

MAX_BODY_BYTES = 64 * 1024  # a recommendations request is well under 20 KB at its limits

Model = TypeVar("Model", bound=BaseModel)


class ApiError(Exception):
    """An error answer: status and FastAPI-style `detail` list."""

    def __init__(self, status: int, detail: list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail

    def response(self) -> JSONResponse:
        return JSONResponse({"detail": self.detail}, status_code=self.status)


def _too_large(limit: int) -> ApiError:
    msg = f"request body is larger than {limit} bytes"
    return ApiError(413, [{"loc": ["body"], "msg": msg, "type": "too_large"}])


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


async def read_json(request: Request, limit: int) -> Any:
    """The request body parsed as strict JSON, refused (413) once it exceeds `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    size, chunks = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks) or b"{}", parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        msg = f"invalid JSON: {str(exc)[:200]}"
        raise ApiError(422, [{"loc": ["body"], "msg": msg, "type": "json_invalid"}]) from None


def validated(model: type[Model], data: Any, loc: list[str]) -> Model:
    """`model` validated from `data`, or a 422 whose details carry no input values."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_context=False, include_url=False)
        detail = [
            {"loc": [*loc, *err["loc"]], "msg": err["msg"], "type": err["type"]} for err in errors
        ]
        raise ApiError(422, detail) from None


def query_dict(request: Request) -> dict[str, str]:
    """Query parameters as a dict; a repeated parameter is an error, not a silent pick."""
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in params:
            msg = "parameter given more than once"
            raise ApiError(422, [{"loc": ["query", key], "msg": msg, "type": "repeated"}])
        params[key] = value
    return params
