"""The wire format means what it says: a digest message expanded with pyld, through a document
loader that serves only the contexts shipped in the repository (nothing is fetched)."""

from __future__ import annotations

import pytest
from pyld import jsonld

from sinfronteras.federation import keys, wire
from sinfronteras.planning import Problem
from sinfronteras.planning.federation import digest

AS = "https://www.w3.org/ns/activitystreams#"
VF = "https://w3id.org/valueflows/ont/vf#"
OM2 = "http://www.ontology-of-units-of-measure.org/resource/om-2/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SF = "https://sinfronteras.org/ns/federation#"
RICE = "http://www.wikidata.org/entity/Q5090"
LA = "https://la.example.org/federation/la/actor"
TJ = "https://tj.example.org/federation/tj/actor"


def shipped_only(url, options=None):
    """pyld's document loader: the shipped contexts, and nothing from the network."""
    return {"contextUrl": None, "documentUrl": url, "document": wire.context_document(url)}


def a_digest_message() -> dict:
    problem = Problem.from_json({
        "version": 1, "resources": [{"id": "food", "unit": "kg", "basic": True, "uri": RICE}],
        "places": [{"id": "a1", "lat": 34.03, "lon": -118.21}],
        "needs": [{"id": "n1", "resource": "food", "quantity": 2.5, "place": "a1", "urgent": True},
                  {"id": "n2", "resource": "food", "quantity": 4, "place": "a1", "urgent": True}],
        "offers": [{"id": "o1", "resources": ["food"], "quantity": 7, "place": "a1", "radius_km": 25}]})
    obj = wire.digest_object(digest(problem, "la-1"), LA, f"{TJ}/rounds/r1", members=3)
    pair = keys._load(keys._new_line().decode())
    signed = wire.sign_object(obj, f"{LA}#{pair.fingerprint}", pair)
    return wire.activity("Create", LA, [TJ], signed, f"{LA}/activities/digest-1")


def first(node, term):
    values = node[term]
    return values[0]


def test_a_digest_message_expands_to_activitystreams_and_valueflows():
    expanded = jsonld.expand(a_digest_message(), {"documentLoader": shipped_only})[0]
    assert expanded["@type"] == [AS + "Create"]
    assert first(expanded, AS + "actor")["@id"] == LA
    assert [t["@id"] for t in expanded[AS + "to"]] == [TJ]  # a peer, never the public collection
    digest_node = first(expanded, AS + "object")
    assert digest_node["@type"] == [SF + "Digest"]
    proposals = digest_node[AS + "items"]
    request = next(p for p in proposals if first(p, VF + "purpose")["@value"] == "request")
    intent = first(request, VF + "publishes")
    assert intent["@type"] == [VF + "Intent"]
    assert first(intent, VF + "resourceConformsTo")["@id"] == RICE
    quantity = first(intent, VF + "resourceQuantity")
    assert first(quantity, OM2 + "hasNumericalValue")["@value"] == "6.5"  # two needs, one total
    assert first(quantity, OM2 + "hasUnit")["@id"].endswith("kg")
    place = first(intent, AS + "location")
    assert first(place, AS + "latitude")["@value"] == pytest.approx(34.03)
    assert first(intent, SF + "tier")["@value"] == 1
    offer = next(p for p in proposals if first(p, VF + "purpose")["@value"] == "offer")
    assert first(first(offer, VF + "publishes"), SF + "reachKm")["@value"] == "25"


def test_every_term_of_a_message_is_defined_by_the_shipped_contexts():
    """A term no context defines would be dropped (or become a blank-node property) on expansion."""
    text = str(jsonld.expand(a_digest_message(), {"documentLoader": shipped_only}))
    assert "_:" not in text.replace("'@id': '_:", "")


def test_a_context_that_is_not_shipped_is_never_fetched():
    message = {**a_digest_message(), "@context": ["https://example.org/unknown-context"]}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(message, {"documentLoader": shipped_only})


def test_a_message_to_the_public_collection_is_refused():
    with pytest.raises(wire.WireError, match="public"):
        wire.activity("Create", LA, ["https://www.w3.org/ns/activitystreams#Public"], {}, f"{LA}/a/1")


def test_a_digest_whose_proposals_and_totals_disagree_is_refused():
    obj = a_digest_message()["object"]
    obj["items"][0]["publishes"]["resourceQuantity"]["hasNumericalValue"] = "600"
    with pytest.raises(wire.WireError, match="disagree"):
        wire.digest_from_object(obj)


def test_a_digest_signed_by_its_author_verifies_and_an_altered_one_does_not():
    pair = keys._load(keys._new_line().decode())
    obj = wire.sign_object({"type": "Digest", "digest": {"a": 1}}, f"{LA}#{pair.fingerprint}", pair)
    wire.check_object(obj, pair.public)
    obj["digest"]["a"] = 2
    with pytest.raises(wire.WireError, match="does not match"):
        wire.check_object(obj, pair.public)


def test_a_transfer_offer_expands_to_a_valueflows_agreement_at_a_public_place():
    from types import SimpleNamespace

    from sinfronteras.federation.transfers import agreement

    row = SimpleNamespace(uid=f"{LA}/rounds/r1/transfers/la-1:offer:0/tj-2:need:3", unit="kg",
                          quantity=__import__("decimal").Decimal("12.500"), resource=RICE,
                          place_name="Comedor Comunitario", giver=SimpleNamespace(actor=LA),
                          taker=SimpleNamespace(actor=TJ), place_lat=32.53, place_lon=-117.04,
                          opening_hours=[[5, "10:00", "13:00"]])
    message = wire.activity("Offer", LA, [TJ], agreement(row), f"{LA}/activities/offer-1")
    expanded = jsonld.expand(message, {"documentLoader": shipped_only})[0]
    assert expanded["@type"] == [AS + "Offer"]
    deal = first(expanded, AS + "object")
    assert deal["@type"] == [VF + "Agreement"]
    commitment = first(deal, VF + "stipulates")
    assert commitment["@type"] == [VF + "Commitment"]
    assert first(commitment, VF + "provider")["@id"] == LA
    assert first(commitment, VF + "receiver")["@id"] == TJ
    assert first(first(commitment, VF + "resourceQuantity"), OM2 + "hasNumericalValue")["@value"] == "12.5"
    place = first(commitment, VF + "atLocation")
    assert first(place, AS + "name")["@value"] == "Comedor Comunitario"
    assert first(place, AS + "latitude")["@value"] == 32.53
    hours = first(place, "https://schema.org/openingHoursSpecification")
    assert first(hours, "https://schema.org/opens") == {"@type": XSD + "time", "@value": "10:00"}


def test_a_confirmation_expands_to_a_valueflows_event_fulfilling_the_agreement(settings, tmp_path):
    from types import SimpleNamespace

    from sinfronteras.federation.transfers import confirmation

    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    uid = f"{LA}/rounds/r1/transfers/la-1:offer:0/tj-2:need:3"
    row = SimpleNamespace(uid=uid, unit="kg", quantity=__import__("decimal").Decimal("12.500"), resource=RICE,
                          giver=SimpleNamespace(actor=LA))
    signed = confirmation(SimpleNamespace(actor=TJ, slug="tj"), row)
    wire.check_object(signed, keys.b64(keys.signing_key("tj").public_raw))  # signed by the taker
    message = wire.activity("Create", TJ, [LA], signed, f"{TJ}/activities/received-1")
    event = first(jsonld.expand(message, {"documentLoader": shipped_only})[0], AS + "object")
    assert event["@type"] == [VF + "EconomicEvent"]
    assert first(event, VF + "fulfills")["@id"] == uid
    assert first(event, VF + "provider")["@id"] == LA and first(event, VF + "receiver")["@id"] == TJ
