"""The federation's housekeeping step (run by :mod:`sinfronteras.housekeeping`): a transfer whose
window passed with no confirmation is released on this side, and what no taker answered yet is
offered again."""

from sinfronteras import housekeeping

from .transfers import release_expired

housekeeping.register("transfers_released", release_expired)
