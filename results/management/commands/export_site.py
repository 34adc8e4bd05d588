from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http.request import validate_host
from django.utils import timezone

from results.models import Conference
from results.offline import default_base_url, export_site


class Command(BaseCommand):
    help = "Write a self-contained static copy of a conference's public pages into a zip file, to open from disk."

    def add_arguments(self, parser):
        parser.add_argument("--conference", required=True, help="The conference's slug, e.g. winnenden-2019.")
        parser.add_argument("--output", required=True, type=Path, help="The zip file to write.")
        parser.add_argument(
            "--base-url",
            default=None,
            help=(
                "The archive's public address, for the short links and QR codes "
                "(default: SITE_URL, else the first allowed host)."
            ),
        )

    def handle(self, *args, conference, output, base_url, **options):
        try:
            conference = Conference.objects.get(slug=conference)
        except Conference.DoesNotExist:
            raise CommandError(f"No conference with the slug {conference!r}.") from None
        base_url = base_url or default_base_url()
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not validate_host(
            parts.hostname or "", settings.ALLOWED_HOSTS or ["localhost"]
        ):
            raise CommandError(
                f"{base_url} is no address of this archive: give an http(s) URL whose host is in DJANGO_ALLOWED_HOSTS."
            )
        try:
            files = export_site(conference, output, base_url, timezone.localtime())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot write the offline copy: {error}") from None
        self.stdout.write(f"Wrote {len(files)} files of {conference.slug} to {output}.")
