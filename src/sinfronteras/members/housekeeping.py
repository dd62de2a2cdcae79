"""The members' housekeeping step (run by :mod:`sinfronteras.housekeeping`)."""

from sinfronteras import housekeeping

from .services import do_erase_removed_members

housekeeping.register("members_erased", do_erase_removed_members)
