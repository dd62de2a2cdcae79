"""Commitments seen kindly, check-ins, a break the planner honours, and the numbers page."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from sinfronteras.organizing import services
from sinfronteras.organizing.models import Action, Commitment, MonthlyTally
from sinfronteras.plans.models import Task
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Need


def commit(client, member, what="Bring 50 copies to the rally", days=3):
    client.force_login(member)
    return client.post(reverse("organizing:commitment_new"),
                       {"what": what, "due_on": (timezone.localdate() + timedelta(days=days)).isoformat()})


def test_the_collective_sees_commitments_due_and_overdue_kindly(client, la, bob, carla):
    commit(client, bob)
    Commitment.objects.create(collective=la, member=bob, what="Print the cards",
                              due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(carla)
    page = client.get(reverse("organizing:commitments")).content.decode()
    assert "Bring 50 copies to the rally" in page and "Print the cards" in page
    assert "need a hand, or let it go?" in page and "overdue" not in page.lower()
    assert reverse("organizing:check_in", args=[1, "done"]) not in page  # not carla's to check in


def test_check_ins_done_and_let_go_are_the_members_own(client, la, bob, carla):
    commit(client, bob)
    commitment = Commitment.objects.get()
    client.force_login(carla)
    assert client.post(reverse("organizing:check_in", args=[commitment.pk, "done"])).status_code == 404
    client.force_login(bob)
    client.post(reverse("organizing:check_in", args=[commitment.pk, "let_go"]))
    commitment.refresh_from_db()
    assert commitment.state == "let_go"


def test_a_commitment_in_the_past_or_without_words_is_refused(client, la, bob):
    page = commit(client, bob, what="", days=-1).content.decode()
    assert 'id="error-what"' in page and 'id="error-due_on"' in page
    assert not Commitment.objects.exists()


def test_i_need_help_creates_an_ordinary_need_of_the_chosen_resource_or_of_a_hand(client, la, bob):
    commit(client, bob)
    commitment = Commitment.objects.get()
    client.post(reverse("organizing:help", args=[commitment.pk]), {"resource": "", "quantity": "2"})
    commitment.refresh_from_db()
    need = commitment.help_need
    assert commitment.state == "needs_help" and need.resource.key == "help"
    assert (need.quantity, need.posted_by, need.status) == (Decimal(2), bob, "open")
    other = Commitment.objects.create(collective=la, member=bob, what="Childcare at the meeting",
                                      due_on=timezone.localdate())
    childcare = la.resources.get(key="childcare")
    page = client.post(reverse("organizing:help", args=[other.pk]),
                       {"resource": childcare.pk, "quantity": "-1"}).content.decode()
    assert 'id="error-quantity"' in page and Need.objects.count() == 1
    client.post(reverse("organizing:help", args=[other.pk]), {"resource": childcare.pk, "quantity": "3"})
    assert Need.objects.filter(resource=childcare, quantity=3).exists()


def test_a_break_pauses_the_members_offers_in_a_real_plan_run(client, la, alice, bob, carla,
                                                               need_of, offer_of):
    need_of(carla, "food", 4)
    offer_of(alice, ["food"], 10)  # same area as carla: a hand-over
    client.force_login(alice)
    until = timezone.localdate() + timedelta(days=10)
    client.post(reverse("organizing:break"), {"until": until.isoformat()})
    alice.refresh_from_db()
    assert alice.on_break_until == until
    run = execute_run(do_request_run(la, None, enqueue=False).pk)
    assert run.status == "done" and not Task.objects.exists()
    client.post(reverse("organizing:break"), {"back": "1"})
    alice.refresh_from_db()
    assert alice.on_break_until is None
    execute_run(do_request_run(la, None, enqueue=False).pk)
    assert Task.objects.get().carrier == alice


def test_a_break_in_the_past_is_refused(client, la, bob):
    client.force_login(bob)
    page = client.post(reverse("organizing:break"),
                       {"until": (timezone.localdate() - timedelta(days=1)).isoformat()}).content.decode()
    assert 'id="error-until"' in page
    bob.refresh_from_db()
    assert bob.on_break_until is None


def test_commitments_due_appear_in_my_tasks(client, la, bob):
    commit(client, bob, days=1)
    page = client.get(reverse("plans:tasks")).content.decode()
    assert "Bring 50 copies to the rally" in page and 'id="organizing-due"' in page


def test_the_numbers_page_draws_months_and_actions_as_svg(client, la, alice, bob):
    today = timezone.localdate()
    Action.objects.create(collective=la, organizer=alice, title="March", area=alice.area,
                          starts_at=timezone.now() - timedelta(days=1), copies_distributed=120,
                          conversations_started=14, want_more=5, results_at=timezone.now())
    MonthlyTally.objects.create(collective=la, month=services.month_of(today), conversations=9,
                                follow_ups_done=4, joined=2)
    client.force_login(bob)
    page = client.get(reverse("organizing:numbers")).content.decode()
    assert page.count("<svg") == 5 and "<script" not in page.split("<main")[1]
    assert '<dd id="total-copies">120</dd>' in page and '<dd id="total-joined">2</dd>' in page
    assert 'id="per-action-' in page and "March" in page


def test_the_organizing_pages_read_in_spanish(client, la, bob):
    bob.language = "es"
    bob.save()
    client.force_login(bob)
    client.cookies["django_language"] = "es"
    pages = [client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="es").content.decode()
             for name in ["organizing:home", "organizing:conversation_new", "organizing:numbers",
                          "organizing:commitments"]]
    assert "Planear una acción" in pages[0] and "Organizar" in pages[0]
    assert "apodo" in pages[1] and "Ejemplares distribuidos" in pages[2]
    assert "Compromisos" in pages[3]
