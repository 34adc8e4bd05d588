"""Delete readers' reports that were resolved long enough ago."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from results.models import Report


class Command(BaseCommand):
    help = "Delete resolved reports older than --days (default 90); open reports are kept."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = Report.objects.exclude(status=Report.Status.OPEN).filter(resolved_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} resolved report(s) older than {days} days.")
