"""Purge deleted photos for good: their historical rows, then every stored file no row refers to any more."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from results.mediabackup import referenced_files
from results.photos import PHOTO_FOLDER, Photo

FOLDERS = [PHOTO_FOLDER, "quellen"]


def stored_files(folder):
    """Every file name under folder in the default storage."""
    if not default_storage.exists(folder):
        return []
    directories, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for directory in directories:
        names += stored_files(f"{folder}/{directory}")
    return names


class Command(BaseCommand):
    help = (
        "Forget deleted photos (their history, so they can no longer be restored) and delete the files that "
        "nothing refers to any more. Without --yes it only lists what it would delete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--photo", type=int, action="append", default=[], help="the id of a deleted photo")
        parser.add_argument("--all-deleted", action="store_true", help="every deleted photo")
        parser.add_argument("--yes", action="store_true", help="delete; otherwise list only")

    def handle(self, *args, photo, all_deleted, yes, **options):
        existing = set(Photo.objects.filter(pk__in=photo).values_list("pk", flat=True))
        if existing:
            raise CommandError(f"Photo {', '.join(map(str, sorted(existing)))} is not deleted; delete it first.")
        history = Photo.history.exclude(id__in=Photo.objects.values("pk"))
        history = history if all_deleted else history.filter(id__in=photo)
        ids = sorted(set(history.values_list("id", flat=True)))
        if yes:
            history.delete()
        keep = set(referenced_files())
        orphans = [name for folder in FOLDERS for name in stored_files(folder) if name not in keep]
        if yes:
            for name in orphans:
                default_storage.delete(name)
        verb = "Purged" if yes else "Would purge"
        self.stdout.write(f"{verb} the history of {len(ids)} deleted photo(s) {ids} and {len(orphans)} file(s).")
        for name in orphans:
            self.stdout.write(f"  {name}")
