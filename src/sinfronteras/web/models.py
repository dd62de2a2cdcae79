"""What the web layer itself stores: the one-time keys of posted forms (``web.once``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PostedKey(models.Model):
    """A form's one-time key, posted once by a member to one address: posted again (Back,
    then Post), it answers "already posted" and leads to what the first post made."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    #: Where the first post led (its redirect): what it made, or the list that shows it.
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "key", "path"],
                                               name="posted_key_once")]

    def __str__(self) -> str:
        return f"posted key #{self.pk}"
