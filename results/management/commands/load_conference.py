import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from results.loading import conference_slug, load_records
from results.models import Card, Conference


class Command(BaseCommand):
    help = "Load a conference from its fixture unless it is already in the database; never overwrites anything."

    def add_arguments(self, parser):
        parser.add_argument("fixture", type=Path)

    def handle(self, *args, fixture, **options):
        try:
            records = json.loads(fixture.read_text(encoding="utf-8"))
            slug = conference_slug(records)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the fixture {fixture}: {error}") from None
        if Conference.objects.filter(slug=slug).exists():
            self.stdout.write(f"Conference {slug} is already in the database; nothing changed.")
            return
        conference = load_records(records)
        cards = Card.objects.filter(table__conference=conference).count()
        self.stdout.write(f"Loaded conference {slug}: {conference.tables.count()} tables, {cards} cards.")
