"""The federation page: every member sees its collectives, rounds and what crossed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .page import page_context


@login_required
def federation_page(request):
    """Collectives, servers and when each last answered; the last rounds; what crossed both
    ways by resource and tier; each peer's part; coordinators: the transfers in progress."""
    return render(request, "federation/federation.html", page_context(request.user))
