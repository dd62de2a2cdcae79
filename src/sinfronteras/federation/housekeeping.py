"""The federation's housekeeping steps (run by :mod:`sinfronteras.housekeeping`): a transfer whose
window passed with no confirmation is released on this side, and what no taker answered yet is
offered again; a confirmation its giver has not taken is sent again."""

from sinfronteras import housekeeping

from .transfers import release_expired, resend_all_confirmations

housekeeping.register("transfers_released", release_expired)
housekeeping.register("confirmations_sent_again", resend_all_confirmations)
