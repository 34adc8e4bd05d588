"""Bring a backup written by `backup` back into a freshly migrated database."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from results.management.commands.backup import BACKUP_MODELS
from results.mediabackup import media_path, restore_media
from results.models import Card, Conference, Report
from results.search import reindex


def holds_content():
    """True when the database already has archive content or users: a restore would mix two states."""
    from django.contrib.auth import get_user_model

    return any(model.objects.exists() for model in (Conference, Card, Report, get_user_model()))


class Command(BaseCommand):
    help = "Restore a backup into an empty, freshly migrated database (--force replaces existing content)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete everything in the database first and restore the backup in its place.",
        )

    def handle(self, *args, file, force, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such backup file: {path}")
        if holds_content() and not force:
            raise CommandError(
                "The database already holds content or users; restoring would mix two states. "
                "Restore into an empty, freshly migrated database, or pass --force to delete "
                "everything first and replace it with the backup."
            )
        try:
            # One transaction: a backup that fails to load leaves the database as it was.
            with transaction.atomic():
                if force:
                    # flush also empties content types and permissions; its post_migrate
                    # signal creates them again before the backup's natural keys need them.
                    call_command("flush", interactive=False, verbosity=0)
                # migrate created the "Redaktion" group; the backup brings it back
                # with its own state (natural keys match it by name). A backup made
                # before a field was removed (Card.search_text) still loads: ignore=True
                # drops the fields the models no longer have.
                call_command("loaddata", str(path), ignore=True, verbosity=0)
                # flush leaves the search index alone: cards and places the backup lacks would stay in it.
                reindex()
        except (DeserializationError, DatabaseError) as error:
            raise CommandError(f"{path} could not be restored; the database is unchanged. {error}") from error
        self.stdout.write(f"Restored {path} ({', '.join(BACKUP_MODELS)}).")
        restored, missing = restore_media(path)
        if restored or missing:
            self.stdout.write(f"Restored {restored} photo and PDF files from {media_path(path)}.")
        if missing:
            self.stderr.write(f"Files the archive refers to but the backup does not hold: {', '.join(missing)}")
