import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from results.loading import apply_document_changes, conference_slug, document_changes, load_records
from results.models import Card, Conference


class Command(BaseCommand):
    help = (
        "Load a conference from its fixture unless it is already in the database. For a conference that is "
        "there, report how the fixture's document differs and change nothing unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixture", type=Path)
        parser.add_argument(
            "--update",
            action="store_true",
            help="Apply a changed document to the conference; corrections and added cards stay, removed cards are "
            "withdrawn, not deleted.",
        )

    def handle(self, *args, fixture, update, **options):
        try:
            records = json.loads(fixture.read_text(encoding="utf-8"))
            slug = conference_slug(records)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the fixture {fixture}: {error}") from None
        conference = Conference.objects.filter(slug=slug).first()
        if conference is None:
            conference = load_records(records)
            cards = Card.objects.filter(table__conference=conference).count()
            self.stdout.write(f"Loaded conference {slug}: {conference.tables.count()} tables, {cards} cards.")
            return
        changes = document_changes(records, conference)
        if not changes:
            self.stdout.write(f"Conference {slug} is already in the database; nothing changed.")
            return
        for line in changes.report():
            self.stdout.write(line)
        if not update:
            self.stdout.write(f"Conference {slug} is already in the database; nothing changed (--update applies this).")
            return
        try:
            apply_document_changes(changes, conference)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Conference {slug} updated from the document.")
