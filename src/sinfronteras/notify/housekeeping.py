"""The notifications' housekeeping step (run by :mod:`sinfronteras.housekeeping`)."""

from sinfronteras import housekeeping

from .reminders import remind_closing_proposals

housekeeping.register("closing_reminders", remind_closing_proposals)
