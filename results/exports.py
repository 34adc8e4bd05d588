"""The open-data export: its columns and the CSV, JSON and XLSX writers, shared by the views and export_cards."""

import csv
import io
import json
import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from results.models import Kind

COLUMNS = [
    "id",
    "conference",
    "table",
    "table_title",
    "station",
    "kind",
    "heading",
    "position",
    "parent",
    "text",
    "original_text",
    "corrected",
    "source_line",
    "url",
]

# The spreadsheet's header row, with the kind's German label beside its code
# and widths (in characters) that show a typical value without wrapping.
XLSX_COLUMNS = [
    ("id", _("ID"), 8),
    ("conference", _("Konferenz"), 16),
    ("table", _("Tisch"), 7),
    ("table_title", _("Thementisch"), 36),
    ("station", _("Station"), 8),
    ("kind", _("Art (Kürzel)"), 11),
    ("kind_label", _("Art"), 30),
    ("heading", _("Überschrift"), 30),
    ("position", _("Position"), 9),
    ("parent", _("Übergeordnete Karte"), 12),
    ("text", _("Text"), 70),
    ("original_text", _("Originaltext"), 70),
    ("corrected", _("Korrigiert"), 11),
    ("source_line", _("Zeile im Quelldokument"), 12),
    ("url", _("Link zur Karte"), 60),
]

# Control characters are not allowed in XLSX cells (openpyxl refuses them).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def card_rows(cards, base_url):
    """One dict per public card of the queryset, keys in COLUMNS order, in document order: one query."""
    base_url = base_url.rstrip("/")
    table_urls = {}
    values = cards.for_export().values(
        "id",
        "table__conference__slug",
        "table__number",
        "table__title",
        "table__slug",
        "station__number",
        "kind",
        "heading",
        "position",
        "parent_id",
        "text",
        "original_text",
        "is_corrected",
        "source_line",
    )
    for card in values.iterator(chunk_size=2000):
        conference, slug = card["table__conference__slug"], card["table__slug"]
        if (conference, slug) not in table_urls:
            # Export URLs are the same whatever language the request came in.
            with translation.override(settings.LANGUAGE_CODE):
                table_urls[conference, slug] = base_url + reverse(
                    "results:table", kwargs={"conf": conference, "slug": slug}
                )
        yield {
            "id": card["id"],
            "conference": conference,
            "table": card["table__number"],
            "table_title": card["table__title"],
            "station": card["station__number"],
            "kind": card["kind"],
            "heading": card["heading"],
            "position": card["position"],
            "parent": card["parent_id"],
            "text": card["text"],
            "original_text": card["original_text"],
            "corrected": card["is_corrected"],
            "source_line": card["source_line"],
            "url": f"{table_urls[conference, slug]}#karte-{card['id']}",
        }


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # One field for a list: " | " cannot occur inside a meaning or an actor's name in practice.
        return " | ".join(str(item) for item in value)
    return value


def write_csv(rows, stream, columns=COLUMNS):
    """Comma-separated, header row first; booleans as true/false, no value as an empty field."""
    # Built in memory and written once: an HttpResponse pays for every write.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_csv_value(row[column]) for column in columns] for row in rows)
    stream.write(buffer.getvalue())


def write_json(conference_slug, rows, stream, key="cards"):
    """{"conference": slug, "count": N, "cards" (or key): [...]}, UTF-8 as is, indented."""
    items = list(rows)
    # json.dumps() and one write: json.dump() writes to an HttpResponse in tens of
    # thousands of small chunks, which took most of the export's time.
    document = {"conference": conference_slug, "count": len(items), key: items}
    stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _xlsx_cell(sheet, value):
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XLSX.sub("", value)
    if not value.startswith("="):
        return value
    # Text is text: a card starting with "=" must never become a formula.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_xlsx(rows, stream):
    """An Excel workbook with German column labels, the kind's label beside its code, a frozen header row."""
    labels = dict(Kind.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Karten")))
    sheet.freeze_panes = "A2"
    for index, (_key, _label, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for _key, label, _width in XLSX_COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        row = row | {"kind_label": str(labels.get(row["kind"], row["kind"]))}
        sheet.append([_xlsx_cell(sheet, row[key]) for key, _label, _width in XLSX_COLUMNS])
    workbook.save(stream)
