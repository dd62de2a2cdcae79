"""Home, Needs, Offers and My tasks run a bounded number of queries, whatever the member holds
(FINDINGS "Serving": My tasks ran 23 to 89, one query per task or need)."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.test import Client

from conftest import current_code
from sinfronteras.demo.load import do_load_demo
from sinfronteras.members.models import Collective, Member
from sinfronteras.plans.models import SealedAddress
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.plans.sealing import seal

#: Queries a page may run, at most (My tasks runs 19 to 22, with its list of dropped tasks,
#: the pickup points of what the member gives and the hand-overs across collectives): session, member, alerts banner, waiting count, new-message count, the page's own lists (one query each, or two with a
#: prefetch, such as a need's days and hours), and the second factor for coordinators. None
#: of them grows with what the member holds.
BOUND = 22
PAGES = ["/", "/needs/", "/offers/", "/tasks/"]


@pytest.fixture
def demo(db):
    do_load_demo(households=60, volunteers=30)
    execute_run(do_request_run(Collective.objects.get(), enqueue=False).pk)


def busiest(**counts) -> list[Member]:
    """The members who hold the most of each kind of thing."""
    members = Member.objects.annotate(**counts)
    return [members.order_by(f"-{name}").first() for name in counts]


def client_for(member) -> Client:
    client = Client()
    client.force_login(member)
    if member.is_coordinator:
        from sinfronteras.demo.load import PASSWORD

        client = Client()
        client.post("/login/", {"username": member.username, "password": PASSWORD})
        client.post("/two-factor/", {"code": current_code(member)})
    return client


@pytest.mark.slow
def test_the_everyday_pages_run_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    cast = busiest(needs_held=Count("needs", distinct=True),
                   offers_held=Count("offers", distinct=True),
                   carried=Count("carried_tasks", distinct=True),
                   given=Count("offers__tasks", distinct=True))
    cast.append(Member.objects.get(username="ana"))
    cast.append(Member.objects.get(username="luz"))
    assert max(m.carried_tasks.count() for m in cast) >= 3  # someone holds many tasks
    for need in cast[0].needs.all()[:12]:  # and many needs with a sealed address
        if not SealedAddress.objects.filter(need=need).exists():
            SealedAddress.objects.create(need=need, ciphertext=seal("1 Main St"))
    for member in cast:
        client = client_for(member)
        for page in PAGES:
            with django_assert_max_num_queries(BOUND, info=f"{member.username} {page}"):
                assert client.get(page).status_code == 200
