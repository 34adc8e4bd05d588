"""The open-data export: its columns and the CSV, JSON and XLSX writers, shared by the views and export_cards."""

import csv
import io
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from results.models import Kind


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header and JSON key (DESIGN.md, "Export format")
    source: str  # where Card.objects.for_export().values() has it; empty for the computed url
    label: str  # the spreadsheet's German header
    width: int  # the spreadsheet column's width in characters, enough for a typical value
    help: str  # what the data page says about it
    type: str = "string"  # its Frictionless field type (results/opendata.py)


# The one definition of the export columns, in the order of DESIGN.md.
# fmt: off
FIELDS = [
    Column("id", "id", _("ID"), 8,
           _("Die dauerhafte Nummer der Karte im Archiv."), "integer"),
    Column("conference", "table__conference__slug", _("Konferenz"), 16,
           _("Das Kürzel der Konferenz, z. B. „winnenden-2019“.")),
    Column("table", "table__number", _("Tisch"), 7,
           _("Die Nummer des Thementischs in der Reihenfolge des Dokuments."), "integer"),
    Column("table_title", "table__title", _("Thementisch"), 36,
           _("Der Titel des Thementischs.")),
    Column("station", "station__number", _("Station"), 8,
           _("Die Nummer der Station (Runde des World Cafés)."), "integer"),
    Column("kind", "kind", _("Art (Kürzel)"), 11,
           _("Die Art der Karte als Code: gut, hakt, ziel, vor-ort, helfer oder sonstiges (siehe Tabelle unten).")),
    Column("heading", "heading", _("Überschrift"), 30,
           _("Die Überschrift, unter der die Karte auf der Folie stand; kann leer sein.")),
    Column("position", "position", _("Position"), 9,
           _("Die Reihenfolge der Karte innerhalb ihrer Station."), "integer"),
    Column("parent", "parent_id", _("Übergeordnete Karte"), 12,
           _("Die Nummer der übergeordneten Karte bei eingerückten Aufzählungen; leer, wenn es keine gibt."),
           "integer"),
    Column("text", "text", _("Text"), 70,
           _("Der Text der Karte, wie er im Archiv angezeigt wird.")),
    Column("original_text", "original_text", _("Originaltext"), 70,
           _("Der Wortlaut des Dokuments; leer bei Karten, die die Redaktion nachträglich ergänzt hat.")),
    Column("corrected", "is_corrected", _("Korrigiert"), 11,
           _("true, wenn die Redaktion den Text gegenüber dem Dokument berichtigt hat, sonst false."), "boolean"),
    Column("source_line", "source_line", _("Zeile im Quelldokument"), 12,
           _("Die Zeile im Text des Quelldokuments, aus der die Karte stammt."), "integer"),
    Column("url", "", _("Link zur Karte"), 60,
           _("Die vollständige Adresse der Karte auf der Seite ihres Thementischs.")),
]
# fmt: on
COLUMNS = [column.name for column in FIELDS]
# The spreadsheet adds the kind's German label beside its code.
KIND_LABEL = Column("kind_label", "", _("Art"), 30, "")
XLSX_FIELDS = [extra for column in FIELDS for extra in ([column, KIND_LABEL] if column.name == "kind" else [column])]
URL_INDEX = [column.name for column in XLSX_FIELDS].index("url")
# Download names by format: the Excel CSV is a CSV file too.
FILE_ENDINGS = {"csv": ".csv", "excel": "-excel.csv", "json": ".json", "xlsx": ".xlsx"}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What a spreadsheet would run as a formula at the start of a cell (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Control characters are not allowed in XLSX cells (openpyxl refuses them).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def card_rows(cards, base_url):
    """One dict per public card of the queryset, keys in COLUMNS order, in document order: one query."""
    base_url = base_url.rstrip("/")
    table_urls = {}
    values = cards.for_export().values(*(column.source for column in FIELDS if column.source), "table__slug")
    for card in values.iterator(chunk_size=2000):
        row = {column.name: card[column.source] if column.source else None for column in FIELDS}
        key = (row["conference"], card["table__slug"])
        if key not in table_urls:
            # Export URLs are the same whatever language the request came in.
            with translation.override(settings.LANGUAGE_CODE):
                table_urls[key] = base_url + reverse("results:table", kwargs={"conf": key[0], "slug": key[1]})
        row["url"] = f"{table_urls[key]}#karte-{row['id']}"
        yield row


def attachment(filename):
    """An empty download response for filename, its content type from the extension; the writers fill it."""
    response = HttpResponse(content_type=CONTENT_TYPES[filename.rpartition(".")[2]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # One field for a list: " | " cannot occur inside a meaning or an actor's name in practice.
        return " | ".join(str(item) for item in value)
    return value


def _excel_value(value):
    """A cell of the Excel CSV: text that would run as a formula starts with an apostrophe, which Excel hides."""
    value = _csv_value(value)
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def write_csv(rows, stream, columns=COLUMNS, excel=False):
    """Comma-separated UTF-8 for programs, the text exact; booleans as true/false, no value as an empty field.

    With excel, the variant German Excel opens in columns with its umlauts: semicolons, a UTF-8 byte order mark,
    and no cell that could run as a formula.
    """
    # Built in memory and written once: an HttpResponse pays for every write.
    buffer = io.StringIO("\ufeff" if excel else "")
    buffer.seek(0, io.SEEK_END)
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    value = _excel_value if excel else _csv_value
    writer.writerow(columns)
    writer.writerows([value(row[column]) for column in columns] for row in rows)
    stream.write(buffer.getvalue())


def write_json(conference_slug, rows, stream, key="cards", licence=None):
    """{"conference": slug, "licence": SPDX id or null, "count": N, "cards" (or key): [...]}, UTF-8, indented."""
    items = list(rows)
    # json.dumps() and one write: json.dump() writes to an HttpResponse in tens of
    # thousands of small chunks, which took most of the export's time.
    document = {"conference": conference_slug, "licence": licence or None, "count": len(items), key: items}
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


def write_xlsx(rows, stream, licence=""):
    """An Excel workbook with German column labels, the kind's label beside its code, a frozen header row with
    an autofilter, clickable card URLs; text always as text."""
    labels = dict(Kind.choices)
    workbook = Workbook(write_only=True)
    workbook.properties.description = str(_("Lizenz: %(licence)s") % {"licence": licence or _("keine Angabe")})
    sheet = workbook.create_sheet(str(_("Karten")))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(XLSX_FIELDS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = [WriteOnlyCell(sheet, value=str(column.label)) for column in XLSX_FIELDS]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    count = 0
    for row in rows:
        count += 1
        row = row | {"kind_label": str(labels.get(row["kind"], row["kind"]))}
        cells = [_xlsx_cell(sheet, row[column.name]) for column in XLSX_FIELDS]
        cells[URL_INDEX] = WriteOnlyCell(sheet, value=row["url"])
        cells[URL_INDEX].hyperlink = row["url"]
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_FIELDS))}{count + 1}"
    # openpyxl needs a seekable stream, which an HttpResponse is not.
    buffer = io.BytesIO()
    workbook.save(buffer)
    stream.write(buffer.getvalue())
