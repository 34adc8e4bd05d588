from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from results.models import Card, Conference
from results.search import reindex


class Command(BaseCommand):
    help = "Rebuild the search index: of everything (cards, tables, stations, programme), or of one conference's cards."

    def add_arguments(self, parser):
        parser.add_argument("--conference", metavar="SLUG", help="only this conference's cards")

    def handle(self, *args, conference=None, **options):
        cards = None
        if conference is not None:
            try:
                cards = Card.objects.filter(table__conference=Conference.objects.get(slug=conference))
            except Conference.DoesNotExist:
                raise CommandError(f"Keine Konferenz mit dem Kürzel „{conference}“.") from None
        count = reindex(cards)
        self.stdout.write(
            ngettext("%(count)d Karte neu indexiert.", "%(count)d Karten neu indexiert.", count) % {"count": count}
        )
