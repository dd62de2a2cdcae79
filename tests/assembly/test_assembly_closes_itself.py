"""A proposal's window closes by itself: the worker runs the close queued at proposing."""

import pytest
from django.core.management import call_command

from assembly_helpers import end_window, propose, vote_all
from sinfronteras.assembly.models import Decision, Proposal


@pytest.mark.django_db(transaction=True)  # the worker closes its connections when done
def test_proposing_queues_a_close_that_the_worker_carries_out_after_the_window(
        alice, bob, carla, la):
    from django_tasks_db.models import DBTaskResult

    proposal = propose(carla, kind="consent", title="Paint the pantry door")
    job = DBTaskResult.objects.get(task_path="sinfronteras.assembly.jobs.close_proposal")
    assert job.run_after == proposal.closes_at and job.args_kwargs["args"] == [proposal.pk]

    vote_all(proposal, [(alice, {"answer": "agree"}), (bob, {"answer": "agree"})])
    call_command("db_worker", "--batch", "--interval", "0")  # too early: nothing runs
    assert Proposal.objects.get(pk=proposal.pk).status == "open"

    end_window(proposal)
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=proposal.closes_at)
    call_command("db_worker", "--batch", "--interval", "0")
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"
    assert Decision.objects.get(proposal=proposal).passed
