"""What a member is told about, and the one generic sentence each kind says.

A note carries no name, address, area or amount: only that something happened and
the page to open, so a notification seen on a locked screen, kept by a push service
or read by a phone company reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise  # what the preferences form calls it
    sentence: Promise  # what the note says
    path: str  # the page it opens unless the event gives a closer one


KINDS = {kind.key: kind for kind in [
    Kind("task_proposed", _("A new task is proposed to you"), _("You have a new task."), "/tasks/"),
    Kind("need_on_its_way", _("What you asked for is on its way"),
         _("What you asked for is on its way."), "/needs/"),
    Kind("task_message", _("A message on one of your tasks"),
         _("You have a new message on one of your tasks."), "/tasks/"),
    Kind("alert_raised", _("An alert is raised in your area"),
         _("An alert was raised near you: deliveries there are paused."), "/alerts/"),
    Kind("alert_lifted", _("An alert in your area is lifted"),
         _("An alert near you was lifted."), "/alerts/"),
    Kind("vote_closes_tomorrow", _("A vote you can take part in closes tomorrow"),
         _("A vote you can take part in closes tomorrow."), "/decisions/"),
    Kind("task_dropped", _("A delivery you were told about is dropped"),
         _("A delivery you were told about changed: open the page to read why."), "/tasks/"),
    # The giver of a carry (giver -> carrier -> family): someone comes to pick it up.
    Kind("carry_planned", _("A carrier will pick up something you give"),
         _("A carrier will pick up something you give: see where and when."), "/tasks/"),
]}

TASK_PROPOSED = "task_proposed"
NEED_ON_ITS_WAY = "need_on_its_way"
TASK_MESSAGE = "task_message"
ALERT_RAISED = "alert_raised"
ALERT_LIFTED = "alert_lifted"
VOTE_CLOSES_TOMORROW = "vote_closes_tomorrow"
TASK_DROPPED = "task_dropped"
CARRY_PLANNED = "carry_planned"

#: The title every note has: the site's name, nothing about the event.
TITLE = "sinfronteras"


class UnknownKind(ValueError):
    """A kind of note that ``KINDS`` does not list."""


def kind_of(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownKind(f"no kind of note called {key!r}; kinds: {', '.join(KINDS)}") from None


def clean_path(path: str | None, kind: Kind) -> str:
    """A page of this site: a path starting with one slash; anything else is the kind's page."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return kind.path
    return path
