"""The JSON API, described by OpenAPI at /api/openapi.json.

Views here only translate JSON to the same forms and services the pages use:
a rule lives in one place, and a bad field gets the same message everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse

from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from sinfronteras.members.models import ApiToken, Area, Role
from sinfronteras.sharing.bounds import MAX_ID, MAX_RESOURCES_PER_OFFER
from sinfronteras.sharing.forms import SLOT_ROWS
from sinfronteras.web import errors
from sinfronteras.sharing.models import Need, Offer, Resource
from sinfronteras.sharing.services import IdempotencyConflict

#: An id: a whole number from 1 to 2**31 - 1 (``sharing.bounds``); a larger one is a 400.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: The resources of one offer: 1 to 20 ids.
ResourceIds = Annotated[list[Id], Field(min_length=1, max_length=MAX_RESOURCES_PER_OFFER)]
#: A time of day as the forms take it: HH:MM, 24 hours.
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class BearerToken(HttpBearer):
    """``Authorization: Bearer sf_...``: the token alone decides, whatever session comes with it."""

    def authenticate(self, request, token):
        member = ApiToken.member_for(token)
        if member is None:
            raise AuthenticationError(401, "This API token is unknown, expired or revoked. "
                                           "Make a new one on the API tokens page.")
        request.user = member
        return member


class MemberSession(SessionAuth):
    """A logged-in session; a coordinator's acts as a member's until the second factor."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None  # no session: a 401, whatever the CSRF token says
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(403, "A session's writes need the CSRF token (the X-CSRFToken "
                                 "header); a program should use an API token instead.") from None

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.role == Role.COORDINATOR and not user.is_verified():
            user.coordinator_power = False  # as the second-factor middleware does
        return user


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


api = Api(
    title="sinfronteras",
    version="1",
    description="Needs and offers of one collective. Authenticate with a personal token "
                "(Authorization: Bearer ...) or a logged-in session. A token acts as a member "
                "unless it was made with a coordinator's scope; a coordinator's session acts "
                "as a member's until the second factor is entered. Errors are JSON: "
                "{\"detail\": ...}, or {\"errors\": {field: [...]}} for a 400.",
    auth=[BearerToken(), MemberSession()],
    docs_url=None,  # the interactive docs load third-party scripts: not here
    urls_namespace="api",
)


def _bad_request(request, errors: dict[str, list[str]]):
    return api.create_response(request, {"errors": errors}, status=400)


#: Where a value came from, left out of the field names a 400 gives.
_SOURCES = ("body", "payload", "path", "query", "header")


@api.exception_handler(ValidationError)
def schema_errors(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in _SOURCES]
        if loc[:1] == ["slots"]:
            errors.setdefault("slots", []).append(_slot_error(loc, error))
            continue
        errors.setdefault(".".join(loc) or "body", []).append(error.get("msg", "invalid"))
    return _bad_request(request, errors)


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


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Ninja's own refusals; a 400 (a body it cannot parse) names the body like any 400."""
    if exc.status_code == 400:
        return _bad_request(request, {"body": [
            "The body could not be read: send one JSON object (Content-Type: application/json)."]})
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    detail = exc.message if exc.message != "Unauthorized" else "Log in or send a valid API token."
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(IdempotencyConflict)
def idempotency_conflict(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return api.create_response(request, {"detail": body_too_big()}, status=413)


def body_too_big() -> str:
    return (f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes. "
            "Send less in one request.")


def page_not_found(request, exception):
    """The site's 404: JSON under /api/, the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No such API path. The routes are in /api/openapi.json."},
                            status=404)
    return errors.not_found(request, exception)


def server_error(request):
    """The site's 500: JSON under /api/ (nothing about the error itself), the page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on the server; nothing was "
                                       "half-written. Try again later."}, status=500)
    return errors.server_error(request)


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}



class AreaOut(Schema):
    id: int
    name: str
    lat: float
    lon: float


class ResourceOut(Schema):
    id: int
    key: str
    name_en: str
    name_es: str
    unit: str
    unit_es: str
    basic: bool
    #: The least that can be handed over; quantities of it are whole numbers of steps (null: any).
    step: Decimal | None = None


class SlotRow(Schema):
    """A day and hours every week when it can be given or received, in the collective's time."""

    weekday: int = Field(..., ge=0, le=6, description="0 Monday, 1 Tuesday ... 6 Sunday.")
    start: str = Field(..., pattern=HHMM, description="From, HH:MM (24 hours).",
                       examples=["10:00"])
    end: str = Field(..., pattern=HHMM, description="Until, HH:MM, after `start`.",
                     examples=["13:00"])


#: Days and hours as the form takes them: at most 3 rows; none means any time.
Slots = Annotated[list[SlotRow], Field(
    max_length=SLOT_ROWS,
    description=f"Days and hours that suit, at most {SLOT_ROWS} rows; empty: any time. "
                "On an edit, leave it out to keep them and send [] to clear them.")]
#: A public place where an offer is given (a pantry's door). Never a home.
PublicPlace = Annotated[str, Field(
    max_length=200,
    description="Only an organisation's public place (a pantry's door, a church hall), shown "
                "to the people of a delivery. Never a home.")]


def slots_out(owner) -> list[dict]:
    return [{"weekday": s.weekday, "start": f"{s.start:%H:%M}", "end": f"{s.end:%H:%M}"}
            for s in owner.slots.all()]


class NeedIn(Schema):
    resource: Id
    quantity: Decimal
    area: Id
    urgent: bool = False
    needed_by: date | None = None
    slots: Slots = []


class NeedPatch(Schema):
    resource: Id | None = None
    quantity: Decimal | None = None
    area: Id | None = None
    urgent: bool | None = None
    needed_by: date | None = None
    slots: Slots | None = None


class NeedProgress(Schema):
    state: str
    delivered: Decimal
    on_its_way: Decimal
    planned: Decimal
    left: Decimal


class NeedOut(Schema):
    id: int
    resource: int
    quantity: Decimal
    area: int
    urgent: bool
    needed_by: date | None
    status: str
    #: The one status every page shows: state (open, planned, on_its_way,
    #: partly_delivered, done, withdrawn) and the amounts delivered, on its way,
    #: planned and left for the next plan.
    progress: NeedProgress
    slots: list[SlotRow]
    mine: bool

    @staticmethod
    def of(need: Need, member) -> dict:
        return {
            "id": need.pk, "resource": need.resource_id, "quantity": need.quantity,
            "area": need.area_id, "urgent": need.urgent, "needed_by": need.needed_by,
            "status": need.status, "progress": need.progress.api(), "slots": slots_out(need),
            "mine": need.posted_by_id == member.pk,
        }


class OfferIn(Schema):
    resources: ResourceIds
    quantity: Decimal
    area: Id
    radius_km: Decimal | None = None
    weekly: bool = False
    available_until: date | None = None
    slots: Slots = []
    public_place: PublicPlace = ""


class OfferPatch(Schema):
    resources: ResourceIds | None = None
    quantity: Decimal | None = None
    area: Id | None = None
    radius_km: Decimal | None = None
    weekly: bool | None = None
    available_until: date | None = None
    slots: Slots | None = None
    public_place: PublicPlace | None = None


class OfferOut(Schema):
    id: int
    resources: list[int]
    quantity: Decimal
    area: int
    radius_km: Decimal | None
    weekly: bool
    available_until: date | None
    slots: list[SlotRow]
    public_place: str
    status: str
    mine: bool

    @staticmethod
    def of(offer: Offer, member) -> dict:
        return {
            "id": offer.pk, "resources": sorted(r.pk for r in offer.resources.all()),
            "quantity": offer.quantity, "area": offer.area_id, "radius_km": offer.radius_km,
            "weekly": offer.weekly, "available_until": offer.available_until,
            "slots": slots_out(offer), "public_place": offer.public_place, "status": offer.status,
            "mine": offer.posted_by_id == member.pk,
        }


def _as_form_data(payload: dict) -> dict:
    """JSON values as the form's fields; ``slots`` (when sent) as its sub-fields slots_0...

    Rows go in the form's day, from, until sub-fields, unused rows empty: the form then
    replaces the stored slots. Without ``slots`` the form leaves them as they are.
    """
    data = {key: ("" if value is None else value) for key, value in payload.items()
            if key != "slots"}
    if "slots" in payload:
        flat = [part for row in payload["slots"] or [] for part in
                (row["weekday"], row["start"], row["end"])]
        flat += [""] * (3 * SLOT_ROWS - len(flat))
        data.update({f"slots_{i}": value for i, value in enumerate(flat)})
    return data


def _merged(current: dict, patch: Schema) -> dict:
    return {**current, **{k: v for k, v in patch.dict(exclude_unset=True).items()}}


@api.get("/areas", response=answers(list[AreaOut]), tags=["collective"])
def list_areas(request):
    return Area.objects.filter(collective_id=request.user.collective_id)


@api.get("/resources", response=answers(list[ResourceOut]), tags=["collective"])
def list_resources(request):
    return Resource.objects.filter(collective_id=request.user.collective_id)


from . import needs_offers  # noqa: E402,F401  (registers the need and offer routes)
from . import alerts  # noqa: E402,F401  (registers the alert routes)
