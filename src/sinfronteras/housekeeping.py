"""Housekeeping as a registry: each app registers its own steps, one runner runs them all.

As Django's system checks do, the runner knows no app: every installed app that has a
``housekeeping`` module (``sinfronteras/<app>/housekeeping.py``) registers its steps there,
and :func:`run` imports those modules and runs every registered step: app by app in
``INSTALLED_APPS`` order, and within an app in the order its steps were registered.
Registering one step is one line::

    from sinfronteras import housekeeping
    from .services import do_release_expired_transfers

    housekeeping.register("transfers_released", do_release_expired_transfers)

A step takes the time to act as of (``now``) and returns how many things it did (an
``int``, reported under its name) or a ``dict`` of such counts (reported as they are).
Every step must be safe to run any number of times: ``sinfronteras housekeeping`` runs from
cron (e.g. every 15 minutes), the worker runs it every 15 minutes and before every plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

#: The name of the module, in each installed app, that registers the app's steps.
MODULE = "housekeeping"


@dataclass(frozen=True)
class Step:
    """One registered step: ``name`` keys its count in :func:`run`'s answer."""

    name: str | None
    func: Callable[[datetime], int | dict]


_steps: dict[str, Step] = {}


def register(name: str | None, func: Callable[[datetime], int | dict]) -> Callable:
    """Register ``func(now)`` as a housekeeping step; answer ``func`` (usable as a decorator
    through :func:`step`).

    Parameters
    ----------
    name : str or None
        The key its count is reported under; ``None`` for a step that answers a ``dict`` of
        counts of its own.
    func : callable
        Takes ``now`` (an aware datetime) and answers an ``int`` or a ``dict`` of ints.

    Raises
    ------
    ValueError
        When another function is already registered under the same key (registering the same
        function again, as a re-imported module does, replaces it).
    """
    key = name or f"{func.__module__}.{func.__qualname__}"
    known = _steps.get(key)
    if known is not None and (known.func.__module__, known.func.__qualname__) != (
            func.__module__, func.__qualname__):
        raise ValueError(f"Two housekeeping steps are named {key!r}: "
                         f"{known.func.__module__}.{known.func.__qualname__} and "
                         f"{func.__module__}.{func.__qualname__}; give one another name.")
    _steps[key] = Step(name, func)
    return func


def unregister(name: str) -> None:
    """Forget the step registered under ``name`` (tests; a step of an app is never removed)."""
    _steps.pop(name, None)


def step(name: str | None = None) -> Callable:
    """Decorator form of :func:`register`: ``@housekeeping.step("tasks_expired")``."""
    return lambda func: register(name, func)


def discover() -> None:
    """Import every installed app's ``housekeeping`` module, so that its steps register."""
    autodiscover_modules(MODULE)


def _app_position(step: Step) -> int:
    """Where the step's app stands in ``INSTALLED_APPS`` (steps of no app run last)."""
    config = apps.get_containing_app_config(step.func.__module__)
    names = [c.name for c in apps.get_app_configs()]
    return names.index(config.name) if config else len(names)


def steps() -> list[Step]:
    """The registered steps, in the order they run (``sorted`` keeps each app's own order)."""
    discover()
    return sorted(_steps.values(), key=_app_position)


def run(now=None) -> dict:
    """Run every registered step once; answer their counts by name.

    Parameters
    ----------
    now : datetime, optional
        The time to act as of (default: now).

    Returns
    -------
    dict
        Each step's count under its name (a step that answers a ``dict`` adds its keys).
    """
    now = now or timezone.now()
    done: dict = {}
    for one in steps():
        counted = one.func(now)
        if one.name is None:
            done.update(counted)
        else:
            done[one.name] = counted
    return done
