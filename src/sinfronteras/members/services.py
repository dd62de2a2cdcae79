"""Changes to collectives and membership, each in one transaction."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinfronteras.audit.models import Event, plain, record
from sinfronteras.sharing.models import Need

from .models import ApiToken, Collective, Invite, Member, Role, hash_token
from .signals import member_leaving


class InviteInvalid(Exception):
    """The invitation link is unknown, used or expired."""


class LeaveRefused(Exception):
    """The member cannot leave yet; the message says what to do first."""


class TokenRefused(Exception):
    """An API token cannot be made as asked; the message says what to change."""


@transaction.atomic
def do_create_collective(name: str, *, username: str, password: str, display_name: str = "",
                         language: str = "en") -> tuple[Collective, Member]:
    """Create a collective and its first coordinator."""
    base = slugify(name) or "collective"
    slug, n = base, 1
    while Collective.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    collective = Collective.objects.create(name=name, slug=slug)
    coordinator = Member.objects.create_user(
        username, password, collective=collective, display_name=display_name or username,
        language=language, role=Role.COORDINATOR,
    )
    return collective, coordinator


def do_create_invite(member: Member) -> tuple[Invite, str]:
    """A single-use link that expires; the inviter vouches. Returns (invite, token).

    The token is shown once; only its hash is stored.
    """
    token = Invite.new_token()
    invite = Invite.objects.create(
        collective_id=member.collective_id,
        created_by=member,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITE_DAYS),
    )
    return invite, token


@transaction.atomic
def do_issue_token(member: Member, name: str, *, scope: str = Role.MEMBER, days: int | None = None,
                   verified: bool = False) -> tuple[ApiToken, str]:
    """Make an API token for ``member``; returns (row, token). The token is shown once.

    A token acts as a member unless ``scope`` is ``coordinator``, which only a
    coordinator gets, from a session whose second factor is entered (``verified``).
    It lasts ``days`` (default ``API_TOKEN_DAYS``, at most ``API_TOKEN_MAX_DAYS``); a
    member holds at most ``API_TOKENS_PER_MEMBER`` live tokens. ``TokenRefused`` says
    what to change otherwise.
    """
    name = (name or "").strip()
    days = settings.API_TOKEN_DAYS if days is None else days
    if not name or len(name) > 60:
        raise TokenRefused(_("Give the token a name of up to 60 characters, e.g. the phone or "
                             "script that uses it."))
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise TokenRefused(_("A token lasts from 1 to %(most)s days.")
                           % {"most": settings.API_TOKEN_MAX_DAYS})
    if scope not in Role.values:
        raise TokenRefused(_("A token acts as a member or as a coordinator."))
    if scope == Role.COORDINATOR and member.role != Role.COORDINATOR:
        raise TokenRefused(_("Only a coordinator can make a token with a coordinator's power."))
    if scope == Role.COORDINATOR and not verified:
        raise TokenRefused(_("Enter your second factor first: a token with a coordinator's power "
                             "is made only after it."))
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one count at a time
    if ApiToken.objects.live().filter(member=member).count() >= settings.API_TOKENS_PER_MEMBER:
        raise TokenRefused(_("You already hold %(most)s tokens, the most one member may. Revoke "
                             "one you no longer use, then make this one.")
                           % {"most": settings.API_TOKENS_PER_MEMBER})
    row, token = ApiToken.issue(member, name, scope=scope, days=days)
    if scope == Role.COORDINATOR:
        record(member.collective, "api_token.coordinator_made", actor=member,
               data={"days": days})
    return row, token


def find_invite(token: str) -> Invite:
    invite = Invite.objects.usable().select_related("collective", "created_by").filter(
        token_hash=hash_token(token)
    ).first()
    if invite is None:
        raise InviteInvalid(token)
    return invite


@transaction.atomic
def do_accept_invite(token: str, *, username: str, password: str, display_name: str,
                     language: str, area=None) -> Member:
    """Sign up through an invitation. Exactly one sign-up can use it, even under races."""
    invite = find_invite(token)
    member = Member.objects.create_user(
        username, password, collective=invite.collective, display_name=display_name,
        language=language, area=area, vouched_by=invite.created_by,
    )
    claimed = Invite.objects.usable().filter(pk=invite.pk).update(
        used_at=timezone.now(), used_by=member
    )
    if claimed != 1:
        raise InviteInvalid(token)  # rolls the new member back with the transaction
    return member


#: The planning settings that only a decision of the members may change.
PLANNING_SETTINGS = ("retention_days", "default_radius_km", "horizon_days", "basic", "default_quorum")
PLANNING_SETTINGS += ("pickup_hours",)  # hours a giver has to give a pickup point
#: Settings of how the collective decides, not of the plan: they shape no plan.
DECIDING_SETTINGS = ("default_quorum",)
# -- How long a vote stays open, and what one carrier can take on (``Collective``'s block).
CAPACITY_SETTINGS = ("carrier_live_addresses", "carrier_hours_week", "carrier_reach_km",
                     "carrier_areas")
PLANNING_SETTINGS += ("min_voting_hours",) + CAPACITY_SETTINGS
DECIDING_SETTINGS += ("min_voting_hours",)
# -- end


@transaction.atomic
def do_change_setting(collective, name: str, value, *, decision_ref: int, resource=None):
    """Apply a passed decision to a planning setting, and record it in the audit log.

    ``name`` is ``retention_days``, ``default_radius_km``, ``horizon_days``, ``default_quorum``
    (a share from 0.01 to 1), or ``basic`` (with ``resource``: whether that resource counts
    as a basic need).
    """
    if name == "basic":
        if resource is None or resource.collective_id != collective.pk:
            raise ValueError("Changing 'basic' needs a resource of this collective.")
        old = resource.basic
        resource.basic = bool(value)
        resource.save(update_fields=["basic"])
        key = f"basic:{resource.key}"
    elif name in PLANNING_SETTINGS:
        old = getattr(collective, name)
        setattr(collective, name, value)
        collective.full_clean(exclude=["slug", "name"])
        collective.save(update_fields=[name])
        key = name
    else:
        raise ValueError(f"{name!r} is not a planning setting; use one of {PLANNING_SETTINGS}.")
    record(collective, "settings.changed", decision_ref=decision_ref,
           data={"setting": key, "old": plain(old), "new": plain(value)})


@transaction.atomic
def do_change_role(collective, member, role: str, *, decision_ref: int) -> None:
    """Apply a passed decision that makes ``member`` a coordinator or a member again.

    Roles change only this way, and a change ends the member's API tokens. A collective
    keeps at least one active coordinator:
    a decision that would leave none is refused (``ValueError``), and so is one about
    somebody who has left or belongs elsewhere.
    """
    _refuse_one_who_left(collective, member)
    if role not in Role.values:
        raise ValueError(f"{role!r} is not a role; use one of {Role.values}.")
    if role == Role.MEMBER:
        _refuse_the_last_coordinator(member)
    old = member.role
    member.role = role
    member.save(update_fields=["role"])
    if old != role:
        member.api_tokens.all().delete()  # a token made for the old role must not outlive it
    record(collective, "role.changed", decision_ref=decision_ref,
           data={"member": member.display_name, "member_id": member.pk, "old": old, "new": role})


@transaction.atomic
def do_mark_organisation(collective, member, organisation: bool, *, decision_ref: int) -> None:
    """Apply a passed decision that marks an account as an organisation's (it no longer
    votes or counts in the quorum) or as a person's again. A coordinator stays a person."""
    _refuse_one_who_left(collective, member)
    if organisation and member.role == Role.COORDINATOR:
        raise ValueError("A coordinator is a person: make them a member first.")
    old = member.is_organisation
    member.is_organisation = bool(organisation)
    member.save(update_fields=["is_organisation"])
    record(collective, "member.organisation", decision_ref=decision_ref,
           data={"member": member.display_name, "member_id": member.pk, "old": old,
                 "new": member.is_organisation})


def decisions_in_force(collective) -> list[int]:
    """The decisions that shape the next plan, in order.

    For each planning setting, the latest decision that changed it; and each
    participatory budget whose chosen projects still wait as open needs.
    """
    latest: dict[str, int] = {}
    events = Event.objects.filter(collective=collective, action="settings.changed",
                                  decision_ref__isnull=False).order_by("created_at", "pk")
    for event in events:
        if event.data.get("setting") not in DECIDING_SETTINGS:
            latest[event.data.get("setting", "")] = event.decision_ref
    budgets = Event.objects.filter(collective=collective, action="budget.applied",
                                   decision_ref__isnull=False)
    open_needs = set(Need.objects.open().filter(collective=collective).values_list("pk", flat=True))
    for event in budgets:
        if open_needs.intersection(event.data.get("needs", [])):
            latest[f"budget:{event.decision_ref}"] = event.decision_ref
    return sorted(set(latest.values()))


@transaction.atomic
def do_leave(member) -> None:
    """A member leaves and is erased.

    Tasks they carry go back to the pool; their open needs and active offers are
    withdrawn (so nothing they held stays committed), then the member is deleted with
    everything that is theirs: needs, offers, conversations they logged, commitments,
    invitations, API tokens, second factors. Ballots stay counted with no link to them;
    the audit log keeps that a member left, not who. The collective's last coordinator
    cannot leave (``LeaveRefused``) until the members choose another.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    try:
        _refuse_the_last_coordinator(member)  # under row locks: two cannot leave at once
    except ValueError:
        raise LeaveRefused(_("You are the collective's only coordinator. Propose that another "
                             "member becomes one; once it passes, you can leave.")) from None
    _release_everything(member)
    _erase(member)
    record(member.collective, "member.left")


def _erase(member) -> None:
    """Delete the member and, through the database's cascades, everything that is theirs."""
    _forget_in_the_log(member)
    member.delete()


@transaction.atomic
def do_erase_removed_members(now=None) -> int:
    """Removed members are erased once the retention their collective decided has passed."""
    now = now or timezone.now()
    erased = 0
    for collective in Collective.objects.all():
        limit = now - timedelta(days=collective.retention_days)
        for member in Member.objects.filter(collective=collective, is_active=False,
                                            removed_at__lt=limit):
            _erase(member)
            erased += 1
    return erased


@transaction.atomic
def do_remove_member(collective, member, *, decision_ref: int) -> None:
    """Apply a passed decision that removes a member: they can no longer log in or use a token.

    What they carry goes back to the pool and their open needs and active offers are
    withdrawn, as when somebody leaves; unlike leaving, nothing is erased at once:
    housekeeping erases them after the retention the members decided. The last
    coordinator is not removed.
    """
    _refuse_one_who_left(collective, member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    _refuse_the_last_coordinator(member)
    _release_everything(member)
    member.api_tokens.all().delete()
    member.invites_created.filter(used_at__isnull=True).delete()
    member.is_active, member.role, member.removed_at = False, Role.MEMBER, timezone.now()
    member.save(update_fields=["is_active", "role", "removed_at"])
    record(collective, "member.removed", decision_ref=decision_ref,
           data={"member": member.display_name, "member_id": member.pk})


def _refuse_one_who_left(collective, member) -> None:
    if member is None or member.collective_id != collective.pk or not member.is_active:
        raise ValueError("The member this decision names has left the collective.")


def _refuse_the_last_coordinator(member) -> None:
    coordinators = Member.objects.select_for_update().filter(
        collective_id=member.collective_id, role=Role.COORDINATOR, is_active=True)
    if list(coordinators) == [member]:
        raise ValueError("This would leave the collective without a coordinator.")


def _release_everything(member) -> None:
    """What the member holds is given back: the collective's needs they posted go to another
    coordinator, and the apps that keep the member's tasks, needs and offers release them
    (receivers of :data:`member_leaving`, e.g. ``plans.signals``)."""
    _hand_over_the_collectives_needs(member)
    member_leaving.send(sender=Member, member=member)


def _hand_over_the_collectives_needs(member) -> None:
    """A budget's projects are the collective's (``assembly.ProjectNeed``), posted in its name
    by a coordinator: when that person leaves, another active coordinator answers for them."""
    heir = (Member.objects.filter(collective_id=member.collective_id, role=Role.COORDINATOR,
                                  is_active=True, is_organisation=False)
            .exclude(pk=member.pk).order_by("pk").first())
    if heir is not None:
        member.needs.open().filter(project_link__isnull=False).update(posted_by=heir)


def _forget_in_the_log(member) -> None:
    """The log keeps that a decision changed a role; a member who left is no longer named."""
    for event in Event.objects.filter(collective_id=member.collective_id,
                                      action__in=["role.changed", "member.removed",
                                                  "member.organisation"],
                                      data__member_id=member.pk):
        event.data = {k: v for k, v in event.data.items() if k != "member_id"} | {"member": "-"}
        event.save(update_fields=["data"])
