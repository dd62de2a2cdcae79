"""Plan runs, their allocations, and the tasks that carry them out.

A plan run reads open needs and active offers, calls the planning library, and
stores what it decided. Each allocation becomes a task: a hand-over when giver
and receiver share an area, else a carry by a volunteer who offered transport.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sealing import Unreadable, unseal

ACTIVE_RUN = Q(status__in=["queued", "running"])


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class PlanRun(models.Model):
    collective = models.ForeignKey("members.Collective", models.CASCADE, related_name="plan_runs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: The settings in force (retention, default reach, basic resources) and the
    #: decisions behind them.
    parameters = models.JSONField(default=dict, blank=True)
    decisions = models.JSONField(default=list, blank=True)
    #: The planner's summary (tiers, distance, shortage report), the carriers stage,
    #: and what one-request-at-a-time matching would have done.
    summary = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    #: Rows the run could not plan and left out, each ``{"kind": "need" or "offer", "id",
    #: "reason", "detail"}`` (reasons in ``screen.REASONS``); the rest was planned.
    left_out = models.JSONField(default=list, blank=True)
    #: The problem the planner was given and the plan document it (or a federation round's
    #: share) returned, both format v1, with the run's own ids (``n12``, ``o3``, ``a5``): what
    #: ``plan-export`` and the plan page's download give any member to check the plan.
    problem_doc = models.JSONField(default=dict, blank=True)
    plan_doc = models.JSONField(default=dict, blank=True)

    #: The fields that hold a whole problem or plan (megabytes in a large collective): a
    #: query that only needs a run's times and status defers them.
    DOCUMENTS = ("parameters", "decisions", "summary", "left_out", "problem_doc", "plan_doc")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two runs of one collective never overlap.
            models.UniqueConstraint(fields=["collective"], condition=ACTIVE_RUN,
                                    name="one_active_plan_run_per_collective"),
        ]

    def __str__(self) -> str:
        return f"plan run #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class NeedOutcome(models.Model):
    """What a run gave one need: how much, which tier, and why not more."""

    run = models.ForeignKey(PlanRun, models.CASCADE, related_name="outcomes")
    need = models.ForeignKey("sharing.Need", models.CASCADE, related_name="outcomes")
    met = models.DecimalField(max_digits=12, decimal_places=3)
    fraction = models.FloatField()
    tier = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "need"], name="one_outcome_per_need")]


class Allocation(models.Model):
    """A quantity of an offer that goes to a need."""

    run = models.ForeignKey(PlanRun, models.CASCADE, related_name="allocations")
    offer = models.ForeignKey("sharing.Offer", models.CASCADE, related_name="allocations")
    need = models.ForeignKey("sharing.Need", models.CASCADE, related_name="allocations")
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    km = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"allocation #{self.pk}"


class TaskKind(models.TextChoices):
    HANDOVER = "handover", _("hand-over")
    CARRY = "carry", _("carry")


class TaskState(models.TextChoices):
    OPEN = "open", _("looking for a carrier")
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    DONE = "done", _("done")
    DECLINED = "declined", _("declined")
    EXPIRED = "expired", _("expired")
    SUPERSEDED = "superseded", _("replanned")
    #: The giver gave no pickup point in time (``Collective.pickup_hours``): back to the plan.
    NO_PICKUP = "no_pickup", _("back to the plan: no pickup point")


class DropReason(models.TextChoices):
    """Why a task its people were told about was dropped (read on their pages)."""

    REPLANNED = "replanned", _("the plan was made again")
    ALERT = "alert", _("an alert paused it")


#: A task is live while it may still be carried out.
LIVE_STATES = [TaskState.OPEN, TaskState.PROPOSED, TaskState.ACCEPTED]
LIVE_TASK = Q(state__in=LIVE_STATES)


class Task(models.Model):
    """Carry out one allocation: hand over in one area, or carry between two.

    The carrier is the giver for a hand-over, or a volunteer with a transport
    offer for a carry; ``carrier_offer`` is that transport offer, whose hours the
    task uses.
    """

    run = models.ForeignKey(PlanRun, models.CASCADE, related_name="tasks")
    allocation = models.ForeignKey(Allocation, models.CASCADE, related_name="tasks")
    need = models.ForeignKey("sharing.Need", models.CASCADE, related_name="tasks")
    offer = models.ForeignKey("sharing.Offer", models.CASCADE, related_name="tasks")
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    kind = models.CharField(max_length=10, choices=TaskKind.choices)
    state = models.CharField(max_length=10, choices=TaskState.choices, default=TaskState.PROPOSED)
    carrier = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="carried_tasks")
    carrier_offer = models.ForeignKey("sharing.Offer", models.SET_NULL, null=True, blank=True,
                                      related_name="carried_tasks")
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    km = models.FloatField(default=0)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    #: The window is a concrete time the people of the task said they can ("Saturday
    #: 7 December, 10:00–12:00"), not just a deadline.
    timed = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # The person in need and the giver see each other's display name only if both agreed.
    receiver_shares_name = models.BooleanField(default=False)
    giver_shares_name = models.BooleanField(default=False)
    #: Why a task its people were told about was dropped, and when (blank: it was not).
    dropped_reason = models.CharField(max_length=20, choices=DropReason.choices, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)
    #: The alert that paused it: lifting the alert gives it back if the plan still can.
    paused_by = models.ForeignKey("AreaAlert", models.SET_NULL, null=True, blank=True,
                                  related_name="paused_tasks")

    class Meta:
        ordering = ["window_end", "pk"]
        constraints = [
            # One live task per allocation: its carrier is one person, never two.
            models.UniqueConstraint(fields=["allocation"], condition=LIVE_TASK,
                                    name="one_live_task_per_allocation"),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "done"]) | Q(carrier__isnull=False),
                name="accepted_task_has_a_carrier"),
            models.CheckConstraint(condition=Q(window_end__gt=models.F("window_start")),
                                   name="task_window_is_not_empty"),
        ]

    def __str__(self) -> str:
        return f"task #{self.pk} ({self.kind}, {self.state})"

    def in_window(self, now=None) -> bool:
        now = now or timezone.now()
        return self.window_start <= now <= self.window_end

    @property
    def giver_id(self) -> int:
        return self.offer.posted_by_id

    @property
    def receiver_id(self) -> int:
        return self.need.posted_by_id

    def role_of(self, member) -> str | None:
        """``"giver"``, ``"carrier"`` or ``"receiver"`` for the people of the task, else None.

        Coordinators are not people of a task: they see it, never its messages.
        """
        if member.pk == self.offer.posted_by_id:
            return "giver"
        if member.pk == self.carrier_id and self.state != TaskState.DECLINED:
            return "carrier"  # a carrier who declined is no longer one of its people
        if member.pk == self.need.posted_by_id:
            return "receiver"
        return None


class TaskSeen(models.Model):
    """When one of a task's people last opened its page: the messages after that are new
    to them (the badge on *My tasks*). A time only, never what they read."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="seen_by")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "member"], name="one_seen_per_task_member")]

    def __str__(self) -> str:
        return f"task #{self.task_id} seen"


class SealedAddress(models.Model):
    """A delivery address or meeting point, encrypted; readable only by the carrier
    of an accepted task during its window, then destroyed (the row is deleted).

    The keys live outside the database (``SEAL_KEYS`` or ``SEAL_KEY_FILE``); only
    ciphertext is stored. The string form never shows the address.
    """

    need = models.OneToOneField("sharing.Need", models.CASCADE, related_name="sealed_address")
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"sealed address of need #{self.need_id}"


class SealedPickup(models.Model):
    """Where a member's offer is picked up, encrypted like a delivery address: readable
    only by the carrier of an accepted carry of that offer during its window, destroyed
    when the carry is done (or its window lapses, or the offer ends)."""

    offer = models.OneToOneField("sharing.Offer", models.CASCADE, related_name="sealed_pickup")
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"sealed pickup point of offer #{self.offer_id}"


class MessageRole(models.TextChoices):
    GIVER = "giver", _("giver")
    CARRIER = "carrier", _("carrier")
    RECEIVER = "receiver", _("receiver")


#: A task message is short: arranging a hand-over, not a conversation.
MESSAGE_MAX = 500


class TaskMessage(models.Model):
    """A note between the people of one task (giver, carrier, receiver), shown with their
    role only. Sealed like an address (people write times and places in them), so that
    neither the database nor its query log holds the words. Deleted with the task, and by
    housekeeping once the task has ended; never in a notification, a log or the string
    form."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=MessageRole.choices)
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message #{self.pk} on task #{self.task_id}"

    @property
    def text(self) -> str:
        """The words, for the task's page only; empty when no configured key opens them."""
        try:
            return unseal(self.ciphertext)
        except Unreadable:
            return ""


class AlertQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(lifted_at__isnull=True, until__gt=now or timezone.now())

    def on_in(self, collective_id, now=None):
        """The alerts on now in one collective, soonest to end first."""
        return self.active(now).filter(collective_id=collective_id).order_by("until")


class AreaAlert(models.Model):
    """Deliveries in an area are paused (a raid reported there) until lifted or ``until``.

    While it is on, the planner leaves the area's needs and offers out, nobody takes or
    accepts a task that starts or ends there, and no address there is shown.
    """

    collective = models.ForeignKey("members.Collective", models.CASCADE, related_name="alerts")
    area = models.ForeignKey("members.Area", models.CASCADE, related_name="alerts",
                             verbose_name=_("area"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"alert #{self.pk} in {self.area}"
