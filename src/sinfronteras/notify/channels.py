"""Ways a note reaches a member (push, SMS, ...), and the one call that sends one.

A channel is a small object with a ``name``, ``wants(member, kind)`` and
``send(member, note)``; it is registered once (in its app's ``ready()``) with
``register``. ``jobs.do_notify`` never sends: for each channel that wants the note,
outside the member's quiet hours, it queues a worker job (``jobs.deliver``) that calls
``send``. ``send`` raises ``Retry`` for a failure worth trying again later (the job
is queued again with backoff) and ``Gone`` when the member cannot be reached on this
channel any more (nothing is retried).

>>> class Pigeon(Channel):
...     name = "pigeon"
...     def wants(self, member, kind):
...         return True
...     def send(self, member, note):
...         print(note.body)
>>> register(Pigeon()) is not None
True
>>> "pigeon" in [c.name for c in channels()]
True
>>> unregister("pigeon")
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import translation

from .events import TITLE, clean_path, kind_of

log = logging.getLogger("sinfronteras.notify")


class Retry(Exception):
    """A transient failure: try again later. ``targets``: what is still owed (channel's ids)."""

    def __init__(self, message: str = "", targets=None):
        super().__init__(message)
        self.targets = None if targets is None else [str(t) for t in targets]


class Gone(Exception):
    """The member cannot be reached on this channel any more: do not retry."""


@dataclass(frozen=True)
class Note:
    """What a channel sends: generic words in the member's language, and a page of this site.

    ``targets`` is set on a retry: the channel's own ids (e.g. push subscriptions) that
    still owe this note, as the channel gave them in ``Retry``; None means all.
    """

    kind: str
    title: str
    body: str
    path: str
    language: str
    attempt: int = 0
    targets: tuple[str, ...] | None = None

    @property
    def url(self) -> str:
        """The page as a full address (``SITE_URL`` + path), for channels without a site."""
        from django.conf import settings

        return settings.SITE_URL + self.path

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "body": self.body, "url": self.path}


def make_note(member, kind: str, path: str | None = None, *, attempt=0, targets=None) -> Note:
    found = kind_of(kind)
    language = member.language or "en"
    with translation.override(language):
        body = str(found.sentence)
    return Note(kind=kind, title=TITLE, body=body, path=clean_path(path, found),
                language=language, attempt=attempt,
                targets=None if targets is None else tuple(targets))


class Channel:
    """Subclass and register: ``name`` is unique; ``wants`` is cheap (runs in the request)."""

    name = ""

    def wants(self, member, kind: str) -> bool:  # pragma: no cover - an interface
        return False

    def send(self, member, note: Note) -> None:  # pragma: no cover - an interface
        raise NotImplementedError


_CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Add a channel (one of the same name is replaced)."""
    if not channel.name:
        raise ValueError("a channel needs a name")
    _CHANNELS[channel.name] = channel
    return channel


def unregister(name: str) -> None:
    _CHANNELS.pop(name, None)


def channels() -> list[Channel]:
    return list(_CHANNELS.values())


def channel_named(name: str) -> Channel | None:
    return _CHANNELS.get(name)
