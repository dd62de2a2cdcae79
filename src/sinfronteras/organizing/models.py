"""Organizing: actions, outreach conversations, commitments, and the counts they leave.

An action's needs (copies of the newspaper, hours of people present) are ordinary
needs of the collective, filled by members' offers through the one planner.
A conversation keeps a first name or nickname only, and a contact detail only
after a recorded yes, sealed, on the one channel the person chose; it expires
after the period the collective decided unless the person joined. What stays
afterwards are counts (:class:`MonthlyTally`), never people.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.members.models import Area, Collective


class OrganizingSettings(models.Model):
    """What the collective decided about its organizing records."""

    collective = models.OneToOneField(Collective, models.CASCADE, related_name="organizing")
    conversation_days = models.PositiveIntegerField(
        _("days a conversation is kept"), default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("After this many days a conversation is deleted, unless the person joined."))

    def __str__(self) -> str:
        return f"organizing settings of {self.collective}"


class Action(models.Model):
    """Something the collective does together: a rally, a distribution, a door-knock."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="actions")
    organizer = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  related_name="actions", verbose_name=_("organizer"))
    title = models.CharField(_("what"), max_length=120)
    area = models.ForeignKey(Area, models.CASCADE, related_name="+", verbose_name=_("area"))
    starts_at = models.DateTimeField(_("when"))
    #: The material handed out (newspaper copies, flyers, ...) and how many are needed.
    material = models.ForeignKey("sharing.Resource", models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("material"))
    copies = models.PositiveIntegerField(_("copies needed"), default=0)
    people = models.PositiveIntegerField(_("people needed"), default=0)
    hours_each = models.DecimalField(_("hours each"), max_digits=5, decimal_places=2, default=0)
    # Results, counts only, recorded by the organizer afterwards.
    copies_distributed = models.PositiveIntegerField(_("copies distributed"), null=True, blank=True)
    conversations_started = models.PositiveIntegerField(_("conversations started"), null=True,
                                                        blank=True)
    want_more = models.PositiveIntegerField(_("people who want to hear more"), null=True, blank=True)
    results_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours_each__gte=0), name="action_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_results(self) -> bool:
        return self.results_at is not None

    @property
    def ends_at(self):
        return self.starts_at + timedelta(hours=float(self.hours_each or 0))

    def is_over(self, now=None) -> bool:
        """Over once it has ended or its results are recorded: its needs are closed."""
        return self.has_results or self.ends_at <= (now or timezone.now())


class ActionNeed(models.Model):
    """A need of the collective that an action declared."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="links")
    need = models.OneToOneField("sharing.Need", models.CASCADE, related_name="action_link")

    def __str__(self) -> str:
        return f"need #{self.need_id} of action #{self.action_id}"


class Topic(models.TextChoices):
    RAIDS = "raids", _("raids")
    BORDERS = "borders", _("borders")
    WORK = "work", _("work")
    HOUSING = "housing", _("housing")
    SCHOOL = "school", _("school")
    HEALTH = "health", _("health")
    RIGHTS = "rights", _("know your rights")


class Interest(models.TextChoices):
    LISTENING = "listening", _("listened")
    INTERESTED = "interested", _("interested")
    EAGER = "eager", _("wants to get involved")


class Channel(models.TextChoices):
    """The one way a person said they want to be contacted."""

    IN_PERSON = "in_person", _("in person, at the next action")
    CALL = "call", _("a call")
    TEXT = "text", _("a text message")
    SIGNAL = "signal", _("Signal")
    WHATSAPP = "whatsapp", _("WhatsApp")
    MESSAGE = "message", _("e-mail")


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, member):
        """The member who logged it and the coordinators of the collective; nobody else."""
        mine = self.filter(collective_id=member.collective_id)
        return mine if member.is_coordinator else mine.filter(logged_by=member)


class Conversation(models.Model):
    """An outreach conversation. Never exported; deleted after the collective's period."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="conversations")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                                  related_name="conversations_logged")
    area = models.ForeignKey(Area, models.CASCADE, related_name="+", verbose_name=_("area"))
    action = models.ForeignKey(Action, models.SET_NULL, null=True, blank=True,
                               related_name="conversations", verbose_name=_("at an action"))
    held_on = models.DateField(_("date"))
    nickname = models.CharField(_("first name or nickname"), max_length=30)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    interest = models.CharField(_("how interested"), max_length=12, choices=Interest.choices)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="follow_ups",
                                     verbose_name=_("who follows up"))
    followed_up_at = models.DateTimeField(null=True, blank=True)
    #: The recorded yes to being contacted, the one channel chosen, and the detail, sealed.
    consent_at = models.DateTimeField(null=True, blank=True)
    contact_channel = models.CharField(_("how they want to be contacted"), max_length=12,
                                       choices=Channel.choices, blank=True)
    contact_sealed = models.BinaryField(null=True, blank=True, editable=False)
    invite = models.ForeignKey("members.Invite", models.SET_NULL, null=True, blank=True,
                               related_name="+")
    joined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            # A contact detail exists only with a recorded yes and a chosen channel.
            models.CheckConstraint(
                condition=Q(contact_sealed__isnull=True)
                | (Q(consent_at__isnull=False) & ~Q(contact_channel="")),
                name="conversation_contact_needs_consent"),
        ]

    def __str__(self) -> str:
        return f"conversation #{self.pk}"

    @property
    def has_contact(self) -> bool:
        return self.contact_sealed is not None

    def follow_up_due(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.follow_up_on is not None and self.followed_up_at is None
                and self.follow_up_on <= today)


class CommitmentState(models.TextChoices):
    DUE = "due", _("due")
    DONE = "done", _("done")
    NEEDS_HELP = "needs_help", _("needs help")
    LET_GO = "let_go", _("let go")


class Commitment(models.Model):
    """What a member said they would do, by a date. Seen by the collective, kindly."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="commitments")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="commitments")
    what = models.CharField(_("what you commit to"), max_length=120)
    due_on = models.DateField(_("by"))
    action = models.ForeignKey(Action, models.SET_NULL, null=True, blank=True,
                               related_name="commitments", verbose_name=_("for an action"))
    state = models.CharField(max_length=12, choices=CommitmentState.choices,
                             default=CommitmentState.DUE)
    help_need = models.ForeignKey("sharing.Need", models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what

    def overdue(self, today=None) -> bool:
        return self.state == CommitmentState.DUE and self.due_on < (today or timezone.localdate())


class MonthlyTally(models.Model):
    """Counts that outlive the records they came from (conversations expire; counts stay)."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    conversations = models.PositiveIntegerField(default=0)
    follow_ups_done = models.PositiveIntegerField(default=0)
    joined = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["collective", "month"], name="one_tally_per_month"),
        ]

    def __str__(self) -> str:
        return f"tally {self.month:%Y-%m}"
