"""What a member can do by texting, in Spanish or English, whatever their language:

- ``COMIDA 5 URGENTE`` / ``FOOD 5 URGENT``: a need in the member's area;
- ``TAREAS`` / ``TASKS``: their tasks, by number;
- ``SI 12`` / ``YES 12`` accepts task 12, ``NO 12`` declines it;
- ``ALERTA`` / ``ALERT`` (``ALERT 6``: for 6 hours): pause deliveries in their area;
- anything else: a short help.

The reply is in the member's language and says nothing the member did not text (no
name, address, area or amount of anyone): phone companies read SMS.
"""

from __future__ import annotations

import re
import time
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from sinfronteras.numbers import NumberRefused
from sinfronteras.numbers import parse as parse_number
from sinfronteras.plans.alerts import MAX_HOURS, do_raise_alert
from sinfronteras.plans.lifecycle import TaskRefused, do_accept, do_decline
from sinfronteras.plans.models import AreaAlert, Task, TaskState
from sinfronteras.sharing.forms import NeedForm
from sinfronteras.sharing.models import Resource
from sinfronteras.sharing.services import IdempotencyConflict, do_create_need

TASKS = {"TAREAS", "TAREA", "TASKS", "TASK"}
YES = {"SI", "YES"}
NO = {"NO"}
ALERT = {"ALERTA", "ALERT"}
URGENT = {"URGENTE", "URGENT"}
#: An alert by SMS lasts this long unless the member says how many hours.
ALERT_HOURS = 12
MAX_TASKS_LISTED = 8
NUMBER = re.compile(r"^\d{1,9}(?:[.,]\d{1,3})?$")
#: A minus before a number ("FOOD -5", "FOOD - 5", a typographic minus or dash): the
#: amount would read as 5 once the sign is dropped with the other punctuation.
NEGATIVE = re.compile(r"(?:^|[\s(:])[-\u2212\u2013\u2014]\s*\d")


def plain(text: str) -> str:
    """Upper case, no accents, single spaces: "  Sí  12 " -> "SI 12".

    >>> plain("  Pañales  3 urgente ")
    'PANALES 3 URGENTE'
    """
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    words = (word.strip(".,") for word in re.sub(r"[^\w.,]+", " ", stripped.upper()).split())
    return " ".join(word for word in words if word)


def reply_to(member, text: str, event_id: str = "") -> str:
    """Do what the SMS asks and say what happened, in the member's language."""
    with translation.override(member.language or "en"):
        if _too_many(member):
            return _("Too many messages in a minute. Wait a minute and try again.")
        words = plain(text).split()
        if not words:
            return help_text()
        if NEGATIVE.search(text):
            return _("Numbers here are above 0: write e.g. FOOD 5, or TASKS, or YES 12.")
        first, rest = words[0], words[1:]
        if first in TASKS and not rest:
            return _list_tasks(member)
        if first in YES | NO:
            return _answer(member, first in YES, rest)
        if first in ALERT:
            return _alert(member, rest)
        return _need(member, words, event_id)


def help_text() -> str:
    return _("Text FOOD 5 URGENT to ask for something; TASKS for your tasks; YES 12 or NO 12 "
             "to answer task 12; ALERT to pause deliveries in your area.")


def _too_many(member) -> bool:
    """The same per-minute write limit as the site and the API (WRITES_PER_MINUTE)."""
    now = int(time.time())
    key = f"writes:member:{member.pk}:{now // 60}"
    cache.add(key, 0, timeout=61)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=61)
        count = 1
    return count > settings.WRITES_PER_MINUTE


def _list_tasks(member) -> str:
    tasks = list(Task.objects.filter(carrier=member, state__in=[TaskState.PROPOSED,
                                                                TaskState.ACCEPTED])
                 .order_by("window_start", "pk").values_list("pk", "state")[:MAX_TASKS_LISTED + 1])
    if not tasks:
        return _("No tasks for you now.")
    parts = [(_("%(n)d: waiting for your YES or NO") if state == TaskState.PROPOSED
              else _("%(n)d: accepted")) % {"n": pk} for pk, state in tasks[:MAX_TASKS_LISTED]]
    more = _(" More on the site.") if len(tasks) > MAX_TASKS_LISTED else ""
    return _("Your tasks: %(list)s.") % {"list": "; ".join(parts)} + more


def _answer(member, yes: bool, rest: list[str]) -> str:
    if len(rest) != 1 or not rest[0].isdigit() or len(rest[0]) > 12:
        return (_("Which task? Write YES and its number, e.g. YES 12. Text TASKS for the list.")
                if yes else
                _("Which task? Write NO and its number, e.g. NO 12. Text TASKS for the list."))
    pk = int(rest[0])
    task = Task.objects.filter(pk=pk, carrier=member).first()
    if task is None:
        return _("Task %(n)d is not yours. Text TASKS for your list.") % {"n": pk}
    try:
        if yes:
            do_accept(member, task)
            return _("Task %(n)d accepted. Thank you! The details are on the site.") % {"n": pk}
        do_decline(member, task)
        return _("Task %(n)d declined: it goes back to the pool.") % {"n": pk}
    except TaskRefused as refusal:
        return str(refusal)


def _alert(member, rest: list[str]) -> str:
    if member.area_id is None:
        return _("Choose your area on the site first; then ALERT pauses deliveries there.")
    hours = ALERT_HOURS
    if rest:
        if len(rest) != 1 or not rest[0].isdigit() or not 1 <= int(rest[0]) <= MAX_HOURS:
            return _("Give 1 to %(max)d hours, e.g. ALERT 12, or just ALERT.") % {"max": MAX_HOURS}
        hours = int(rest[0])
    if AreaAlert.objects.on_in(member.collective_id).filter(area_id=member.area_id).exists():
        return _("An alert is already on in your area. Deliveries there are paused.")
    do_raise_alert(member, member.area, hours)
    return _("Alert raised in your area for %(hours)d hours: deliveries there are paused.") % {
        "hours": hours}


def _resource_named(member, name: str):
    for resource in Resource.objects.filter(collective_id=member.collective_id):
        names = {plain(resource.name_en), plain(resource.name_es), plain(resource.key.replace("-", " "))}
        if name in names:
            return resource
    return None


def _examples(member) -> str:
    names = [r.name.upper() for r in Resource.objects.filter(collective_id=member.collective_id,
                                                             carries=False)[:4]]
    return ", ".join(names)


def _need(member, words: list[str], event_id: str) -> str:
    if len(words) > 1 and NUMBER.match(words[0]):  # "5 COMIDA URGENTE" reads the same
        urgent = words[-1:] if words[-1] in URGENT else []
        words = [*words[1:len(words) - len(urgent)], words[0], *urgent]
    at = next((i for i, word in enumerate(words) if NUMBER.match(word)), None)
    name_words = words if at is None else words[:at]
    resource = _resource_named(member, " ".join(name_words)) if name_words else None
    if resource is None:
        if at is None and len(words) == 1:
            return help_text()
        return _("No such thing here: %(name)s. Try one of %(names)s, e.g. FOOD 5.") % {
            "name": " ".join(name_words)[:30] or "?", "names": _examples(member)}
    if at is None:
        return _("Say how much, e.g. %(name)s 5.") % {"name": resource.name.upper()}
    after = words[at + 1:]
    if len(after) > 1 or (after and after[0] not in URGENT):
        return _("Write the thing, how much, and URGENT if it is, e.g. FOOD 5 URGENT.")
    try:  # the one number parser of the site: "1,5" and "1.5"; "1.500" is asked about
        quantity = parse_number(words[at])
    except NumberRefused as refused:
        if refused.code == "ambiguous":
            return refused.sentence()
        quantity = Decimal(0)
    if quantity <= 0:
        return _("Say how much with a number above 0, e.g. %(name)s 5.") % {"name": resource.name.upper()}
    step = getattr(resource, "step", None)
    if step and quantity % Decimal(step):
        step = Decimal(step).normalize()
        lower = (quantity // step) * step or step
        return _("%(name)s comes in steps of %(step)s: write %(a)s or %(b)s.") % {
            "name": resource.name.upper(), "step": f"{step:f}", "a": f"{lower:f}",
            "b": f"{lower + step:f}"}
    if member.area_id is None:
        return _("Choose your area on the site first; then you can ask by SMS.")
    return _post_need(member, resource, quantity, bool(after), event_id)


def _post_need(member, resource, quantity, urgent: bool, event_id: str) -> str:
    form = NeedForm({"resource": resource.pk, "quantity": quantity, "area": member.area_id,
                     "urgent": "on" if urgent else "", "needed_by": ""}, member=member)
    if not form.is_valid():
        return _("That amount does not work. Write e.g. %(name)s 5.") % {"name": resource.name.upper()}
    try:
        do_create_need(member, form, idempotency_key=f"sms:{event_id}"[:64] if event_id else None)
    except IdempotencyConflict:
        pass  # the gateway sent the same SMS twice: the first one made the need
    said = f"{resource.name.upper()} {quantity.normalize():f}"
    if urgent:
        return _("Asked for: %(what)s, urgent. Thank you for telling us.") % {"what": said}
    return _("Asked for: %(what)s. Thank you for telling us.") % {"what": said}
