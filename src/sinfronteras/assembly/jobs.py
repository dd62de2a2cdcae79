"""Background jobs of the assembly: a proposal closes itself when its window ends."""

from django_tasks import task, task_backends

from .closing import close_if_due
from .models import Proposal


@task()
def close_proposal(proposal_id: int) -> str:
    """Close, count and apply one proposal once its window has passed (idempotent)."""
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return "gone"
    return close_if_due(proposal).status


def schedule_close(proposal) -> None:
    """Ask the worker to close the proposal at the end of its window.

    Backends that cannot wait (the immediate one) skip this: ``closeproposals`` and
    the lazy close on viewing still close it.
    """
    backend = task_backends[close_proposal.backend]
    if getattr(backend, "supports_defer", False):
        close_proposal.using(run_after=proposal.closes_at).enqueue(proposal.pk)
