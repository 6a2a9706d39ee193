"""Every error of the API has one shape: `{"errors": [{"message", "code", ...}]}`.

Errors about content point at registry field codes (`field`), and inside a
repeating group at the row (`row`, counted from 1, and its `row_id` when the
row exists), so a department's system can show each message at its field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

Error = dict[str, Any]


class ApiError(APIException):
    """An error answered with a ready list of structured errors."""

    def __init__(
        self, errors: list[Error], status_code: int, *, data: Mapping[str, Any] | None = None
    ):
        super().__init__(detail=[str(e.get("message", "")) for e in errors])
        self.errors = errors
        self.status_code = status_code
        self.extra = dict(data or {})


class ContentInvalid(ApiError):
    """The content sent does not pass the editor's validation (422)."""

    def __init__(self, errors: list[Error]) -> None:
        super().__init__(errors, status.HTTP_422_UNPROCESSABLE_ENTITY)


class PreconditionRequired(ApiError):
    def __init__(self) -> None:
        message = _(
            "Send the section's ETag in If-Match, or the base token you read, to save changes."
        )
        super().__init__(
            [{"message": str(message), "code": "precondition_required"}],
            status.HTTP_428_PRECONDITION_REQUIRED,
        )


def error(message: Any, code: str, **where: Any) -> Error:
    found: Error = {k: v for k, v in where.items() if v is not None}
    return {**found, "message": str(message), "code": code}


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, dict(context))
    if response is None:
        return None
    if isinstance(exc, ApiError):
        response.data = {"errors": exc.errors, **exc.extra}
    else:
        response.data = {"errors": _flatten(response.data)}
    return response


def _flatten(data: Any, field: str | None = None) -> list[Error]:
    """DRF's nested error details as a flat list, each naming its field."""
    if isinstance(data, Mapping):
        found: list[Error] = []
        for key, value in data.items():
            name = None if key in ("detail", "non_field_errors") else str(key)
            found += _flatten(value, name if field is None else f"{field}.{name}")
        return found
    if isinstance(data, Sequence) and not isinstance(data, str):
        return [e for item in data for e in _flatten(item, field)]
    code = data.code if isinstance(data, ErrorDetail) else "error"
    return [error(data, str(code), field=field)]
