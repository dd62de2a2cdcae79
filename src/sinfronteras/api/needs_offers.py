"""Need and offer routes of the JSON API."""

from __future__ import annotations

from ninja import Header, Path, Router, Status

from sinfronteras.sharing import services
from sinfronteras.sharing.bounds import MAX_ID
from sinfronteras.sharing.forms import NeedForm, OfferForm
from sinfronteras.sharing.models import Need, NeedStatus, Offer, OfferStatus

from .errors import DELETE_ERRORS, WRITE_ERRORS, answers, bad_request, form_errors
from .schemas import NeedIn, NeedOut, NeedPatch, OfferIn, OfferOut, OfferPatch, as_form_data, merged

router = Router()

IDEMPOTENCY_HELP = (
    "Any string up to 64 characters. Sending the same key with the same body again returns "
    "the record the first request made instead of making another; the same key with a "
    "different body is refused with 409."
)


def _id(what: str):
    return Path(..., ge=1, le=MAX_ID, description=f"The {what}'s id.")


def _key(value: str | None):
    if value is not None and not (0 < len(value) <= 64):
        return None, {"Idempotency-Key": ["Use 1 to 64 characters."]}
    return value, None


@router.get("/needs", response=answers(list[NeedOut], 400), tags=["needs"])
def list_needs(request, status: NeedStatus = NeedStatus.OPEN):
    """Open needs you may see: your own, or all of the collective's for a coordinator."""
    rows = Need.objects.visible_to(request.user).filter(status=status).with_progress()
    rows = rows.prefetch_related("slots")
    return [NeedOut.of(need, request.user) for need in rows]


@router.post("/needs", response=answers({201: NeedOut, 200: NeedOut}, *WRITE_ERRORS, 409),
             tags=["needs"])
def create_need(request, payload: NeedIn,
                idempotency_key: str | None = Header(None, alias="Idempotency-Key",
                                                     description=IDEMPOTENCY_HELP)):
    key, error = _key(idempotency_key)
    if error:
        return bad_request(error)
    form = NeedForm(as_form_data(payload.dict()), member=request.user)
    if not form.is_valid():
        return bad_request(form_errors(form))
    need, created = services.do_create_need(request.user, form, idempotency_key=key)
    return Status(201 if created else 200, NeedOut.of(need, request.user))


@router.get("/needs/{need_id}", response=answers(NeedOut, 400, 404), tags=["needs"])
def get_need(request, need_id: int = _id("need")):
    return NeedOut.of(services.access_need(request.user, need_id), request.user)


@router.patch("/needs/{need_id}", response=answers(NeedOut, *WRITE_ERRORS, 404), tags=["needs"])
def update_need(request, payload: NeedPatch, need_id: int = _id("need")):
    need = services.access_need(request.user, need_id, write=True)
    current = {"resource": need.resource_id, "quantity": need.quantity, "area": need.area_id,
               "urgent": need.urgent, "needed_by": need.needed_by}
    form = NeedForm(as_form_data(merged(current, payload)), instance=need, member=request.user)
    if not form.is_valid():
        return bad_request(form_errors(form))
    try:
        need = services.do_update(form, request.user)
    except services.NoLongerOpen as refused:  # withdrawn meanwhile: it stays withdrawn
        return bad_request({"status": [str(refused)]})
    return NeedOut.of(need, request.user)


@router.delete("/needs/{need_id}", response=answers(NeedOut, *DELETE_ERRORS), tags=["needs"])
def withdraw_need(request, need_id: int = _id("need")):
    """Withdraw a need. It stays visible to you as withdrawn."""
    need = services.do_withdraw_need(services.access_need(request.user, need_id, write=True),
                                     request.user)
    return NeedOut.of(need, request.user)


@router.get("/offers", response=answers(list[OfferOut], 400), tags=["offers"])
def list_offers(request, status: OfferStatus = OfferStatus.ACTIVE):
    rows = Offer.objects.visible_to(request.user).filter(status=status)
    rows = rows.prefetch_related("resources", "slots")
    return [OfferOut.of(offer, request.user) for offer in rows]


@router.post("/offers", response=answers({201: OfferOut, 200: OfferOut}, *WRITE_ERRORS, 409),
             tags=["offers"])
def create_offer(request, payload: OfferIn,
                 idempotency_key: str | None = Header(None, alias="Idempotency-Key",
                                                      description=IDEMPOTENCY_HELP)):
    key, error = _key(idempotency_key)
    if error:
        return bad_request(error)
    form = OfferForm(as_form_data(payload.dict()), member=request.user)
    if not form.is_valid():
        return bad_request(form_errors(form))
    offer, created = services.do_create_offer(request.user, form, idempotency_key=key)
    return Status(201 if created else 200, OfferOut.of(offer, request.user))


@router.get("/offers/{offer_id}", response=answers(OfferOut, 400, 404), tags=["offers"])
def get_offer(request, offer_id: int = _id("offer")):
    return OfferOut.of(services.access_offer(request.user, offer_id), request.user)


@router.patch("/offers/{offer_id}", response=answers(OfferOut, *WRITE_ERRORS, 404),
              tags=["offers"])
def update_offer(request, payload: OfferPatch, offer_id: int = _id("offer")):
    offer = services.access_offer(request.user, offer_id, write=True)
    current = {"resources": [r.pk for r in offer.resources.all()], "quantity": offer.quantity,
               "area": offer.area_id, "radius_km": offer.radius_km, "weekly": offer.weekly,
               "available_until": offer.available_until, "public_place": offer.public_place}
    form = OfferForm(as_form_data(merged(current, payload)), instance=offer, member=request.user)
    if not form.is_valid():
        return bad_request(form_errors(form))
    try:
        offer = services.do_update(form, request.user)
    except services.NoLongerOpen as refused:  # withdrawn meanwhile: it stays withdrawn
        return bad_request({"status": [str(refused)]})
    return OfferOut.of(offer, request.user)


@router.delete("/offers/{offer_id}", response=answers(OfferOut, *DELETE_ERRORS), tags=["offers"])
def withdraw_offer(request, offer_id: int = _id("offer")):
    offer = services.do_withdraw_offer(services.access_offer(request.user, offer_id, write=True),
                                       request.user)
    return OfferOut.of(offer, request.user)
