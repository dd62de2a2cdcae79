"""The organizing housekeeping step (run by :mod:`sinfronteras.housekeeping`)."""

from sinfronteras import housekeeping

from .services import do_close_ended_actions

housekeeping.register("action_needs_closed", do_close_ended_actions)
