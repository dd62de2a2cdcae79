"""A passed decision visibly changes the next plan, which says it followed it."""

from decimal import Decimal

from assembly_helpers import end_window, propose, vote_all
from sinfronteras.assembly.services import do_close
from sinfronteras.plans.runs import do_request_run, execute_run


def make_plan(collective):
    return execute_run(do_request_run(collective, enqueue=False).pk)


def test_making_childcare_basic_moves_it_ahead_of_newspapers_in_the_next_plan(
        alice, bob, carla, la, need_of, offer_of):
    childcare = la.resources.get(key="childcare")
    need = need_of(carla, "childcare", 4)
    offer_of(bob, ["childcare"], 2, radius_km=Decimal("30"))
    before = make_plan(la)
    assert before.outcomes.get(need=need).tier == 4 and before.decisions == []

    proposal = propose(carla, kind="consent", title="Childcare is basic", change="basic",
                       resource=str(childcare.pk))
    vote_all(proposal, [(alice, {"answer": "agree"}), (bob, {"answer": "agree"})])
    decision = do_close(end_window(proposal))
    assert decision.passed

    after = make_plan(la)
    assert after.outcomes.get(need=need).tier == 2
    assert after.decisions == [decision.pk]
    assert after.parameters["basic_resources"] == sorted(["childcare", "diapers", "food", "legal-help"])
