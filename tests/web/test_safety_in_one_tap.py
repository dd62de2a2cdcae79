"""Safety and care in one tap: the raid button, confirmations without JavaScript, and
error pages in the site's layout and the reader's language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import area
from sinfronteras.assembly.models import Proposal
from sinfronteras.members.models import ApiToken
from sinfronteras.plans.alerts import do_raise_alert
from sinfronteras.plans.models import AreaAlert, Task
from sinfronteras.sharing.models import Need, Offer


def test_every_members_home_has_a_raid_button_that_opens_the_alert_page_on_their_area(
        client, la, bob, oakland):
    client.force_login(bob)
    home = client.get(reverse("home")).content.decode()
    echo = area(la, "Echo Park")
    href = f'{reverse("plans:alerts")}?area={echo.pk}'
    assert f'id="raid-button" href="{href}"' in home
    page = client.get(href)
    assert page.context["form"].initial["area"] == echo.pk
    assert f'<option value="{echo.pk}" selected>' in page.content.decode()
    # Somebody else's area in the link is never chosen: their own area instead.
    page = client.get(reverse("plans:alerts"), {"area": oakland.areas.get().pk})
    assert page.context["form"].initial["area"] == echo.pk


def _delivery(la, alice, carla, need_of, offer_of):
    """An accepted hand-over: Alice gives Carla food in Boyle Heights."""
    from sinfronteras.plans.lifecycle import do_accept
    from sinfronteras.plans.runs import do_request_run, execute_run

    need_of(carla, "food", 2)
    offer_of(alice, ["food"], 5)
    execute_run(do_request_run(la, None, enqueue=False).pk)
    return do_accept(alice, Task.objects.get())


def _cases(la, alice, bob, carla, need_of, offer_of):
    """(who, url, extra fields, has it happened?) for each act that asks first."""
    task = _delivery(la, alice, carla, need_of, offer_of)
    need = need_of(bob, "food", 1)
    offer = offer_of(bob, ["food"], 3)
    alert = do_raise_alert(bob, area(la, "Echo Park"), 4)
    now = timezone.now()
    proposal = Proposal.objects.create(collective=la, author=bob, title="Picnic?", kind="consent",
                                       closes_at=now + timedelta(days=2))
    token, _secret = ApiToken.issue(bob, "phone")
    return [
        (bob, reverse("need_withdraw", args=[need.pk]), {},
         lambda: Need.objects.get(pk=need.pk).status == "withdrawn"),
        (bob, reverse("offer_withdraw", args=[offer.pk]), {},
         lambda: Offer.objects.get(pk=offer.pk).status == "withdrawn"),
        (alice, reverse("plans:task_action", args=[task.pk, "done"]), {},
         lambda: Task.objects.get(pk=task.pk).state == "done"),
        (bob, reverse("plans:alert_lift", args=[alert.pk]), {},
         lambda: AreaAlert.objects.get(pk=alert.pk).lifted_at is not None),
        (bob, reverse("assembly:withdraw", args=[proposal.pk]), {},
         lambda: Proposal.objects.get(pk=proposal.pk).status == "withdrawn"),
        (bob, reverse("tokens"), {"revoke": token.pk},
         lambda: not ApiToken.objects.filter(pk=token.pk).exists()),
    ]


@pytest.mark.parametrize("case", range(6), ids=["withdraw-need", "withdraw-offer", "mark-done",
                                                "lift", "withdraw-proposal", "remove-token"])
def test_an_act_that_cannot_be_undone_asks_first_and_a_bare_post_does_nothing(
        client, la, alice, bob, carla, need_of, offer_of, case):
    who, url, fields, happened = _cases(la, alice, bob, carla, need_of, offer_of)[case]
    client.force_login(who)
    first = client.post(url, fields)
    page = first.content.decode()
    assert first.status_code == 200 and 'id="confirm-form"' in page and not happened()
    assert f'action="{url}"' in page and 'name="confirm" value="yes"' in page
    assert 'id="confirm-back"' in page
    client.post(url, {**fields, "confirm": "no"})
    assert not happened()
    client.post(url, {**fields, "confirm": "yes"})
    assert happened()


def test_leaving_asks_for_the_password_and_a_bare_post_does_nothing(client, bob):
    from sinfronteras.members.models import Member

    client.force_login(bob)
    assert client.post(reverse("leave")).status_code == 200
    assert Member.objects.filter(pk=bob.pk).exists()


def _spanish(member):
    member.language = "es"
    member.save(update_fields=["language"])
    return member


def test_a_missing_page_is_in_the_sites_layout_and_language_with_what_to_do(client, la, bob,
                                                                            settings):
    assert settings.DEBUG is False
    client.force_login(_spanish(bob))
    response = client.get("/needs/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="brand"' in page and '<html lang="es">' in page
    assert "Aquí no hay nada" in page and "Lo que puedes hacer" in page
    assert f'href="{reverse("plans:tasks")}"' in page.split('id="error-next"', 1)[1]
    assert "No such" not in page and "Not Found" not in page
    anonymous = client.__class__().get("/no-such-page/").content.decode()
    assert "There is nothing here" in anonymous and f'href="{reverse("login")}"' in anonymous


def test_a_refusal_says_why_in_the_readers_language_and_what_to_do(client, la, bob, settings):
    assert settings.DEBUG is False
    client.force_login(_spanish(bob))
    response = client.post(reverse("plans:run"))
    page = response.content.decode()
    assert response.status_code == 403 and 'class="brand"' in page
    assert "Esta página no es para ti" in page
    assert "Solo la coordinación hace el plan." in page.split('id="error-reason"', 1)[1]
    assert "Forbidden" not in page


def test_a_server_error_is_in_the_sites_layout_and_says_nothing_half_written(client, bob,
                                                                            settings):
    settings.ROOT_URLCONF = "boom_urls"
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    assert settings.DEBUG is False
    client.raise_request_exception = False
    client.force_login(_spanish(bob))
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500 and 'class="brand"' in page
    assert "Algo salió mal de nuestro lado" in page and "a bug, on purpose" not in page


def test_every_page_starts_with_a_skip_link_to_the_content(client, bob):
    client.force_login(bob)
    page = client.get(reverse("needs")).content.decode()
    body = page.split("<body>", 1)[1]
    assert body.lstrip().startswith('<a class="skip" href="#content">Skip to the content</a>')
    assert '<span id="content" tabindex="-1"></span>' in page
