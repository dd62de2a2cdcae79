"""What each kind of audit event says, in the reader's language.

The stored ``action`` stays a stable key (``settings.changed``); the page shows these
words. A key without a label here shows as it is, so a new event is never hidden.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinfronteras.assembly.models import Change, Kind
from sinfronteras.members.models import Role
from sinfronteras.web.formats import number

LABELS = {
    "action.created": _("an action was planned"),
    "action.needs_closed": _("an action that is over closed its needs"),
    "action.results": _("an action's results were recorded"),
    "alert.lifted": _("an alert was lifted"),
    "api_token.coordinator_made": _("a coordinator made an API token with a coordinator's power"),
    "alert.raised": _("deliveries in an area were paused by an alert"),
    "area.added": _("an area was added"),
    "area.changed": _("an area was changed"),
    "budget.applied": _("a participatory budget became needs"),
    "catalogue.started": _("the collective started with the starter catalogue"),
    "conversation.invited": _("a person from a conversation was invited"),
    "decision.not_applied": _("a passed decision could not be applied"),
    "member.break": _("a member took a break"),
    "member.left": _("a member left and was erased"),
    "member.removed": _("a member was removed by decision"),
    "member.organisation": _("an account was marked as an organisation's, or a person's, by decision"),
    "need.edited": _("a coordinator edited someone's need"),
    "need.withdrawn": _("a coordinator withdrew someone's need"),
    "offer.edited": _("a coordinator edited someone's offer"),
    "offer.withdrawn": _("a coordinator withdrew someone's offer"),
    "organizing.settings": _("the organizing settings changed"),
    "plan.done": _("a plan was made"),
    "plan.requested": _("a plan was asked for"),
    "plan.no_pickup": _("carries went back to the plan: their givers gave no pickup point in time"),
    "proposal.closed": _("voting closed on a proposal"),
    "proposal.created": _("a proposal was made"),
    "proposal.edited": _("a proposal was changed by its author before any vote"),
    "proposal.withdrawn": _("a proposal was withdrawn by its author"),
    "resource.added": _("a resource was added to the catalogue"),
    "resource.changed": _("a resource of the catalogue was changed"),
    "role.changed": _("a member's role changed by decision"),
    "second_factor.recovery_code_used": _("a coordinator used a recovery code"),
    "second_factor.recovery_codes_made": _("a coordinator made new recovery codes"),
    "second_factor.set_up": _("a coordinator set up a second factor"),
    "settings.changed": _("a planning setting changed by decision"),
}

# The federation's decisions (issue 18), applied when a proposal passes.
LABELS.update({
    "federation.created": _("a federation was created"),
    "federation.joined": _("the collective joined a federation"),
    "federation.member_joined": _("a collective joined the federation with this one's invitation"),
    "federation.round_applied": _("a federation round was applied"),
    "federation.round_refused": _("a federation round was refused: nothing was applied"),
    "federation.create_decided": _("the collective started a federation by decision"),
    "federation.join_decided": _("the collective joined a federation by decision"),
    "federation.left": _("the collective left its federation by decision"),
    "federation.peer_suspended": _("a member collective of the federation was suspended by decision"),
    "federation.peer_resumed": _("a member collective's suspension ended by decision"),
    "federation.key_rotated": _("the collective's federation key was replaced; its peers were told"),
    "federation.round_hours": _("the hours between the federation's rounds changed by decision"),
})


def label(action: str) -> str:
    return str(LABELS.get(action, action))


#: The words for the keys an event's data holds (a key not here shows as it is).
DATA_LABELS = {
    "run": _("plan"), "tasks": _("tasks"), "decisions": _("decisions"), "area": _("area"),
    "proposal": _("proposal"), "kind": _("kind"), "change": _("change"), "passed": _("passed"),
    "voters": _("voters"), "problem": _("problem"), "resource": _("resource"),
    "action": _("action"), "copies": _("copies"), "drawn": _("taken from the offers"),
    "conversation": _("conversation"), "invite": _("invitation"), "setting": _("setting"),
    "old": _("before"), "new": _("after"), "member": _("member"), "member_id": _("member number"),
    "until": _("until"), "replaced": _("replaced"), "resources": _("resources"),
    "hours": _("hours"),
    "need": _("need"), "offer": _("offer"), "name": _("name"), "unit": _("unit"),
    "winners": _("chosen"), "needs": _("needs"), "projects": _("projects"), "members": _("members"),
    "left_out": _("left out"), "left": _("left"), "days": _("days"), "basic": _("basic"),
    # What a replan kept of the deliveries people were told about, and what lifting an alert
    # gave back (a context: plain "kept" and "dropped" mean other things elsewhere).
    "kept": pgettext_lazy("audit", "kept"), "dropped": pgettext_lazy("audit", "dropped"),
    "tasks_back": pgettext_lazy("audit", "deliveries given back"),
    # Federation: what a round, a key rotation, a suspension or leaving recorded.
    "federation": pgettext_lazy("audit", "federation"), "digest": pgettext_lazy("audit", "round digest"),
    "reason": pgettext_lazy("audit", "reason"), "key": pgettext_lazy("audit", "key fingerprint"),
    "told": pgettext_lazy("audit", "peers told"), "not_told": pgettext_lazy("audit", "peers not told"),
    "transfers_ended": pgettext_lazy("audit", "transfers ended"),
    "digests_deleted": pgettext_lazy("audit", "digests deleted"),
}


def _named_value(key: str, value):
    """The words for a stored name: a setting, a change, a kind of proposal, a role."""
    if not isinstance(value, str):
        return None
    if key in ("setting", "change"):
        name, _sep, resource = value.partition(":")
        if name == "basic":
            return f"{_('basic need')}: {resource}" if resource else str(_("basic need"))
        return str(Change(name).label) if name in Change.values and name else None
    if key == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if key in ("old", "new") and value in Role.values:
        return str(Role(value).label)
    return None


def data_value(value) -> str:
    """A stored value in the reader's words: yes/no, numbers as they write them, lists."""
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None:
        return "–"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(data_value(v) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{data_label(k)}: {data_value(v)}" for k, v in value.items())
    return str(value)


def data_label(key: str) -> str:
    return str(DATA_LABELS.get(key, key.replace("_", " ")))


def details(data: dict) -> list[tuple[str, str]]:
    """An event's data as (label, value) pairs for the page."""
    return [(data_label(key), _named_value(key, value) or data_value(value))
            for key, value in (data or {}).items()]
