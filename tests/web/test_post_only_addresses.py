"""A GET of an address that only takes a button's POST shows a page of the site that
leads back (``/tasks/12/done/`` to the task's page), never a bare 405 (issue 17)."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver, resolve

from plans_fixtures import carrying, open_carry_tasks, volunteer  # noqa: F401
from sinfronteras.web.postonly import post_only, way_back

WORDS = {"en": "This address is for a button", "es": "Esta dirección es de un botón"}
BACK = re.compile(r'<a href="([^"]+)" id="way-back">')


def every_address():
    """Every page address of the site, its parts filled in (id 7, the first choice)."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif not route.startswith("api/"):
                route = re.sub(r"<id:\w+>|\(\?P<\w+>\[0-9\]\{1,10\}\)", "7", route)
                route = route.replace("<str:token>", "x").replace("<slug:kind>", "consent")
                route = route.replace("<str:ext>", "csv").replace("\\.", ".")
                route = re.sub(r"<slug:\w+>", "la", route)
                choices = re.search(r"\(\?P<\w+>([\w|]+)\)", route)
                for choice in choices.group(1).split("|") if choices else [None]:
                    found.append("/" + (route.replace(choices.group(0), choice) if choice else route))

    walk(get_resolver().url_patterns)
    return found


def post_only_addresses():
    return [path for path in every_address() if post_only(resolve(path).func)]


def test_the_post_only_addresses_are_found():
    found = post_only_addresses()
    for path in ["/tasks/7/done/", "/needs/7/withdraw/", "/offers/7/withdraw/", "/plan/run/",
                 "/alerts/7/lift/", "/logout/"]:
        assert path in found, path
    assert "/tasks/7/" not in found and "/needs/new/" not in found


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_post_only_address_opened_as_a_link_shows_a_page_that_leads_back(client, alice,
                                                                               language):
    alice.language = language
    alice.save(update_fields=["language"])
    client.force_login(alice)
    found = post_only_addresses()
    assert len(found) >= 15
    for path in found:
        response = client.get(path)
        if path == "/logout/":  # Django's own logout: GET is refused the same way
            assert response.status_code == 405
        page = response.content.decode()
        assert response.status_code == 405 and WORDS[language] in page, path
        assert "POST" in response["Allow"]
        back = BACK.search(page).group(1)
        assert back != path and not post_only(resolve(back).func), (path, back)
        assert path.startswith(back)


def test_a_done_button_opened_as_a_link_leads_to_its_task(client, alice, open_carry_tasks):
    task = open_carry_tasks(1)[0]
    client.force_login(alice)
    response = client.get(f"/tasks/{task.pk}/done/")
    back = BACK.search(response.content.decode()).group(1)
    assert back == f"/tasks/{task.pk}/"
    assert client.get(back).status_code == 200
    task.refresh_from_db()
    assert task.state == "open"  # nothing changed


def test_an_address_with_nothing_above_it_leads_home():
    assert way_back("/plan/run/") == "/plan/"
    assert way_back("/share/need/7/") == "/"
    assert way_back("/logout/") == "/"


def test_the_api_keeps_its_json_405(client, bob):
    client.force_login(bob)
    response = client.put("/api/needs")
    assert response.status_code == 405 and "This address is for a button" not in \
        response.content.decode()
