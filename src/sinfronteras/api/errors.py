"""The JSON API's errors: what each status means, and the handlers that answer them.

Every error is JSON: ``{"detail": ...}``, or ``{"errors": {field: [...]}}`` for a 400.
``install(api)`` registers the handlers on the API; the site's 404 and 500 handlers
answer JSON under /api/ too.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse

from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sinfronteras.sharing.forms import SLOT_ROWS
from sinfronteras.sharing.services import IdempotencyConflict
from sinfronteras.web import errors as pages


class Detail(Schema):
    detail: str


class FieldErrors(Schema):
    """Each field that is wrong, with what to fix; nothing was written."""

    errors: dict[str, list[str]]


#: What each error status means here; every operation declares those it can answer.
ERRORS = {
    400: (FieldErrors, "A field is wrong: `errors` names each one and says what to fix."),
    401: (Detail, "No session and no valid API token (unknown, expired or revoked)."),
    403: (Detail, "A session's write without its CSRF token."),
    404: (Detail, "Nothing with this id that you may see."),
    409: (Detail, "This Idempotency-Key was used before with a different body."),
    413: (Detail, "The request body is over the size limit."),
    429: (Detail, "Too many writes this minute (counted per member, across all their tokens "
                  "and sessions); Retry-After says how many seconds to wait."),
}


def answers(ok, *errors: int) -> dict:
    """The responses of an operation: ``ok`` (a schema, or {status: schema}), 401, and ``errors``."""
    ok = ok if isinstance(ok, dict) else {200: ok}
    return {**ok, **{code: ERRORS[code][0] for code in sorted({401, *errors})}}


#: Errors of a write with a body, and of one without (a DELETE).
WRITE_ERRORS = (400, 403, 413, 429)
DELETE_ERRORS = (400, 403, 404, 429)


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's document, with what each error means and 429's Retry-After header."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for methods in schema["paths"].values():
            for operation in methods.values():
                for code, response in operation["responses"].items():
                    if int(code) in ERRORS:
                        response["description"] = ERRORS[int(code)][1]
                    if int(code) == 429:
                        response["headers"] = {"Retry-After": {
                            "description": "Seconds to wait before the next write.",
                            "schema": {"type": "integer"}}}
        return schema


def bad_request(errors: dict[str, list[str]]) -> Status:
    """A route's 400: each field that is wrong, with what to fix."""
    return Status(400, {"errors": errors})


def _bad_request(api, request, errors: dict[str, list[str]]):
    return api.create_response(request, {"errors": errors}, status=400)


#: Where a value came from, left out of the field names a 400 gives.
_SOURCES = ("body", "payload", "path", "query", "header")


def schema_errors(request, exc, *, api):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in _SOURCES]
        if loc[:1] == ["slots"]:
            errors.setdefault("slots", []).append(_slot_error(loc, error))
            continue
        errors.setdefault(".".join(loc) or "body", []).append(error.get("msg", "invalid"))
    return _bad_request(api, request, errors)


def _slot_error(loc: list[str], error: dict) -> str:
    """A bad row of days and hours, named by its row as the form names it ("Row 2: ...")."""
    kind, message = error.get("type"), error.get("msg", "invalid")
    if len(loc) == 1:
        if kind == "too_long":
            return f"Give at most {SLOT_ROWS} rows of day, from and until."
        return f"Give a list of rows, each {{\"weekday\": 0-6, \"start\": \"HH:MM\", " \
               f"\"end\": \"HH:MM\"}}: {message}"
    row = f"Row {int(loc[1]) + 1}" if loc[1].isdigit() else "A row"
    if len(loc) == 2:
        return f"{row}: {message}"
    if kind == "string_pattern_mismatch":
        message = "give the time as HH:MM (24 hours), e.g. 09:30"
    elif loc[2] == "weekday" and kind in ("greater_than_equal", "less_than_equal"):
        message = "give the day as 0 (Monday) to 6 (Sunday)"
    return f"{row}, {'.'.join(loc[2:])}: {message}"


def http_error(request, exc, *, api):
    """Ninja's own refusals; a 400 (a body it cannot parse) names the body like any 400."""
    if exc.status_code == 400:
        return _bad_request(api, request, {"body": [
            "The body could not be read: send one JSON object (Content-Type: application/json)."]})
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def not_found(request, exc, *, api):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


def unauthorized(request, exc, *, api):
    detail = exc.message if exc.message != "Unauthorized" else "Log in or send a valid API token."
    return api.create_response(request, {"detail": detail}, status=401)


def idempotency_conflict(request, exc, *, api):
    return api.create_response(request, {"detail": str(exc)}, status=409)


def too_big(request, exc, *, api):
    return api.create_response(request, {"detail": body_too_big()}, status=413)


def body_too_big() -> str:
    return (f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes. "
            "Send less in one request.")


def page_not_found(request, exception):
    """The site's 404: JSON under /api/, the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No such API path. The routes are in /api/openapi.json."},
                            status=404)
    return pages.not_found(request, exception)


def server_error(request):
    """The site's 500: JSON under /api/ (nothing about the error itself), the page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on the server; nothing was "
                                       "half-written. Try again later."}, status=500)
    return pages.server_error(request)


def form_errors(form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


#: The handlers ``install`` registers: an exception and who answers it.
HANDLERS = {
    ValidationError: schema_errors,
    HttpError: http_error,
    Http404: not_found,
    AuthenticationError: unauthorized,
    IdempotencyConflict: idempotency_conflict,
    RequestDataTooBig: too_big,
}


def install(api: NinjaAPI) -> None:
    """Answer each error of ``api``'s routes as JSON, as ``ERRORS`` describes it."""
    for exception, handler in HANDLERS.items():
        api.add_exception_handler(exception, partial(handler, api=api))
