import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from results.importer import DocumentError, parse_document, to_records


def hints_path(document):
    return document.with_name(document.stem + ".hints.json")


class Command(BaseCommand):
    help = "Parse the conference document and write its fixture (fixtures/<conference>.json)."

    def add_arguments(self, parser):
        parser.add_argument("document", type=Path)
        parser.add_argument("--conference", required=True, help="Slug of the conference, e.g. winnenden-2019.")
        parser.add_argument(
            "--hints", type=Path, help="Judgment calls for this document (default: <document>.hints.json if present)."
        )
        parser.add_argument("--output", type=Path, help="Where to write the fixture (default: fixtures/<slug>.json).")

    def handle(self, *args, document, conference, hints, output, **options):
        try:
            text = document.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {document}: {error}") from None
        hints = hints or hints_path(document)
        try:
            hint_data = json.loads(hints.read_text(encoding="utf-8")) if hints.exists() else {}
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the hints {hints}: {error}") from None
        try:
            parsed = parse_document(text, hint_data)
        except DocumentError as error:
            raise CommandError(f"{document}: {error}") from None
        records = to_records(parsed, slug=conference, source_document=document.name, source_text=text)
        output = output or Path("fixtures") / f"{conference}.json"
        output.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        cards = sum(record["model"] == "results.card" for record in records)
        self.stdout.write(f"{output}: {len(parsed.tables)} tables, {cards} cards.")
