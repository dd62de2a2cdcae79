"""The JSON API, described by OpenAPI at /api/openapi.json.

Views here only translate JSON to the same forms and services the pages use:
a rule lives in one place, and a bad field gets the same message everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth
from pydantic import Field

from sinfronteras.members.models import ApiToken, Area
from sinfronteras.sharing.bounds import MAX_ID, MAX_RESOURCES_PER_OFFER
from sinfronteras.sharing.models import Need, Offer, Resource


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        member = ApiToken.member_for(token)
        if member is not None:
            request.user = member
        return member


api = NinjaAPI(
    title="sinfronteras",
    version="1",
    description="Needs and offers of one collective. Authenticate with a personal token "
                "(Authorization: Bearer ...) or a logged-in session.",
    auth=[BearerToken(), django_auth],
    docs_url=None,  # the interactive docs load third-party scripts: not here
    urls_namespace="api",
)


class FieldErrors(Schema):
    errors: dict[str, list[str]]


class Detail(Schema):
    detail: str


def _bad_request(request, errors: dict[str, list[str]]):
    return api.create_response(request, {"errors": errors}, status=400)


@api.exception_handler(ValidationError)
def schema_errors(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        errors.setdefault(".".join(loc) or "body", []).append(error.get("msg", "invalid"))
    return _bad_request(request, errors)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": "Log in or send a valid API token."}, status=401)


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


#: An id: a whole number from 1 to 2**31 - 1 (``sharing.bounds``).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: The resources of one offer: 1 to 20 ids.
ResourceIds = Annotated[list[Id], Field(min_length=1, max_length=MAX_RESOURCES_PER_OFFER)]


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


class NeedIn(Schema):
    resource: Id
    quantity: Decimal
    area: Id
    urgent: bool = False
    needed_by: date | None = None


class NeedPatch(Schema):
    resource: Id | None = None
    quantity: Decimal | None = None
    area: Id | None = None
    urgent: bool | None = None
    needed_by: date | None = None


class NeedOut(Schema):
    id: int
    resource: int
    quantity: Decimal
    area: int
    urgent: bool
    needed_by: date | None
    status: str
    mine: bool

    @staticmethod
    def of(need: Need, member) -> dict:
        return {
            "id": need.pk, "resource": need.resource_id, "quantity": need.quantity,
            "area": need.area_id, "urgent": need.urgent, "needed_by": need.needed_by,
            "status": need.status, "mine": need.posted_by_id == member.pk,
        }


class OfferIn(Schema):
    resources: ResourceIds
    quantity: Decimal
    area: Id
    radius_km: Decimal | None = None
    weekly: bool = False
    available_until: date | None = None


class OfferPatch(Schema):
    resources: ResourceIds | None = None
    quantity: Decimal | None = None
    area: Id | None = None
    radius_km: Decimal | None = None
    weekly: bool | None = None
    available_until: date | None = None


class OfferOut(Schema):
    id: int
    resources: list[int]
    quantity: Decimal
    area: int
    radius_km: Decimal | None
    weekly: bool
    available_until: date | None
    status: str
    mine: bool

    @staticmethod
    def of(offer: Offer, member) -> dict:
        return {
            "id": offer.pk, "resources": sorted(r.pk for r in offer.resources.all()),
            "quantity": offer.quantity, "area": offer.area_id, "radius_km": offer.radius_km,
            "weekly": offer.weekly, "available_until": offer.available_until, "status": offer.status,
            "mine": offer.posted_by_id == member.pk,
        }


def _as_form_data(payload: dict) -> dict:
    return {key: ("" if value is None else value) for key, value in payload.items()}


def _merged(current: dict, patch: Schema) -> dict:
    return {**current, **{k: v for k, v in patch.dict(exclude_unset=True).items()}}


@api.get("/areas", response=list[AreaOut], tags=["collective"])
def list_areas(request):
    return Area.objects.filter(collective_id=request.user.collective_id)


@api.get("/resources", response=list[ResourceOut], tags=["collective"])
def list_resources(request):
    return Resource.objects.filter(collective_id=request.user.collective_id)


from . import needs_offers  # noqa: E402,F401  (registers the need and offer routes)
from . import alerts  # noqa: E402,F401  (registers the alert routes)
