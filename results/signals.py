"""Keep every card's search terms in step with its text."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from results.models import Card
from results.search import index_card


@receiver(post_save, sender=Card, dispatch_uid="results.index_card")
def card_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # Fixture loads save raw; their cards need terms as much as edited ones.
    # A save that leaves the text alone (withdrawing a card) keeps its terms.
    if update_fields is not None and "text" not in update_fields:
        return
    index_card(instance)


# Deleting a card needs no handler: its CardTerm rows go with it (on_delete=CASCADE).
