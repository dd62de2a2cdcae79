"""Every page reachable from the demo collective's home opens, for a coordinator and a member,
in English and in Spanish: a crawl over realistic data finds what unit tests miss."""

import pytest
from django.test import Client

from conftest import current_code
from crawling import crawl
from sinfronteras.demo.load import PASSWORD, do_load_demo
from sinfronteras.members.models import Member
from sinfronteras.plans.runs import do_request_run, execute_run


def logged_in(username, language):
    member = Member.objects.get(username=username)
    Member.objects.filter(pk=member.pk).update(language=language)
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    if member.is_coordinator:
        client.post("/two-factor/", {"code": current_code(member)})
    return client


@pytest.mark.slow
@pytest.mark.parametrize("username", ["ana", "luz"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_a_demo_member_can_reach_opens(db, username, language):
    do_load_demo(households=40, volunteers=20)
    from sinfronteras.members.models import Collective

    execute_run(do_request_run(Collective.objects.get(), enqueue=False).pk)
    statuses = crawl(logged_in(username, language))
    broken = {path: code for path, code in statuses.items() if code not in (200, 302)}
    assert broken == {}
    assert len(statuses) > 25  # the crawl went somewhere
