"""Pages for needs, offers and the catalogue: parse, check access, delegate to services."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinfronteras.members.models import Area
from sinfronteras.web.confirm import ask, confirmed
from sinfronteras.web.formats import amount

from . import listfilter, lists, services
from .bounds import id_in_range
from .forms import AreaForm, NeedForm, OfferForm, ResourceForm
from .models import Resource


PER_PAGE = lists.PER_PAGE
#: Back, then Post, of the same need or offer: nothing new is made (``services._create``).
ALREADY = gettext_lazy("Already posted: you sent this same one a moment ago, so nothing new "
                       "was made. Here it is; to ask for more, edit it.")


def _by_area(request, rows):
    """One page of rows (ordered by area), grouped by area."""
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    groups = [(area, list(group)) for area, group in groupby(page, key=lambda item: item.area)]
    return {"groups": groups, "page": page}


def _listed(request, first_page, listed, *, states, resource_field):
    """One page of Needs or Offers, grouped by area. A coordinator's list can be narrowed
    (``listfilter``). An unfiltered first page is read with SQL compiled once
    (``lists.FirstPage``); other pages and filtered lists as Django builds them."""
    member, form, wanted = request.user, None, {}
    if member.is_coordinator:
        form = listfilter.ListFilter(request.GET, collective_id=member.collective_id, states=states)
        wanted = form.wanted()
    if not wanted and request.GET.get("page") in (None, "", "1"):
        rows = first_page.of(member)
    else:
        rows = listfilter.narrow(listed(member), wanted, resource_field=resource_field) if wanted \
            else listed(member)
    context = _by_area(request, rows)
    if form is not None:
        context.update(filter=form, filtered=bool(wanted), pager_query=listfilter.query_of(wanted))
    return context


@login_required
def home(request):
    member = request.user
    return render(request, "sharing/home.html", {
        "needs": lists.home_needs(member), "offers": lists.home_offers(member)})


@login_required
def needs(request):
    return render(request, "sharing/needs.html", _listed(
        request, lists.NEEDS_FIRST_PAGE, lists.needs_listed, states=listfilter.NEED_STATES,
        resource_field="resource_id"))


@login_required
def offers(request):
    return render(request, "sharing/offers.html", _listed(
        request, lists.OFFERS_FIRST_PAGE, lists.offers_listed, states=listfilter.OFFER_STATES,
        resource_field="resources"))


@login_required
def need_edit(request, pk=None):
    need = services.access_need(request.user, pk, write=True) if pk else None
    form = NeedForm(request.POST or None, instance=need, member=request.user)
    if request.method == "POST" and form.is_valid():
        if need is None:
            _made, created = services.do_create_need(request.user, form,
                                                     same_within=services.SAME_POST_WITHIN)
            if created:
                messages.success(request, _("Your need is posted."))
            else:
                messages.info(request, ALREADY)
        else:
            try:
                services.do_update(form, request.user)
            except services.NoLongerOpen as refused:  # withdrawn meanwhile: it stays withdrawn
                messages.error(request, str(refused))
                return redirect("needs")
            messages.success(request, _("Your need is updated."))
        return redirect("needs")
    return render(request, "sharing/need_form.html", {"form": form, "need": need})


@login_required
@require_POST
def need_withdraw(request, pk):
    need = services.access_need(request.user, pk, write=True)
    if not confirmed(request):
        return ask(request, title=_("Withdraw this need?"), button=_("Yes, withdraw it"),
                   back=reverse("needs"), question=_(
                       "%(what)s in %(area)s will no longer be planned, and its deliveries are "
                       "called off. To ask again, post a new need.") % {
                       "what": f"{amount(need.quantity, need.resource)} · {need.resource.name}",
                       "area": need.area})
    services.do_withdraw_need(need, request.user)
    messages.success(request, _("The need is withdrawn."))
    return redirect("needs")


@login_required
def offer_edit(request, pk=None):
    offer = services.access_offer(request.user, pk, write=True) if pk else None
    form = OfferForm(request.POST or None, instance=offer, member=request.user,
                     initial=None if offer else _offer_initial(request))
    if request.method == "POST" and form.is_valid():
        if offer is None:
            _made, created = services.do_create_offer(request.user, form,
                                                      same_within=services.SAME_POST_WITHIN)
            if created:
                messages.success(request, _("Your offer is posted. Thank you."))
            else:
                messages.info(request, ALREADY)
        else:
            try:
                services.do_update(form, request.user)
            except services.NoLongerOpen as refused:  # withdrawn meanwhile: it stays withdrawn
                messages.error(request, str(refused))
                return redirect("offers")
            messages.success(request, _("Your offer is updated."))
        return redirect("offers")
    return render(request, "sharing/offer_form.html", {"form": form, "offer": offer})


def _offer_initial(request) -> dict:
    """A new offer may open filled in (``?resource=3&area=2``, from an action's page): only
    with this collective's resource and area, else empty."""
    collective = request.user.collective_id
    initial = {}
    resource = request.GET.get("resource", "")
    if id_in_range(resource) and Resource.objects.filter(pk=resource, collective_id=collective).exists():
        initial["resources"] = [int(resource)]
    area = request.GET.get("area", "")
    if id_in_range(area) and Area.objects.filter(pk=area, collective_id=collective).exists():
        initial["area"] = int(area)
    return initial


@login_required
@require_POST
def offer_withdraw(request, pk):
    offer = services.access_offer(request.user, pk, write=True)
    if not confirmed(request):
        return ask(request, title=_("Withdraw this offer?"), button=_("Yes, withdraw it"),
                   back=reverse("offers"), question=_(
                       "Nothing more of this offer will be planned, and the deliveries not yet "
                       "accepted are called off. To give again, post a new offer."))
    services.do_withdraw_offer(offer, request.user)
    messages.success(request, _("The offer is withdrawn."))
    return redirect("offers")


@login_required
def catalogue(request):
    """Every member reads the areas and resources; coordinators change them."""
    collective = request.user.collective
    return render(request, "sharing/catalogue.html", {
        "resources": Resource.objects.filter(collective=collective),
        "areas": Area.objects.filter(collective=collective),
    })


def _catalogue_entry(request, pk, model, form_class, template):
    if not request.user.is_coordinator:
        raise PermissionDenied(_("Only coordinators change the catalogue."))
    collective = request.user.collective
    item = get_object_or_404(model, pk=pk, collective=collective) if pk else None
    form = form_class(request.POST or None, instance=item, collective=collective)
    if request.method == "POST" and form.is_valid():
        services.do_save_catalogue_entry(request.user, form, model._meta.model_name)
        messages.success(request, _("Saved, and written in the audit log."))
        return redirect("catalogue")
    return render(request, template, {"form": form, "item": item})


@login_required
def resource_edit(request, pk=None):
    return _catalogue_entry(request, pk, Resource, ResourceForm, "sharing/resource_form.html")


@login_required
def area_edit(request, pk=None):
    return _catalogue_entry(request, pk, Area, AreaForm, "sharing/area_form.html")
