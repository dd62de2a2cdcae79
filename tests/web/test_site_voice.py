"""Django's own messages in the site's voice: plain words that say what to fix, *tú* in
Spanish, the limit in words; a database constraint's name never reaches a person; a
text over its limit is refused with the limit, never cut (issue 17, FINDINGS)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import area, resource
from sinfronteras.sharing.models import Need, Offer

#: Words of *usted* and of Django's stock phrasing that the site never uses.
USTED = re.compile(r"Asegúrese|Introduzca|Ingrese|Escoja|Seleccione|Por favor|\bsu\b|vuelva|"
                   r"Ensure|Enter a|Select a valid")


def refusals(language):
    """Django's messages, as a field, a validator or a model gives them."""
    with translation.override(language):
        said = []
        for field, value in [(forms.CharField(), ""), (forms.CharField(max_length=5), "abcdefgh"),
                             (forms.CharField(min_length=5), "ab"), (forms.IntegerField(), "x"),
                             (forms.DecimalField(), "x"), (forms.DateField(), "x"),
                             (forms.TimeField(), "x"), (forms.DateTimeField(), "x"),
                             (forms.URLField(assume_scheme="https"), "x"), (forms.EmailField(), "x"),
                             (forms.IntegerField(max_value=3), "5"),
                             (forms.IntegerField(min_value=3), "1"),
                             (forms.DecimalField(max_digits=3, decimal_places=1), "12.25"),
                             (forms.DecimalField(max_digits=3, decimal_places=2), "123"),
                             (forms.ChoiceField(choices=[("a", "A")]), "b"),
                             (forms.CharField(), "a\x00b")]:
            try:
                field.clean(value)
            except ValidationError as error:
                said.extend(error.messages)
        return said


@pytest.mark.parametrize("language", ["en", "es"])
def test_djangos_messages_speak_in_the_sites_voice(language):
    said = refusals(language)
    assert len(said) >= 16
    for message in said:
        assert not USTED.search(message), message


def test_the_limit_is_said_in_words_in_both_languages():
    with translation.override("en"):
        assert "Write at most 5 characters; this has 8." in refusals("en")
    assert "Escribe como mucho 5 caracteres; aquí hay 8." in refusals("es")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_constraints_name_never_reaches_a_person(la, bob, language):
    need = Need(collective=la, posted_by=bob, resource=resource(la, "food"), quantity=Decimal("0"),
                area=area(la, "Echo Park"))
    with translation.override(language), pytest.raises(ValidationError) as refused:
        need.validate_constraints()
    words = " ".join(refused.value.messages)
    assert words and "need_quantity_positive" not in words and "“" not in words


def test_a_spanish_error_names_units_in_spanish(client, la, bob):
    from sinfronteras.sharing.models import Resource

    Resource.objects.filter(key__in=["childcare", "legal-help"]).update(unit_es="horas")
    bob.language = "es"
    bob.save(update_fields=["language"])
    client.force_login(bob)
    response = client.post(reverse("offer_new"), {
        "resources": [resource(la, "food").pk, resource(la, "childcare").pk], "quantity": "2",
        "area": area(la, "Echo Park").pk})
    page = response.content.decode()
    assert response.status_code == 200 and not Offer.objects.exists()
    error = page.split('id="error-resources"')[1].split("</div>")[0]
    assert "estos mezclan horas y kg" in error and "hours" not in error


@pytest.mark.parametrize("language, words", [
    ("en", "Write at most 500 characters; this message has 501."),
    ("es", "Escribe como mucho 500 caracteres; este mensaje tiene 501."),
])
def test_a_message_over_its_limit_is_refused_with_the_limit_and_never_cut(language, words):
    from sinfronteras.plans.task_messages import MessageForm

    with translation.override(language):
        form = MessageForm({"text": "a" * 501})
        assert not form.is_valid() and form.errors["text"] == [words]
        assert MessageForm({"text": "a" * 500}).is_valid()


@pytest.mark.parametrize("language", ["en", "es"])
def test_text_fields_carry_their_limit_for_the_counter_and_no_maxlength(client, la, bob, language):
    bob.language = language
    bob.save(update_fields=["language"])
    client.force_login(bob)
    page = client.get(reverse("offer_new")).content.decode()
    assert 'data-limit="200"' in page  # the public place
    assert "maxlength" not in page  # a browser's maxlength cuts a paste without a word
    assert "sinfronteras/limits.js" in page


def test_the_counter_script_is_served_and_counts_what_the_server_counts(client):
    from django.contrib.staticfiles import finders

    script = open(finders.find("sinfronteras/limits.js"), encoding="utf-8").read()
    assert "data-limit" in script and "Array.from(field.value).length" in script
