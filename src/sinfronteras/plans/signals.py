"""Keep tasks true to their needs and offers when those are withdrawn."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from sinfronteras.members.signals import member_leaving
from sinfronteras.sharing.models import Need, NeedStatus, Offer, OfferStatus
from sinfronteras.sharing.services import do_withdraw_need, do_withdraw_offer

from .models import LIVE_STATES as LIVE
from .models import SealedAddress, Task, TaskState
from .store import commit, retire


def _supersede(tasks) -> None:
    retire(tasks.filter(state__in=LIVE), TaskState.SUPERSEDED)


@receiver(post_save, sender=Need)
def cancel_tasks_of_a_withdrawn_need(sender, instance, **kwargs):
    if instance.status != NeedStatus.WITHDRAWN:
        return
    with transaction.atomic():
        _supersede(Task.objects.filter(need=instance))
        SealedAddress.objects.filter(need=instance).delete()


@receiver(post_save, sender=Offer)
def cancel_tasks_of_a_withdrawn_offer(sender, instance, **kwargs):
    if instance.status != OfferStatus.WITHDRAWN:
        return
    with transaction.atomic():
        _supersede(Task.objects.filter(offer=instance))
        # A carrier who withdraws: their carries go back to the pool.
        for task in Task.objects.select_for_update().filter(carrier_offer=instance, state__in=LIVE):
            commit(instance.pk, -task.hours)
            task.state, task.carrier, task.carrier_offer, task.accepted_at = (
                TaskState.OPEN, None, None, None)
            task.save(update_fields=["state", "carrier", "carrier_offer", "accepted_at"])


@receiver(member_leaving)
def release_a_leaving_member(sender, member, **kwargs):
    """Tasks the member carries go back to the pool; their needs and offers are withdrawn
    (which, above, supersedes the tasks that served them)."""
    retire(Task.objects.filter(carrier=member, state__in=[TaskState.PROPOSED, TaskState.ACCEPTED]),
           TaskState.DECLINED)
    for need in member.needs.open():
        do_withdraw_need(need)
    for offer in member.offers.active():
        do_withdraw_offer(offer)
