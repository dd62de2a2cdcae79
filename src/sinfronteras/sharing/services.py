"""Changes to needs and offers. Views and the API call these, never the ORM directly.

Each function runs in one transaction: it writes everything or nothing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.audit.models import plain, record

from .bounds import id_in_range
from .models import Need, NeedStatus, Offer, OfferStatus, Resource
from .starter import STARTER


def access_need(member, pk, *, write: bool = False) -> Need:
    """The one access check for needs: the owner, or a coordinator of the same collective.

    Writes are the owner's, or a coordinator's. Anything else looks like "not found"
    so that nobody learns what exists.
    """
    need = Need.objects.select_related("resource", "area").filter(pk=pk).first() \
        if id_in_range(pk) else None
    if need is None or need.collective_id != member.collective_id:
        raise Http404("No such need.")
    if need.posted_by_id != member.pk and not member.is_coordinator:
        raise Http404("No such need.")
    return need


def access_offer(member, pk, *, write: bool = False) -> Offer:
    offer = Offer.objects.select_related("area").filter(pk=pk).first() if id_in_range(pk) else None
    if offer is None or offer.collective_id != member.collective_id:
        raise Http404("No such offer.")
    if offer.posted_by_id != member.pk and not member.is_coordinator:
        raise Http404("No such offer.")
    return offer


class IdempotencyConflict(Exception):
    """An idempotency key came again with a different request; nothing was written."""


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, tuple):  # one row (a slot's day, from, until): its order matters
        return [_plain(item) for item in value]
    if isinstance(value, (models.QuerySet, list)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def request_digest(form) -> str:
    """A hash of what a valid form asks for: equal for equal requests (4.5 and "4.50")."""
    data = {name: _plain(value) for name, value in form.cleaned_data.items()}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _existing(model, member, key, digest):
    if not key:
        return None
    existing = model.objects.filter(posted_by=member, idempotency_key=key).first()
    if existing is not None and existing.idempotency_digest not in ("", digest):
        raise IdempotencyConflict(
            "This Idempotency-Key was used before with a different body: use a new key for a "
            "new request, or send the first body again to get what it made.")
    return existing


#: A page's form posted again with the same content this soon is "already posted": Back,
#: then Post, draws the form afresh (pages are never cached), so its one-time key is new.
SAME_POST_WITHIN = timedelta(minutes=15)


def _create(model, member, form, idempotency_key, *, same_within: timedelta | None = None):
    """Create a need or an offer from a valid form. Returns (record, created).

    With an idempotency key, a second call with the same key and the same request
    returns the first record instead of making another, even when two calls race (a
    database constraint decides); the same key with another request is refused
    (``IdempotencyConflict``). With ``same_within`` (the pages), the member's open
    record of exactly the same request made that recently is returned instead.
    """
    digest = request_digest(form)
    existing = _existing(model, member, idempotency_key, digest)
    if existing:
        return existing, False
    if same_within is not None:
        recent = model.objects.filter(posted_by=member, idempotency_digest=digest,
                                      status=EDITABLE[model],
                                      created_at__gte=timezone.now() - same_within)
        if (existing := recent.order_by("-created_at").first()) is not None:
            return existing, False
    item = form.save(commit=False)
    item.collective_id = member.collective_id
    item.posted_by = member
    item.idempotency_key = idempotency_key or None
    item.idempotency_digest = digest
    try:
        with transaction.atomic():
            item.save()
            form.save_m2m()
    except IntegrityError:
        existing = _existing(model, member, idempotency_key, digest)
        if existing is None:
            raise
        return existing, False
    return item, True


def do_create_need(member, form, *, idempotency_key: str | None = None,
                   same_within: timedelta | None = None) -> tuple[Need, bool]:
    return _create(Need, member, form, idempotency_key, same_within=same_within)


def do_create_offer(member, form, *, idempotency_key: str | None = None,
                    same_within: timedelta | None = None) -> tuple[Offer, bool]:
    return _create(Offer, member, form, idempotency_key, same_within=same_within)


def _record_power(member, item, action: str) -> None:
    """A coordinator acting on someone else's need or offer goes in the audit log."""
    if member is not None and item.posted_by_id != member.pk:
        record(item.collective, action, actor=member,
               data={type(item).__name__.lower(): item.pk})


class NoLongerOpen(Exception):
    """An edit of a need or an offer that was withdrawn (or met) meanwhile: nothing changed."""


#: The one state in which a need or an offer may be edited.
EDITABLE = {Need: NeedStatus.OPEN, Offer: OfferStatus.ACTIVE}


def _changed_columns(form) -> dict:
    """The model's own columns the form changed, with their new values (never the status)."""
    instance = form.instance
    columns = {}
    for name in form.changed_data:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field (slots), saved by the form itself
            continue
        if field.concrete and not field.many_to_many and field.editable:
            columns[field.attname] = getattr(instance, field.attname)
    return columns


@transaction.atomic
def do_update(form, member=None):
    """Save an edit of a need or an offer (with its resources and slots) in one transaction.

    It writes only the columns the form changed, and only while the need or offer is still
    open (``UPDATE ... WHERE status = 'open'``): a withdrawal at the same moment (another
    tab, the API, a coordinator) is never undone by an edit that read the row before it.
    Raises :class:`NoLongerOpen` when it was withdrawn or met meanwhile; nothing is written.
    """
    item = form.instance
    model = type(item)
    columns = _changed_columns(form)
    still_open = model.objects.filter(pk=item.pk, status=EDITABLE[model])
    written = still_open.update(**columns, updated_at=timezone.now()) if columns \
        else still_open.select_for_update().exists()
    if not written:
        raise NoLongerOpen(_("This need is no longer open (it was withdrawn or met): nothing "
                             "was changed.") if model is Need else
                           _("This offer was withdrawn: nothing was changed."))
    form._save_m2m()
    item.refresh_from_db()
    _record_power(member, item, f"{model.__name__.lower()}.edited")
    return item


@transaction.atomic
def do_withdraw_need(need: Need, member=None) -> Need:
    need.status = NeedStatus.WITHDRAWN
    need.save(update_fields=["status", "updated_at"])
    _record_power(member, need, "need.withdrawn")
    return need


@transaction.atomic
def do_withdraw_offer(offer: Offer, member=None) -> Offer:
    offer.status = OfferStatus.WITHDRAWN
    offer.save(update_fields=["status", "updated_at"])
    _record_power(member, offer, "offer.withdrawn")
    return offer


@transaction.atomic
def do_seed_catalogue(collective, *, actor=None) -> dict[str, Resource]:
    """Give a new collective the starter catalogue (``sharing.starter``). Returns key -> resource."""
    resources = {}
    for key, en, es, unit, unit_es, basic, carries, in_person, step in STARTER:
        resources[key] = Resource.objects.create(
            collective=collective, key=key, name_en=en, name_es=es, unit=unit, unit_es=unit_es,
            basic=basic, carries=carries, in_person=in_person, step=step)
    record(collective, "catalogue.started", actor=actor,
           data={"resources": len(resources),
                 "basic": ", ".join(k for k, r in resources.items() if r.basic)})
    return resources


@transaction.atomic
def do_save_catalogue_entry(member, form, kind: str):
    """Save a resource or an area from a valid form; the change goes in the audit log.

    ``kind`` is ``"resource"`` or ``"area"``. Returns the saved record.
    """
    item = form.save(commit=False)
    created = item.pk is None
    item.collective = member.collective
    item.save()
    fields = form.Meta.fields if created else form.changed_data
    data = {"id": item.pk} | {f: plain(getattr(item, f)) for f in fields}
    record(member.collective, f"{kind}.{'added' if created else 'changed'}", actor=member, data=data)
    return item
