"""The audit log, readable by every member: no account has hidden powers."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Event


@login_required
def audit_log(request):
    events = Event.objects.filter(collective_id=request.user.collective_id).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "events": page.object_list})
