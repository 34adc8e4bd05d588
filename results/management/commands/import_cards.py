"""Import a conference's cards from a spreadsheet (see docs/import.md): the admin's „Aus Tabelle importieren“."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from results import spreadsheet
from results.models import Conference


def summary(plan):
    """The preview as lines of text: + a new card, ~ a changed one (field: before → after), - one the file lacks."""
    lines = [f"Neue Konferenz „{plan.slug}“"] if plan.conference is None else []
    lines += [f"  {Conference._meta.get_field(name).verbose_name}: {v}" for name, v in plan.conference_values.items()]
    lines += [f"  Station {number}: {question}" for number, question in plan.stations.items()]
    lines += [f"  Thementisch {number}: {title}" for number, title in plan.tables.items()]
    lines += [f"+ Zeile {row['row']}: {row['text']}" for row in plan.new]
    for card, row, names in plan.changed:
        changes = (
            f"{name}: {spreadsheet.shown(getattr(card, name))} → {spreadsheet.shown(row[name])}" for name in names
        )
        lines.append(f"~ Karte {card.pk}: {'; '.join(changes)}")
    lines += [f"- Karte {card.pk}: {card.text}" for card in plan.missing]
    return [*lines, plan.counts()]


class Command(BaseCommand):
    help = "Import cards (and a new conference) from an XLSX or CSV file; --dry-run only prints the preview."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--conference", required=True, help="slug of the conference (a new one is created)")
        parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
        parser.add_argument("--withdraw-missing", action="store_true", help="withdraw cards the file does not have")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            validate_slug(options["conference"])
        except ValidationError as error:
            raise CommandError(f"--conference: {error.messages[0]}") from error
        try:
            with path.open("rb") as file:
                sheets = spreadsheet.read_file(path.name, file.read(spreadsheet.limit() + 1))
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except spreadsheet.SpreadsheetError as error:
            raise CommandError("\n".join(map(str, error.problems))) from error
        plan = spreadsheet.plan(options["conference"], sheets, path.name[:80])
        if plan.problems:
            raise CommandError("\n".join(map(str, plan.problems)))
        self.stdout.write("\n".join(summary(plan)))
        if not options["dry_run"]:
            spreadsheet.apply(plan, withdraw_missing=options["withdraw_missing"])
            self.stdout.write("Imported.")
