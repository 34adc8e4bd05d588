"""A conference's cards from a spreadsheet (XLSX or CSV; the template is results/import_template.py).

read_file() gives plain rows (JSON-ready: the admin keeps them in the session until the confirmation), plan() checks
them against the database and names every problem, apply() writes a checked plan in one transaction.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from results.exports import XLSX_FIELDS
from results.models import Card, Conference, Kind, Licence, Station, TableStation, ThemeTable
from results.text import german_slugify

MAX_BYTES = 5 * 1024 * 1024  # settings.CARD_IMPORT_MAX_BYTES overrides it
MAX_ROWS = 20000  # per sheet: a small file can still unpack to millions of rows
_EXPORT = {column.name: column.label for column in XLSX_FIELDS}


def _sheet(model, label, names):
    """(sheet label, [(column, header, required)]): headers as the model, or for cards the XLSX export, names them."""
    names = [(name.rstrip("*"), name.endswith("*")) for name in names.split()]
    header = (lambda name: _EXPORT[name]) if model is Card else (lambda name: model._meta.get_field(name).verbose_name)
    return label, [(name, header(name), required) for name, required in names]


SHEETS = {
    "conference": _sheet(Conference, Conference._meta.verbose_name, "title* subtitle date* venue* city* licence"),
    "stations": _sheet(Station, Station._meta.verbose_name_plural, "number* question*"),
    "tables": _sheet(ThemeTable, ThemeTable._meta.verbose_name_plural, "number* title*"),
    "cards": _sheet(Card, Card._meta.verbose_name_plural, "id table* station* kind* heading parent position text*"),
}
_ESCAPED = re.compile(r"^'[=+\-@\t\r]")  # the Excel CSV export's apostrophe before a formula-like text


class Problem(NamedTuple):
    sheet: str = ""
    row: int = 0
    column: str = ""
    message: str = ""

    def __str__(self):
        where = [part for part in [self.sheet, self.row and _("Zeile %(n)s") % {"n": self.row}, self.column] if part]
        return f"{', '.join(where)}: {self.message}" if where else self.message


class SpreadsheetError(Exception):  # a file that cannot be read; .problems names why
    problems = property(lambda self: self.args[0])


def _names(label):
    """A header or sheet name as German or English write it."""
    names = set()
    for language in ("de", "en"):
        with translation.override(language):
            names.add(str(label).strip().casefold())
    return names


def _value(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, datetime.date) else "" if value is None else str(value).strip()


def limit():  # callers read one byte more at most: a larger file is refused without reading it whole
    return getattr(settings, "CARD_IMPORT_MAX_BYTES", MAX_BYTES)


def read_file(name, data):
    """The sheets of an XLSX or CSV file as {key: {"columns": {…}, "rows": […]}}; SpreadsheetError names problems."""
    if len(data) > limit():
        raise SpreadsheetError([Problem(message=_("Die Datei ist größer als %(kb)s KB.") % {"kb": limit() // 1024})])
    not_a_sheet = SpreadsheetError([Problem(message=_("Die Datei ist keine Tabelle im Format XLSX oder CSV."))])
    raw = {}
    if data[:4] == b"PK\x03\x04":
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True)  # not data_only: a formula stays visible
            names = {key: _names(label) for key, (label, _columns) in SHEETS.items()}
            for sheet in workbook.worksheets:
                key = next((key for key, found in names.items() if sheet.title.strip().casefold() in found), None)
                if key or len(workbook.worksheets) == 1:  # a single sheet, whatever its name, holds cards
                    cells = (
                        [(_value(c.value), getattr(c, "data_type", "") == "f") for c in r] for r in sheet.iter_rows()
                    )
                    raw[key or "cards"] = _numbered(cells)
        except SpreadsheetError:
            raise
        except Exception as error:  # zipfile, XML and openpyxl errors alike: the file is no workbook
            raise not_a_sheet from error
    elif name.lower().endswith(".csv") and b"\x00" not in data:
        raw["cards"] = _csv_rows(data)
    else:
        raise not_a_sheet
    problems = [] if "cards" in raw else [Problem(message=_("Das Blatt „%(s)s“ fehlt.") % {"s": SHEETS["cards"][0]})]
    sheets = {key: _records(key, rows, problems) for key, rows in raw.items()}
    if problems:
        raise SpreadsheetError(problems)
    return sheets


def _numbered(rows):
    numbered = list(zip(range(1, MAX_ROWS + 2), rows, strict=False))  # reads one row past the limit at most
    if len(numbered) > MAX_ROWS:
        raise SpreadsheetError([Problem(message=_("Mehr als %(n)s Zeilen in einem Blatt.") % {"n": MAX_ROWS})])
    return numbered


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what German Excel writes as "CSV (Trennzeichen-getrennt)"
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    return _numbered(
        [(cell[1:].strip(), False) if _ESCAPED.match(cell) else (cell.strip(), cell.startswith("=")) for cell in row]
        for row in reader
    )


def _records(key, raw_rows, problems):
    """Header row and data rows -> {"columns": {column: "Spalte C („Text“)"}, "rows": [{"row": n, column: text}]}."""
    label, columns = SHEETS[key]
    if not raw_rows:
        problems.append(Problem(str(label), 1, "", _("Die Kopfzeile fehlt.")))
        return {"columns": {}, "rows": []}
    header = {name.casefold(): index for index, (name, _f) in reversed(list(enumerate(raw_rows[0][1]))) if name}
    found, where = {}, {}
    for column, title, required in columns:
        # The header's German or English wording first: the English export's "Kind" is the label, not the code.
        index = next((header[name] for name in [*sorted(_names(title)), column] if name in header), None)
        if index is not None:
            found[column] = index
            where[column] = f"{_('Spalte')} {get_column_letter(index + 1)} („{title}“)"
        elif required:
            problems.append(Problem(str(label), 1, "", _("Die Spalte „%(column)s“ fehlt.") % {"column": title}))
    rows = []
    for number, cells in raw_rows[1:]:
        if any(value for value, _f in cells):
            cells = cells + [("", False)] * (max(found.values(), default=0) + 1 - len(cells))
            row = {"row": number} | {column: cells[index][0] for column, index in found.items()}
            # A formula is reported by plan(), with every other problem of the rows.
            row["formulas"] = [column for column, index in found.items() if cells[index][1]]
            rows.append(row)
    return {"columns": where, "rows": rows}


def _int(value):
    return int(value) if re.fullmatch(r"\d+", value or "") else None


def _date(value):
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    try:
        return datetime.date(*map(int, german.groups()[::-1])) if german else datetime.date.fromisoformat(value)
    except ValueError:
        return None


def licence_short(label):
    return re.search(r"\(([^)]+)\)$", str(label))[1]


def _licence(value):
    names = {name: code for code, label in Licence.choices for name in _names(label) | {code.casefold()}}
    names |= {licence_short(label).casefold(): code for code, label in Licence.choices if code}
    return names.get(value.casefold())


@dataclass
class Plan:
    """What an import would change; nothing is written until apply()."""

    slug: str
    filename: str
    conference: Conference | None
    problems: list = field(default_factory=list)
    conference_values: dict = field(default_factory=dict)  # a new conference's fields, or an existing one's changes
    stations: dict = field(default_factory=dict)  # number -> question, new or changed
    tables: dict = field(default_factory=dict)  # number -> title, new or changed
    new: list = field(default_factory=list)  # card rows
    changed: list = field(default_factory=list)  # (card, row, names of the changed fields)
    unchanged: list = field(default_factory=list)  # cards
    missing: list = field(default_factory=list)  # public cards of the conference that the file does not have

    def counts(self):
        counts = {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged)}
        message = _("%(new)s neu, %(changed)s geändert, %(unchanged)s unverändert, %(missing)s fehlen in der Datei")
        return message % (counts | {"missing": len(self.missing)})

    def fingerprint(self):
        """Tells whether a preview still holds: what would change, and the cards' state it was checked against."""
        changed = [(card.pk, card.version, card.text, names) for card, _row, names in self.changed]
        state = [self.conference_values, self.stations, self.tables, self.new, changed, [c.pk for c in self.missing]]
        return hashlib.sha256(repr(state).encode()).hexdigest()


def shown(value):  # a card's field or a row's value, as the preview shows it
    if isinstance(value, tuple):
        return _("Zeile %(n)s") % {"n": value[1]} if value[0] == "row" else value[1]
    return getattr(value, "number", getattr(value, "pk", value))


def plan(slug, sheets, filename):
    """Check the rows against the database; every problem lands in plan.problems, named by sheet, row and column."""
    result = Plan(slug, filename, Conference.objects.filter(slug=slug).first())

    def report(key, row, column, message):
        result.problems.append(Problem(str(SHEETS[key][0]), row, sheets[key]["columns"].get(column, ""), message))

    for key, row, column in ((k, r, c) for k, data in sheets.items() for r in data["rows"] for c in r["formulas"]):
        report(key, row["row"], column, _("Formeln werden nicht übernommen."))
    _plan_conference(result, sheets.get("conference"), report)
    stations = _plan_numbered(result, sheets.get("stations"), "stations", Station, "question", report)
    tables = _plan_numbered(result, sheets.get("tables"), "tables", ThemeTable, "title", report)
    _plan_cards(result, sheets["cards"]["rows"], stations, tables, report)
    order = [str(label) for label, _columns in SHEETS.values()]
    result.problems.sort(key=lambda problem: (order.index(problem.sheet) if problem.sheet else -1, problem.row))
    return result


def _too_long(model, name, value):
    length = model._meta.get_field(name).max_length
    return _("Höchstens %(n)s Zeichen.") % {"n": length} if length and len(value) > length else None


def _plan_conference(result, data, report):
    rows = data["rows"] if data else []
    if len(rows) > 1:
        report("conference", rows[1]["row"], "", _("Eine Datei beschreibt eine Konferenz: nur eine Zeile."))
    if not rows and result.conference is None:
        result.problems.append(Problem(message=_("Eine neue Konferenz braucht das Blatt „Konferenz“ mit einer Zeile.")))
    for name, _title, required in SHEETS["conference"][1] if rows else []:
        if name not in rows[0]:
            continue
        text = rows[0][name]
        value = _date(text) if name == "date" else _licence(text) if name == "licence" else text
        error = (
            (required and not text and _("Darf nicht leer sein."))
            or (value is None and _("Unbekannter Wert „%(value)s“.") % {"value": text})
            or _too_long(Conference, name, text)
        )
        if error:
            report("conference", rows[0]["row"], name, error)
        elif result.conference is None or getattr(result.conference, name) != value:
            result.conference_values[name] = value


def _plan_numbered(result, data, key, model, name, report):
    """Stations or tables: a number and a question or title; returns the numbers the conference will have."""
    existing = {obj.number: obj for obj in model.objects.filter(conference=result.conference)}
    slugs = {obj.slug: number for number, obj in existing.items()} if model is ThemeTable else {}
    planned = set()
    for row in data["rows"] if data else []:
        number, value = _int(row.get("number")), row.get(name, "")
        if not number:
            report(key, row["row"], "number", _("Eine ganze Zahl ab 1 erwartet."))
        elif number in planned:
            report(key, row["row"], "number", _("Die Nummer %(n)s steht zweimal im Blatt.") % {"n": number})
        elif not value or _too_long(model, name, value):
            report(key, row["row"], name, _too_long(model, name, value) or _("Darf nicht leer sein."))
        else:
            planned.add(number)
            slug = german_slugify(value) if model is ThemeTable and number not in existing else None
            if slug is not None and (not slug or slugs.setdefault(slug, number) != number):
                report(key, row["row"], name, _("Der Titel ergibt dasselbe Kürzel wie ein anderer Thementisch."))
            if number not in existing or getattr(existing[number], name) != value:
                getattr(result, key)[number] = value
    return set(existing) | planned


def _card_row(raw, cards, seen_ids, stations, tables):
    """One row of the cards sheet, checked: (row, [(column, problem)])."""
    errors = []
    row = {"row": raw["row"], "id": _int(raw.get("id")), "kind": raw.get("kind", ""), "text": raw.get("text", "")}
    if raw.get("id") and row["id"] not in cards:
        errors.append(("id", _("Eine Karte mit der ID %(id)s gibt es in dieser Konferenz nicht.") % {"id": raw["id"]}))
    elif row["id"] in seen_ids:
        message = _("Die ID %(id)s steht schon in Zeile %(n)s.") % {"id": row["id"], "n": seen_ids[row["id"]]}
        errors.append(("id", message))
    elif row["id"]:
        seen_ids[row["id"]] = row["row"]
    for name, known, label in (("table", tables, _("Thementisch")), ("station", stations, _("Station"))):
        row[name] = _int(raw.get(name))
        if row[name] not in known:
            errors.append((name, _("%(what)s „%(value)s“ gibt es nicht.") % {"what": label, "value": raw.get(name)}))
    if row["kind"] not in Kind.values:
        codes = {"value": row["kind"], "codes": ", ".join(Kind.values)}
        errors.append(("kind", _("„%(value)s“ ist keine Art; erlaubt: %(codes)s.") % codes))
    if not row["text"]:
        errors.append(("text", _("Der Text fehlt.")))
    if "heading" in raw:  # a column the file lacks keeps the card's value
        row["heading"] = raw["heading"]
        errors += [("heading", error) for error in [_too_long(Card, "heading", raw["heading"])] if error]
    if raw.get("position"):
        row["position"] = _int(raw["position"])
        if row["position"] is None:
            errors.append(("position", _("Eine ganze Zahl erwartet.")))
    if "parent" in raw:
        value, reference = raw["parent"], re.fullmatch(r"(?:zeile|row)\s*(\d+)", raw["parent"], re.I)
        row["parent"] = ("row", int(reference[1])) if reference else ("card", _int(value)) if value else None
        if value and not reference and _int(value) not in cards:
            message = _("Keine Karte hat die ID %(id)s; eine neue übergeordnete Karte nennen Sie mit „Zeile N“.")
            errors.append(("parent", message % {"id": value}))
    return row, errors


def _plan_cards(result, rows, stations, tables, report):
    cards = Card.objects.filter(table__conference=result.conference).select_related("table", "station")
    cards, seen_ids, checked = {card.pk: card for card in cards}, {}, {}
    for raw in rows:
        row, errors = _card_row(raw, cards, seen_ids, stations, tables)
        for column, message in errors:
            report("cards", row["row"], column, message)
        if not errors:
            checked[row["row"]] = row
    # A row without an id that matches a card exactly is that card: importing the same file twice adds nothing.
    free = {}
    for card in (card for card in cards.values() if card.pk not in seen_ids):
        free.setdefault((card.table.number, card.station.number, card.kind, card.heading, card.text), []).append(card)
    for row in checked.values():
        key = (row["table"], row["station"], row["kind"], row.get("heading", ""), row["text"])
        if row["id"] is None and free.get(key):
            row["id"] = free[key].pop(0).pk

    def node(row):
        return ("card", row["id"]) if row["id"] else ("row", row["row"])

    place = {("card", pk): (card.table.number, card.station.number) for pk, card in cards.items()}
    parent_of = {("card", pk): card.parent_id and ("card", card.parent_id) for pk, card in cards.items()}
    for row in checked.values():
        if row.get("parent") and row["parent"][0] == "row":
            if row["parent"][1] not in checked:
                message = _("In Zeile %(n)s steht keine gültige Karte.") % {"n": row["parent"][1]}
                report("cards", row["row"], "parent", message)
                continue
            row["parent"] = node(checked[row["parent"][1]])
        place[node(row)] = (row["table"], row["station"])
        if "parent" in row:
            parent_of[node(row)] = row["parent"]
    for row in checked.values():
        me, seen = node(row), {node(row)}
        walk = parent_of.get(me)
        if walk and place.get(walk) != place[me]:
            message = _("Die übergeordnete Karte steht an einem anderen Tisch oder bei einer anderen Station.")
            report("cards", row["row"], "parent", message)
        while walk and walk not in seen:
            seen.add(walk)
            walk = parent_of.get(walk)
        if walk == me:
            report("cards", row["row"], "parent", _("Die Karte wäre sich selbst übergeordnet."))
    for row in checked.values():
        if row["id"] is None:
            result.new.append(row)
            continue
        card = cards[row["id"]]
        current = {"table": card.table.number, "station": card.station.number, "kind": card.kind}
        current |= {"heading": card.heading, "parent": card.parent_id and ("card", card.parent_id)}
        current |= {"position": card.position, "text": card.text}
        for name in ("heading", "parent", "position"):
            row.setdefault(name, current[name])
        names = [name for name, value in current.items() if row[name] != value]
        (result.changed.append((card, row, names)) if names else result.unchanged.append(card))
    claimed = {row["id"] for row in checked.values()}
    result.missing = [card for pk, card in cards.items() if pk not in claimed and not card.withdrawn]


@transaction.atomic
def apply(result, user=None, withdraw_missing=False):
    """Write a plan without problems: one transaction, every change with the reason „Import <file name>“."""
    assert not result.problems
    reason = f"Import {result.filename}"

    def save(obj):
        obj._change_reason, obj._history_user = reason, user
        obj.save()
        return obj

    is_new = result.conference is None
    conference = result.conference or Conference(slug=result.slug, source_document=result.filename)
    for name, value in result.conference_values.items():
        setattr(conference, name, value)
    if is_new or result.conference_values:
        save(conference)
    stations, tables = {s.number: s for s in conference.stations.all()}, {t.number: t for t in conference.tables.all()}
    fresh = {number for number in result.tables if number not in tables}
    for objects, model, name, values in (
        (stations, Station, "question", result.stations),
        (tables, ThemeTable, "title", result.tables),
    ):
        for number, value in values.items():
            objects[number] = objects.get(number) or model(conference=conference, number=number)
            setattr(objects[number], name, value)
            save(objects[number])
    # A new table's stations come first, from the file: each card's save then finds its station documented.
    for number in fresh:
        for station in stations.values():
            has_text = any(row["table"] == number and row["station"] == station.number for row in result.new)
            status = TableStation.Status.TEXT if has_text else TableStation.Status.MISSING
            save(TableStation(table=tables[number], station=station, status=status))
    created = {}
    # The rows of the file's cards, new ("row", number) and changed ("card", id), as their children refer to them.
    rows = {("row", row["row"]): row for row in result.new}
    rows |= {("card", card.pk): row for card, row, _names in result.changed}

    def parent_id(reference):
        return reference and (reference[1] if reference[0] == "card" else created[reference[1]].pk)

    def depth(row):
        parent = rows.get(row.get("parent"))
        return 1 + depth(parent) if parent else 0

    def create(row):
        card = Card(table=tables[row["table"]], station=stations[row["station"]], kind=row["kind"], text=row["text"])
        card.heading, card.position = row.get("heading", ""), row.get("position")
        card.parent_id = parent_id(row.get("parent"))
        if card.position is None:
            last = Card.objects.filter(table=card.table, station=card.station).aggregate(last=Max("position"))["last"]
            card.position = (last or 0) + 1
        # A new conference's cards are its document; cards added to an existing one are the editors'.
        card.origin, card.original_text = (Card.Origin.DOCUMENT, row["text"]) if is_new else (Card.Origin.ADMIN, "")
        created[row["row"]] = save(card)

    def update(card, row):
        card.table, card.station = tables[row["table"]], stations[row["station"]]
        card.kind, card.heading, card.position, card.text = row["kind"], row["heading"], row["position"], row["text"]
        card.parent_id = parent_id(row["parent"])
        card.version += 1  # an admin form loaded before the import must not save over it
        save(card)  # the original text stays: a changed text is a correction

    # Parents first, new or changed: Card.clean refuses a card whose parent is not (yet) at its place.
    steps = [(None, row) for row in result.new] + [(card, row) for card, row, _names in result.changed]
    for card, row in sorted(steps, key=lambda step: depth(step[1])):
        if card is None:
            create(row)
        else:
            update(card, row)
    for card in result.missing if withdraw_missing else []:
        card._history_user = user
        card.withdraw(reason)
    return conference
