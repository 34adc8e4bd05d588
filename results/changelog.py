"""
The public change log of a conference: corrections, additions and withdrawals of cards, newest first, read from
the cards' history (django-simple-history), so that a reader who cited a card can see what changed and why.

A history record is listed when, against the card's previous record, its text changed (a correction), it was
withdrawn or published again, or it created a card the editors added (cards loaded from the document are no news).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from results.models import Card, Conference
from results.text import word_diff

CHANGES_PER_PAGE = 50


@dataclass
class Change:
    kind: str  # "corrected", "added", "withdrawn" or "republished"
    date: datetime
    reason: str
    table_title: str
    url: str
    before: str
    after: str

    LABELS = {
        "corrected": gettext_lazy("berichtigt"),
        "added": gettext_lazy("ergänzt"),
        "withdrawn": gettext_lazy("zurückgezogen"),
        "republished": gettext_lazy("wieder veröffentlicht"),
    }

    @property
    def label(self):
        return self.LABELS[self.kind]

    @property
    def diff(self):
        return word_diff(self.before, self.after)


def change_kind(record, previous):
    if previous is None:
        return "added" if record.history_type == "+" and record.origin != Card.Origin.DOCUMENT else None
    if record.withdrawn != previous.withdrawn:
        return "withdrawn" if record.withdrawn else "republished"
    if record.text != previous.text:
        return "corrected"
    return None


def changes(conference):
    """Every listed change of the conference's cards, newest first."""
    records = (
        Card.history.filter(table__conference=conference)
        .exclude(history_type="-")
        .select_related("table")
        .order_by("id", "history_id")
    )
    # Only cards with more than their first record, or added by the editors, can have news.
    records = records.filter(
        Q(id__in=Card.history.filter(history_type="~").values("id")) | ~Q(origin=Card.Origin.DOCUMENT)
    )
    # A deleted card's changes are not listed at all. A withdrawn card's text is no longer public: of its changes,
    # only the withdrawal is listed, without its text.
    live = dict(Card.objects.filter(table__conference=conference).values_list("pk", "withdrawn"))
    withdrawn = {pk for pk, is_withdrawn in live.items() if is_withdrawn}
    found, previous = [], None
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        kind = change_kind(record, previous)
        if kind and record.id in live and (record.id not in withdrawn or kind == "withdrawn"):
            table_url = reverse("results:table", args=[conference.slug, record.table.slug])
            found.append(
                Change(
                    kind=kind,
                    date=record.history_date,
                    reason=record.withdrawn_reason if kind == "withdrawn" else (record.history_change_reason or ""),
                    table_title=record.table.title,
                    url=table_url if record.id in withdrawn else f"{table_url}#karte-{record.id}",
                    before=previous.text if kind == "corrected" else "",
                    after="" if record.id in withdrawn else record.text,
                )
            )
        previous = record
    found.sort(key=lambda change: change.date, reverse=True)
    return found


@require_safe
def change_log(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    page = Paginator(changes(conference), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "results/changes.html", {"conference": conference, "page": page})


class ChangeFeed(Feed):
    """The same changes as an Atom feed, for readers who follow a conference."""

    feed_type = Atom1Feed

    def get_object(self, request, conf):
        return get_object_or_404(Conference, slug=conf)

    def title(self, conference):
        return _("Änderungen: %(title)s") % {"title": conference.title}

    def link(self, conference):
        return reverse("results:changes", args=[conference.slug])

    def subtitle(self, conference):
        return _("Berichtigungen, Ergänzungen und zurückgezogene Karten, die neuesten zuerst.")

    def items(self, conference):
        return changes(conference)[:CHANGES_PER_PAGE]

    def item_title(self, change):
        return f"{change.label}: {change.table_title}"

    def item_description(self, change):
        if change.kind == "corrected":
            return _("Vorher: „%(before)s“ – jetzt: „%(after)s“") % {"before": change.before, "after": change.after}
        return change.after if change.kind != "withdrawn" else change.reason

    def item_link(self, change):
        return change.url

    def item_guid(self, change):
        return f"{change.url}@{change.date.isoformat()}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change.date

    def item_pubdate(self, change):
        return change.date
