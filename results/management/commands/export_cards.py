from django.core.management.base import BaseCommand, CommandError

from results import exports
from results.models import Card, Conference


class Command(BaseCommand):
    help = "Write the public cards as open data to stdout, as /<conf>/karten.json, karten.csv and karten-excel.csv do."

    def add_arguments(self, parser):
        parser.add_argument("--conference", metavar="SLUG", help="only this conference's cards (default: all)")
        parser.add_argument(
            "--format",
            choices=["json", "csv", "excel"],
            default="json",
            help="json, csv (for programs) or excel (semicolons, byte order mark, no formulas)",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="scheme and host the card URLs start with (default: %(default)s)",
        )

    def handle(self, *args, conference=None, format, base_url, **options):
        cards, found = Card.objects.all(), None
        if conference is not None:
            found = Conference.objects.filter(slug=conference).first()
            if found is None:
                raise CommandError(f"Keine Konferenz mit dem Kürzel „{conference}“.")
            cards = cards.filter(table__conference=found)
        rows = exports.card_rows(cards, base_url)
        # The writers write in pieces; OutputWrapper would end each piece with a newline.
        self.stdout.ending = ""
        if format in {"csv", "excel"}:
            exports.write_csv(rows, self.stdout, excel=format == "excel")
        else:
            exports.write_json(conference, rows, self.stdout, licence=found.licence if found else None)
