from django import template

from ..forms import PreferenceForm
from ..models import preference_of
from ..push import public_key

register = template.Library()


@register.inclusion_tag("notify/settings.html", takes_context=True)
def notification_settings(context):
    """The account page's section: which kinds, quiet hours, and push on this device."""
    member = context["request"].user
    return {"request": context["request"], "csrf_token": context.get("csrf_token"),
            "notify_form": PreferenceForm(instance=preference_of(member)),
            "devices": member.push_subscriptions.count(), "vapid_public_key": public_key()}
