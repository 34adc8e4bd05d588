"""Keep the search index in step with the cards, tables, stations and programme items, and the page cache with
the data."""

import threading

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from results.models import Card, Conference, ProgrammeItem, Station, ThemeTable
from results.pagecache import bump_versions, new_release
from results.search import index_card, index_place, unindex_card

# Readers' reports are shown on no public page.
NOT_SHOWN = {"report", "formuse"}


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


# What this thread's transactions changed and has not yet told the page cache.
_pending = threading.local()


def data_changed(sender, instance, using=None, **kwargs):
    """A row shown on public pages changed: its conference's pages (or all) are stale once it commits."""
    changes = vars(_pending).setdefault("changes", {"everything": False, "conferences": set(), "tables": set()})
    if isinstance(instance, Conference) or getattr(instance, "conference_id", False) is None:
        # A renamed or deleted conference, or a rule for every conference.
        changes["everything"] = True
    elif hasattr(instance, "conference_id"):
        changes["conferences"].add(instance.conference_id)
    elif hasattr(instance, "table_id"):
        changes["tables"].add(instance.table_id)
    else:
        changes["everything"] = True
    # One callback per change, but only the first of a commit finds anything to do: a
    # callback registered once per transaction would be lost with a rolled-back one.
    transaction.on_commit(tell_page_cache, using=using, robust=True)


def tell_page_cache():
    changes = vars(_pending).pop("changes", None)
    if changes is None:
        return
    slugs = Conference.objects.filter(Q(pk__in=changes["conferences"]) | Q(tables__in=changes["tables"])).values_list(
        "slug", flat=True
    )
    bump_versions(set(slugs), everything=changes["everything"])


for model in apps.get_app_config("results").get_models():
    # A historical row is only ever written beside a change of its model's row.
    if model._meta.model_name in NOT_SHOWN or model._meta.model_name.startswith("historical"):
        continue
    post_save.connect(data_changed, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
    post_delete.connect(data_changed, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
# Once per migrate (this app's signal only): every release, `make run` and `make serve` migrate.
post_migrate.connect(new_release, sender=apps.get_app_config("results"), dispatch_uid="results.page-cache-release")
