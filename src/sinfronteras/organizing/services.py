"""Changes to actions, conversations and commitments. Views call these, never the ORM.

Each ``do_*`` function runs in one transaction: it writes everything or nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from sinfronteras.audit.models import record
from sinfronteras.members.models import Member
from sinfronteras.members.services import do_create_invite
from sinfronteras.plans.carriers import km_between
from sinfronteras.plans.models import SealedAddress, Task, TaskState
from sinfronteras.plans.sealing import seal, unseal
from sinfronteras.plans.store import retire
from sinfronteras.sharing.models import Need, NeedStatus, Offer, OfferStatus, Resource

from .models import (Action, ActionNeed, Commitment, CommitmentState, Conversation, MonthlyTally,
                     OrganizingSettings)

#: Resources made on demand: hours of people present at an action, and hours of any help.
PRESENCE = ("presence", "People present at an action", "Personas presentes en una acción", "hours",
            "horas")
HELP = ("help", "A hand (someone's time)", "Una mano (tiempo de alguien)", "hours", "horas")


def settings_of(collective) -> OrganizingSettings:
    return OrganizingSettings.objects.get_or_create(collective=collective)[0]


def resource_on_demand(collective, spec) -> Resource:
    key, en, es, unit, unit_es = spec
    return Resource.objects.get_or_create(
        collective=collective, key=key,
        defaults={"name_en": en, "name_es": es, "unit": unit, "unit_es": unit_es,
                  "in_person": True})[0]


# --- access: one helper per model ------------------------------------------------------------

def access_action(member, pk, *, write: bool = False) -> Action:
    """Every member of the collective reads an action; its organizer or a coordinator writes."""
    action = Action.objects.select_related("area", "organizer", "material").filter(
        pk=pk, collective_id=member.collective_id).first()
    if action is None:
        raise Http404("No such action.")
    if write and action.organizer_id != member.pk and not member.is_coordinator:
        raise Http404("No such action.")
    return action


def access_conversation(member, pk) -> Conversation:
    """Only the member who logged it and the coordinators; anyone else gets "not found"."""
    conversation = Conversation.objects.visible_to(member).select_related(
        "area", "follow_up_by", "logged_by", "invite").filter(pk=pk).first()
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def access_commitment(member, pk, *, write: bool = False) -> Commitment:
    """The collective sees commitments; the member who made one, or a coordinator, checks in."""
    commitment = Commitment.objects.select_related("member", "action").filter(
        pk=pk, collective_id=member.collective_id).first()
    if commitment is None:
        raise Http404("No such commitment.")
    if write and commitment.member_id != member.pk and not member.is_coordinator:
        raise Http404("No such commitment.")
    return commitment


# --- actions and materials -------------------------------------------------------------------

def _action_need(action, resource, quantity) -> Need:
    need = Need.objects.create(collective_id=action.collective_id, posted_by=action.organizer,
                               resource=resource, quantity=Decimal(quantity), area=action.area,
                               needed_by=timezone.localdate(action.starts_at))
    ActionNeed.objects.create(action=action, need=need)
    return need


@transaction.atomic
def do_create_action(member, form) -> Action:
    """Create an action; what it declares becomes ordinary needs of the collective."""
    action = form.save(commit=False)
    action.collective_id = member.collective_id
    action.organizer = member
    action.save()
    if action.copies and action.material:
        _action_need(action, action.material, action.copies)
    if action.people and action.hours_each:
        presence = resource_on_demand(member.collective, PRESENCE)
        _action_need(action, presence, action.people * action.hours_each)
    record(member.collective, "action.created", actor=member, data={"action": action.pk})
    return action


#: Task states that hold copies of an offer (see ``Offer.committed_milli``).
TAKING_STATES = ("open", "proposed", "accepted", "done")


def action_needs(action) -> list[tuple[Need, Decimal]]:
    """The action's needs, each with how much the plan has given it so far (live or done tasks)."""
    rows = []
    for link in action.links.select_related("need__resource", "need__area"):
        planned = sum((t.quantity for t in Task.objects.filter(need_id=link.need_id,
                                                                state__in=TAKING_STATES)),
                      Decimal(0))
        rows.append((link.need, planned))
    return rows


def people_coming(action) -> dict | None:
    """For an action that asked for people: how many are planned, how many said yes.

    Counted in people (the givers of its presence tasks), beside the people × hours asked.
    """
    if not (action.people and action.hours_each):
        return None
    links = action.links.filter(need__resource__in_person=True).values("need_id")
    tasks = Task.objects.filter(need_id__in=links, state__in=("proposed", "accepted", "done"))
    planned = set(tasks.values_list("offer__posted_by_id", flat=True))
    confirmed = set(tasks.filter(state__in=("accepted", "done"))
                    .values_list("offer__posted_by_id", flat=True))
    return {"asked": action.people, "hours_each": action.hours_each.normalize(),
            "planned": len(planned), "confirmed": len(confirmed)}


def _taken_by_tasks(action) -> int:
    """Copies this action's own tasks already take from the stock (live or done)."""
    links = action.links.filter(need__resource_id=action.material_id).values("need_id")
    tasks = Task.objects.filter(need_id__in=links, state__in=TAKING_STATES)
    return int(sum(t.quantity for t in tasks))


def _stock(action):
    """Active offers of the action's material, the ones that fed it first, then by area."""
    fed = set(action.links.values_list("need__tasks__offer_id", flat=True))
    ids = Offer.objects.filter(collective_id=action.collective_id, status=OfferStatus.ACTIVE,
                               resources=action.material_id).values("pk")
    offers = Offer.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("area", "posted_by")
    return sorted(offers, key=lambda o: (o.pk not in fed, km_between(o.area, action.area), o.pk))


def draw_down(action, copies: int) -> list[tuple[Offer, int]]:
    """Take ``copies`` handed out at the action from the stock of its material.

    Copies its tasks already took from an offer are not counted twice. An offer goes
    down to what tasks already committed from it, never below; an offer emptied with
    nothing committed is withdrawn. Returns each offer drawn from, with how many copies.
    """
    if not action.material_id:
        return []
    left = max(0, copies - _taken_by_tasks(action))
    drawn = []
    for offer in _stock(action):
        if left <= 0:
            break
        take = min(Decimal(left), offer.available)
        if take <= 0:
            continue
        new_quantity = offer.quantity - take
        if new_quantity > 0:
            Offer.objects.filter(pk=offer.pk).update(quantity=new_quantity)
        else:
            Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.WITHDRAWN)
        left -= int(take)
        drawn.append((offer, int(take)))
    return drawn


#: Tasks an action's closing cancels: not yet accepted (an accepted one can still be done).
UNACCEPTED = ("open", "proposed")


def close_needs(action) -> int:
    """The action is over: its open needs close and no plan sends anything to them again;
    tasks not yet accepted go back, with what they held. Returns the needs closed."""
    needs = Need.objects.filter(action_link__action=action, status=NeedStatus.OPEN)
    ids = list(needs.values_list("pk", flat=True))
    if not ids:
        return 0
    unaccepted = Task.objects.filter(need_id__in=ids, state__in=UNACCEPTED)
    used = []
    if action.has_results and action.material_id:
        # The copies these tasks held were counted as handed out (``draw_down``): they
        # leave the giver's stock for good instead of coming back to it.
        used = list(unaccepted.filter(need__resource_id=action.material_id)
                    .values_list("offer_id", "quantity"))
    retire(unaccepted, TaskState.SUPERSEDED)
    for offer_id, quantity in used:
        offer = Offer.objects.select_for_update().get(pk=offer_id)
        if offer.quantity - quantity > 0:
            Offer.objects.filter(pk=offer_id).update(quantity=F("quantity") - quantity)
        else:
            Offer.objects.filter(pk=offer_id).update(status=OfferStatus.WITHDRAWN)
    SealedAddress.objects.filter(need_id__in=ids).delete()
    Need.objects.filter(pk__in=ids).update(status=NeedStatus.FULFILLED, fulfilled_at=timezone.now(),
                                           updated_at=timezone.now())
    record(action.collective, "action.needs_closed", actor=None,
           data={"action": action.pk, "needs": len(ids)})
    return len(ids)


def do_close_ended_actions(now=None) -> int:
    """Close the needs of every action that has ended (housekeeping, and before a plan)."""
    now = now or timezone.now()
    started = Action.objects.filter(starts_at__lte=now, links__need__status="open").distinct()
    closed = 0
    for action in started.select_related("collective"):
        if action.is_over(now):
            with transaction.atomic():
                closed += close_needs(action)
    return closed


@transaction.atomic
def do_record_results(member, action, form) -> int:
    """The organizer records counts after the action; copies distributed draw the stock down,
    and the action's needs close.

    Recording again corrects the counts: only the difference in copies is drawn. Returns
    the offers drawn from, each with how many copies.
    """
    before = Action.objects.select_for_update().get(pk=action.pk).copies_distributed or 0
    action = form.save(commit=False)
    action.results_at = timezone.now()
    action.save(update_fields=["copies_distributed", "conversations_started", "want_more",
                               "results_at"])
    drawn = draw_down(action, action.copies_distributed - before) if action.copies_distributed > before else []
    record(action.collective, "action.results", actor=member,
           data={"action": action.pk, "copies": action.copies_distributed,
                 "drawn": sum(n for _offer, n in drawn)})
    close_needs(action)
    return drawn


# --- conversations ---------------------------------------------------------------------------

def month_of(day: date) -> date:
    return day.replace(day=1)


def _tally(collective_id, day: date, **counts) -> None:
    row, _created = MonthlyTally.objects.get_or_create(collective_id=collective_id,
                                                       month=month_of(day))
    MonthlyTally.objects.filter(pk=row.pk).update(**{k: F(k) + v for k, v in counts.items()})


@transaction.atomic
def do_log_conversation(member, form) -> Conversation:
    """Log a conversation. A contact detail is kept only with a yes, sealed, on one channel."""
    data = form.cleaned_data
    conversation = form.save(commit=False)
    conversation.collective_id = member.collective_id
    conversation.logged_by = member
    conversation.topics = data.get("topics", [])
    if data.get("said_yes"):
        conversation.consent_at = timezone.now()
        contact = (data.get("contact") or "").strip()
        conversation.contact_sealed = seal(contact) if contact else None
    else:
        conversation.contact_channel = ""
        conversation.contact_sealed = None
    conversation.save()
    _tally(member.collective_id, conversation.held_on, conversations=1)
    return conversation


def readable_contact(member, conversation) -> str | None:
    """The sealed contact, for the member who logged it or a coordinator (access checked)."""
    if conversation.contact_sealed is None:
        return None
    return unseal(conversation.contact_sealed)


@transaction.atomic
def do_mark_followed_up(member, conversation) -> bool:
    changed = Conversation.objects.filter(pk=conversation.pk, followed_up_at__isnull=True).update(
        followed_up_at=timezone.now())
    if changed:
        _tally(member.collective_id, timezone.localdate(), follow_ups_done=1)
    return bool(changed)


@transaction.atomic
def do_invite_from(member, conversation) -> str:
    """Create an invitation to give the person; returns the token (shown once)."""
    invite, token = do_create_invite(member)
    Conversation.objects.filter(pk=conversation.pk).update(invite=invite)
    conversation.invite = invite
    record(member.collective, "conversation.invited", actor=member,
           data={"conversation": conversation.pk, "invite": invite.pk})
    return token


@transaction.atomic
def do_sync_joins(collective) -> int:
    """Mark conversations whose invitation was used: the person joined (and is counted)."""
    rows = list(Conversation.objects.select_for_update().filter(
        collective=collective, joined_at__isnull=True, invite__used_at__isnull=False)
        .select_related("invite"))
    for conversation in rows:
        Conversation.objects.filter(pk=conversation.pk).update(joined_at=conversation.invite.used_at)
        _tally(collective.pk, timezone.localdate(conversation.invite.used_at), joined=1)
    return len(rows)


def do_expire_conversations(collective, today=None) -> int:
    """Delete conversations older than the collective's period, unless the person joined."""
    today = today or timezone.localdate()
    do_sync_joins(collective)
    with transaction.atomic():
        limit = today - timedelta(days=settings_of(collective).conversation_days)
        gone, _ = Conversation.objects.filter(collective=collective, held_on__lt=limit,
                                              joined_at__isnull=True).delete()
    return gone


@transaction.atomic
def do_change_settings(member, form) -> OrganizingSettings:
    old = OrganizingSettings.objects.get(pk=form.instance.pk).conversation_days
    saved = form.save()
    record(member.collective, "organizing.settings", actor=member,
           decision_ref=form.cleaned_data.get("decision"),
           data={"setting": "conversation_days", "old": old, "new": saved.conversation_days})
    return saved


# --- commitments and care --------------------------------------------------------------------

@transaction.atomic
def do_commit(member, form) -> Commitment:
    commitment = form.save(commit=False)
    commitment.collective_id = member.collective_id
    commitment.member = member
    commitment.save()
    return commitment


@transaction.atomic
def do_check_in(member, commitment, state: str) -> Commitment:
    """Done, or let go: said without blame."""
    if state not in (CommitmentState.DONE, CommitmentState.LET_GO, CommitmentState.DUE):
        raise ValueError(state)
    commitment.state = state
    commitment.save(update_fields=["state", "updated_at"])
    return commitment


@transaction.atomic
def do_ask_for_help(member, commitment, resource, quantity) -> Need:
    """"I need help": an ordinary need of the collective, filled by the planner."""
    resource = resource or resource_on_demand(member.collective, HELP)
    area = commitment.action.area if commitment.action else member.area
    if area is None:
        area = member.collective.areas.first()
    need = Need.objects.create(collective_id=member.collective_id, posted_by=member,
                               resource=resource, quantity=Decimal(quantity), area=area,
                               needed_by=max(commitment.due_on, timezone.localdate()))
    commitment.state = CommitmentState.NEEDS_HELP
    commitment.help_need = need
    commitment.save(update_fields=["state", "help_need", "updated_at"])
    return need


@transaction.atomic
def do_take_break(member, until) -> None:
    """"I need a break": the planner treats the member's offers as paused until then."""
    Member.objects.filter(pk=member.pk).update(on_break_until=until)
    member.on_break_until = until
    record(member.collective, "member.break", actor=member, data={"until": str(until) if until else None})
