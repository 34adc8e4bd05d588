"""Keep the search index in step with the cards, tables, stations and programme items."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from results.models import Card, ProgrammeItem, Station, ThemeTable
from results.search import index_card, index_place, unindex_card


@receiver(post_save, sender=Card, dispatch_uid="results.index_card")
def card_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # Fixture loads save raw; their cards need indexing as much as edited ones.
    # A save that leaves the text and the withdrawal alone keeps the index.
    if update_fields is not None and not {"text", "withdrawn", "table"} & set(update_fields):
        return
    index_card(instance)


@receiver(post_delete, sender=Card, dispatch_uid="results.unindex_card")
def card_deleted(sender, instance, **kwargs):
    unindex_card(instance)


def place_saved(sender, instance, **kwargs):
    index_place(instance)


def place_deleted(sender, instance, **kwargs):
    index_place(instance, deleted=True)


for model in (ThemeTable, Station, ProgrammeItem):
    post_save.connect(place_saved, sender=model, dispatch_uid=f"results.index_place.{model.__name__}")
    post_delete.connect(place_deleted, sender=model, dispatch_uid=f"results.unindex_place.{model.__name__}")
