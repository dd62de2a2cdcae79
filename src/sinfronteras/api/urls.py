"""The JSON API, described by OpenAPI at /api/openapi.json: its routes wired together.

Views (``collective.py``, ``needs_offers.py``, ``alerts.py``) only translate JSON to the
same forms and services the pages use: a rule lives in one place, and a bad field gets
the same message everywhere. Bodies are described in ``schemas.py``, errors in
``errors.py``, who may call in ``auth.py``.
"""

from __future__ import annotations

from . import alerts, collective, errors, needs_offers
from .auth import BearerToken, MemberSession
from .errors import Api, page_not_found, server_error

__all__ = ["api", "page_not_found", "server_error"]

api = Api(
    title="sinfronteras",
    version="1",
    description="Needs and offers of one collective. Authenticate with a personal token "
                "(Authorization: Bearer ...) or a logged-in session. A token acts as a member "
                "unless it was made with a coordinator's scope; a coordinator's session acts "
                "as a member's until the second factor is entered. Errors are JSON: "
                "{\"detail\": ...}, or {\"errors\": {field: [...]}} for a 400.",
    auth=[BearerToken(), MemberSession()],
    docs_url=None,  # the interactive docs load third-party scripts: not here
    urls_namespace="api",
)
errors.install(api)
api.add_router("", collective.router)
api.add_router("", needs_offers.router)
api.add_router("", alerts.router)
