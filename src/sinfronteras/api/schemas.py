"""The shapes of the JSON API's bodies: what each route takes and answers.

Pydantic schemas only, and the translation of a body to the fields of the form
that checks it; no route and no error handling (``errors.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from sinfronteras.plans.models import AreaAlert
from sinfronteras.sharing.bounds import MAX_ID, MAX_RESOURCES_PER_OFFER
from sinfronteras.sharing.forms import SLOT_ROWS
from sinfronteras.sharing.models import Need, Offer

#: An id: a whole number from 1 to 2**31 - 1 (``sharing.bounds``); a larger one is a 400.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: The resources of one offer: 1 to 20 ids.
ResourceIds = Annotated[list[Id], Field(min_length=1, max_length=MAX_RESOURCES_PER_OFFER)]
#: A time of day as the forms take it: HH:MM, 24 hours.
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


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


class AlertIn(Schema):
    area: Id
    hours: int


class AlertOut(Schema):
    """Who raised an alert is in the audit log, not here."""

    id: int
    area: Id
    raised_at: datetime
    until: datetime

    @staticmethod
    def of(alert: AreaAlert) -> dict:
        return {"id": alert.pk, "area": alert.area_id, "raised_at": alert.raised_at,
                "until": alert.until}


def as_form_data(payload: dict) -> dict:
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


def merged(current: dict, patch: Schema) -> dict:
    return {**current, **{k: v for k, v in patch.dict(exclude_unset=True).items()}}
