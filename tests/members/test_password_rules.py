"""The password rules are said before the first try, in tú, one sentence after another."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sinfronteras.members.services import do_create_invite

RULES = {"en": "At least 10 characters. Not a common password, and not only digits.",
         "es": "Al menos 10 caracteres. Que no sea una contraseña común ni solo números."}


def words(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_join_page_says_the_password_rules_before_the_first_try(client, bob, language):
    _, token = do_create_invite(bob)
    page = client.get(reverse("join", args=[token]), headers={"accept-language": language})
    text = words(page)
    assert RULES[language] in text
    assert "Su contraseña" not in text and "usted" not in text.lower()
    assert not re.search(r"[a-z]\.[A-Z]", text.split("<main>")[-1])  # sentences never run together


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_password_page_says_the_rules_in_tu(client, bob, language):
    bob.language = language
    bob.save(update_fields=["language"])
    client.force_login(bob)
    text = words(client.get(reverse("password_change")))
    assert RULES[language] in text and "Su contraseña" not in text
    assert "introduzca" not in text.lower()
