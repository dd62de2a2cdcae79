"""The wire format: ActivityPub activities whose contents speak Valueflows, as FEP-0837 does.

A digest travels as a ``Digest`` whose ``items`` are ``Proposal`` objects: purpose ``request``
(a need total per resource, area and tier) or ``offer`` (an offer total per resources, area and
reach), each publishing one ``Intent`` with ``resourceConformsTo``, ``resourceQuantity`` (OM2:
``hasUnit``, ``hasNumericalValue``) and a ``location`` (an area's centroid, never an address).
A digest is signed by its author (a Data Integrity proof, eddsa-jcs-2022) so that every member
can check, against the same signed digests, a plan that another member made.

The JSON-LD contexts ship in ``contexts/``: nothing is fetched at run time.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from .keys import verify

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SF_CONTEXT = "https://sinfronteras.org/ns/federation/v1"
CONTEXT = [AS_CONTEXT, SF_CONTEXT]
CONTEXT_FILES = {AS_CONTEXT: "activitystreams.jsonld", SF_CONTEXT: "federation-v1.jsonld"}
RESOURCE_URN = "urn:sinfronteras:resource:"
MEDIA_TYPE = "application/activity+json"


class WireError(ValueError):
    """A message that does not say what a federation message must say."""


def context_document(url: str) -> dict:
    """A shipped JSON-LD context by its URL (for a local document loader)."""
    name = CONTEXT_FILES.get(url.rstrip("/"))
    if name is None:
        raise WireError(f"unknown JSON-LD context {url}: only the shipped ones are read")
    return json.loads((Path(__file__).parent / "contexts" / name).read_text())


def canonical(doc) -> bytes:
    """JSON canonical form (sorted keys, no spaces, UTF-8): what is hashed and signed."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def activity(kind: str, actor: str, to: list[str], obj, activity_id: str, **extra) -> dict:
    """An activity addressed to peers' actors only (never the public collection)."""
    if any("#Public" in target or target in ("as:Public", "Public") for target in to):
        raise WireError("a federation activity is never addressed to the public")
    return {"@context": CONTEXT, "id": activity_id, "type": kind, "actor": actor, "to": to,
            "published": now_iso(), "object": obj, **extra}


# --- a digest (``planning.federation``: totals in whole steps) <-> Valueflows proposals ------------

QUANTUM = 0.001  # a resource without a step counts thousandths of its unit (planning.federation)


def _number(value) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _resource_iri(resource: dict, collective: str) -> str:
    return resource.get("uri") or f"{RESOURCE_URN}{collective}:{resource['id']}"


def proposals(digest: dict, author: str) -> list[dict]:
    """A digest's totals as FEP-0837 proposals: ``request`` for a need total (per resource,
    area and tier), ``offer`` for an offer total (per resources, area and reach)."""
    collective = digest.get("collective", "")
    resources = {r["id"]: r for r in digest.get("resources", [])}
    places = {p["id"]: p for p in digest.get("places", [])}

    def amount(resource_id, steps):
        resource = resources[resource_id]
        return {"hasUnit": resource["unit"],
                "hasNumericalValue": _number(steps * (resource.get("step") or QUANTUM))}

    def location(place_id):
        place = places[place_id]
        return {"type": "Place", "latitude": place["lat"], "longitude": place["lon"]}

    items = []
    for need in digest.get("needs", []):
        intent = {"type": "Intent", "action": "transfer", "receiver": author,
                  "resourceConformsTo": _resource_iri(resources[need["resource"]], collective),
                  "resourceQuantity": amount(need["resource"], need["steps"]),
                  "location": location(need["place"]), "tier": need["tier"]}
        items.append({"type": "Proposal", "purpose": "request", "publishes": intent})
    for offer in digest.get("offers", []):
        intent = {"type": "Intent", "action": "transfer", "provider": author,
                  "resourceConformsTo": [_resource_iri(resources[r], collective) for r in offer["resources"]],
                  "availableQuantity": amount(offer["resources"][0], offer["steps"]),
                  "location": location(offer["place"])}
        if offer.get("radius_km") is not None:
            intent["reachKm"] = _number(offer["radius_km"])
        items.append({"type": "Proposal", "purpose": "offer", "publishes": intent})
    return items


def digest_object(digest: dict, author: str, round_uid: str, members: int | None = None) -> dict:
    """The ``Digest`` object that carries a digest on the wire; ``digest`` keeps it
    exactly as the planner reads it, the proposals say the same in Valueflows."""
    return {"type": "Digest", "id": f"{round_uid}/digest/{hashlib.sha256(author.encode()).hexdigest()[:16]}",
            "attributedTo": author, "round": round_uid,
            "items": proposals(digest, author), "digest": digest,
            **({"memberCount": members} if members is not None else {})}


def digest_from_object(obj: dict) -> dict:
    """The digest a ``Digest`` object carries, checked against its proposals (both must say
    the same totals, or the object is refused)."""
    if not isinstance(obj, dict) or obj.get("type") != "Digest" or not isinstance(obj.get("digest"), dict):
        raise WireError("not a Digest object")
    digest = obj["digest"]
    try:
        again = proposals(digest, obj.get("attributedTo", ""))
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise WireError(f"the digest names something it does not define: {exc}") from exc
    if canonical(again) != canonical(obj.get("items")):
        raise WireError("the digest's proposals and its totals disagree")
    return digest


# --- Data Integrity proofs (eddsa-jcs-2022) on digests and plans ---------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(raw: bytes) -> str:
    number, text = int.from_bytes(raw, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        text = _B58[rest] + text
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + text


def unbase58(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _proof_input(doc: dict, config: dict) -> bytes:
    unsigned = {k: v for k, v in doc.items() if k != "proof"}
    return hashlib.sha256(canonical(config)).digest() + hashlib.sha256(canonical(unsigned)).digest()


def sign_object(doc: dict, key_id: str, key) -> dict:
    """``doc`` with a Data Integrity proof by ``key`` (a ``keys.KeyPair``)."""
    config = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
              "verificationMethod": key_id, "proofPurpose": "assertionMethod", "created": now_iso()}
    signature = key.sign(_proof_input(doc, config))
    return {**doc, "proof": {**config, "proofValue": "z" + base58(signature)}}


def object_signer(doc: dict) -> str:
    proof = doc.get("proof")
    if not isinstance(proof, dict) or not isinstance(proof.get("verificationMethod"), str):
        raise WireError("the object carries no proof")
    return proof["verificationMethod"]


def check_object(doc: dict, public: str) -> None:
    """Raise :class:`WireError` unless ``doc``'s proof was made by ``public``'s key."""
    proof = dict(doc.get("proof") or {})
    value = proof.pop("proofValue", "")
    if proof.get("cryptosuite") != "eddsa-jcs-2022" or not value.startswith("z"):
        raise WireError("the object's proof is not eddsa-jcs-2022")
    try:
        signature = unbase58(value[1:])
    except ValueError as exc:
        raise WireError("the object's proof value is not base58") from exc
    if not verify(public, signature, _proof_input(doc, proof)):
        raise WireError("the object's proof does not match its author's key")
