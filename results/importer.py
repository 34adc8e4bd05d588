"""
Turn the conference document's extracted text into fixture records.

Pure: text in, records out; no ORM and no file I/O. Every judgment call made
here is listed in docs/import.md. The extraction flattened two-column slides
(left column, blank line, right column) and puts side labels ("Station 1:")
after the content they label, so stations are recognised by their question
headings, and columns are split at blank lines between items.
"""

import datetime
import re
from dataclasses import dataclass, field

from results.text import german_slugify

BULLET = "•"
WINGDINGS_ARROW = "\uf0e0"
ARROW = "→"
SLIDE_BREAK = 3  # blank lines in a row that separate two slides

GERMAN_MONTHS = {
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}

# Question fragments, one per card kind. A station's kinds are those whose
# fragment its question (as the World Café slide states it) contains.
KIND_FRAGMENTS = {
    "gut": r"Was läuft gut\?",
    "hakt": r"Wo hakt es\?",
    "ziel": r"Was sind unsere Ziele\?|Was soll (?:ein gutes )?[\w-]+ leisten\?",
    "vor-ort": r"Was können wir (?:vor Ort )?ändern\?",
    "helfer": r"Wer kann (?:uns )?helfen(?:/unterstützen)?\?",
}
# Two kinds in one heading share the slide as two columns.
TWO_COLUMN_KINDS = {("gut", "hakt"), ("vor-ort", "helfer")}
# The left column (gut) ends at the first blank line between top-level items;
# the right column of the station-3 slides (helfer, a short list of actors)
# starts at the last one. See docs/import.md.
SPLIT_AT_FIRST = {("gut", "hakt"): True, ("vor-ort", "helfer"): False}

LABEL_RE = re.compile(r"^Station (\d+):$")
GLUED_LABEL_RE = re.compile(r"^(?:Station (\d+):\s*)?(.*?)\s*(?:Station (\d+):)?$")
NUMBERED_RE = re.compile(r"^(\d+)\.\s+\S")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2}) Uhr (.+)$")
DATE_RE = re.compile(r"^(\d{1,2})\.\s*([A-Za-zÄÖÜäöü]+)\s+(\d{4}),\s*(.+)$")
STATION_QUESTION_RE = re.compile(r"Station (\d+):\s*(.+)$")


class DocumentError(ValueError):
    """The document does not have the expected structure; `line` is 1-based."""

    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(f"Zeile {line}: {message}")


@dataclass
class Line:
    number: int
    raw: str

    @property
    def text(self):
        return self.raw.strip()


@dataclass
class Item:
    """One bullet or numbered item with its continuation lines."""

    lines: list
    blank_before: bool
    numbered: bool = False
    parent: "Item | None" = None
    kind: str = ""

    @property
    def line(self):
        return self.lines[0].number

    @property
    def text(self):
        first = self.lines[0].text
        if first.startswith(BULLET):
            first = first[len(BULLET) :]
        return join_lines([first] + [line.raw for line in self.lines[1:]])

    @property
    def opens_group(self):
        return not self.numbered and self.text.endswith(":")


@dataclass
class Section:
    """The content under one heading of a slide: a station question or a box with its own heading."""

    heading: str
    line: int
    kinds: tuple = ()
    station: int | None = None
    box: bool = False
    intro: str = ""
    items: list = field(default_factory=list)


@dataclass
class ParsedTable:
    number: int
    title: str
    line: int
    slides: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # (slide, Section)


def normalise_spaces(text):
    text = text.replace(WINGDINGS_ARROW, f" {ARROW} ")
    return re.sub(r"\s+", " ", text).strip()


def join_lines(parts):
    """Join a wrapped item's lines: hyphenation splits are healed, real hyphens kept."""
    text = parts[0].rstrip()
    for part in parts[1:]:
        following = part.strip()
        if not following:
            continue
        if text.endswith("-") and not text.endswith(" -") and following[:1].islower():
            # "Eltern-" + "integrationskurse": a word split at the line end.
            text = text[:-1] + following
        elif text.endswith("/") and following.startswith("-"):
            # "Sonderrolle/" + "-betreuung"
            text += following
        else:
            text = f"{text} {following}"
        text = text.rstrip()
    return normalise_spaces(text)


def split_slides(text):
    """Split the text into slides: runs of lines separated by SLIDE_BREAK or more blank lines."""
    slides, current, blanks = [], [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            if blanks >= SLIDE_BREAK and current:
                slides.append(current)
                current = []
            blanks = 0
            current.append(Line(number, raw))
        else:
            blanks += 1
            if current:
                current.append(Line(number, raw))
    if current:
        slides.append(current)
    # Trailing blank lines belong to no slide.
    return [trim(slide) for slide in slides]


def trim(slide):
    while slide and not slide[-1].text:
        slide.pop()
    return slide


def heading_kinds(text):
    """The kinds whose question fragments make up `text` entirely, in order; () if it is no question heading."""
    found = []
    rest = text
    for kind, pattern in KIND_FRAGMENTS.items():
        matches = list(re.finditer(pattern, rest))
        if matches:
            found.append((matches[0].start(), kind))
        for match in matches:
            rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    if not found or re.sub(r"[\s/]", "", rest):
        return ()
    return tuple(kind for _, kind in sorted(found))


def parse_date(value, line):
    match = DATE_RE.match(value)
    if not match:
        raise DocumentError(line, f"Datum und Ort erwartet (z. B. „2. Juli 2019, Halle Stadt“), gefunden: „{value}“.")
    day, month_name, year, place = match.groups()
    month = GERMAN_MONTHS.get(month_name.lower())
    if month is None:
        raise DocumentError(line, f"Unbekannter Monat „{month_name}“.")
    venue, _, city = place.rpartition(" ")
    return datetime.date(int(year), month, int(day)), venue or place, city


@dataclass
class Document:
    title: str
    date: datetime.date
    venue: str
    city: str
    programme: list
    stations: dict  # number -> dict(question, short_question, programme_index, kinds)
    stations_note: str
    tables: list
    closing_title: str = ""
    closing_question: str = ""
    closing_items: list = field(default_factory=list)


def parse_title(slide):
    lines = [line for line in slide if line.text]
    if len(lines) < 2:
        raise DocumentError(slide[0].number if slide else 1, "Titelfolie mit Titel und Datum erwartet.")
    *title_lines, date_line = lines
    title = join_lines([line.raw for line in title_lines])
    date, venue, city = parse_date(date_line.text, date_line.number)
    return title, date, venue, city


def parse_programme(slide):
    items = []
    current = None
    for line in slide[1:]:
        if not line.text:
            current = None
            continue
        match = TIME_RE.match(line.text)
        if match:
            hour, minute, title = match.groups()
            current = {
                "start": datetime.time(int(hour), int(minute)),
                "title": title,
                "speakers": [],
                "line": line.number,
                "title_open": line.raw != line.raw.rstrip(),
            }
            items.append(current)
        elif current is None:
            raise DocumentError(line.number, f"Programmpunkt mit Uhrzeit erwartet, gefunden: „{line.text}“.")
        elif current["title_open"] and not current["speakers"]:
            # The title wrapped: its first line ended with a space.
            current["title"] = join_lines([current["title"], line.raw])
            current["title_open"] = line.raw != line.raw.rstrip()
        else:
            current["speakers"].append(normalise_spaces(line.text))
            current["title_open"] = False
    if not items:
        raise DocumentError(slide[0].number, "Das Tagesprogramm enthält keinen Programmpunkt.")
    for item in items:
        item["title"] = normalise_spaces(item["title"])
        del item["title_open"]
    return items


def parse_world_cafe(slide):
    """The slide stating the stations' questions: {number: short question}, and the note for all stations."""
    questions, note, current = {}, "", None
    for line in slide:
        if not line.text:
            current = None
            continue
        match = re.match(r"^Station (\d+):\s*(.+)$", line.text)
        if match:
            current = int(match.group(1))
            questions[current] = match.group(2)
        elif line.text.startswith(WINGDINGS_ARROW):
            note = normalise_spaces(line.text.replace(WINGDINGS_ARROW, ""))
        elif current is not None:
            questions[current] = join_lines([questions[current], line.raw])
    return {number: normalise_spaces(text) for number, text in questions.items()}, note


def tokenize_body(lines):
    """Classify each line of a table slide's body."""
    tokens = []
    for line in lines:
        text = line.text
        if not text:
            tokens.append(("blank", line, None))
            continue
        label = LABEL_RE.match(text)
        if label:
            tokens.append(("label", line, int(label.group(1))))
            continue
        if text.startswith(BULLET):
            tokens.append(("bullet", line, None))
            continue
        if NUMBERED_RE.match(text):
            tokens.append(("numbered", line, None))
            continue
        before, heading, after = GLUED_LABEL_RE.match(text).groups()
        kinds = heading_kinds(heading)
        if kinds:
            if before:
                tokens.append(("label", line, int(before)))
            tokens.append(("heading", line, (heading, kinds)))
            if after:
                tokens.append(("label", line, int(after)))
            continue
        tokens.append(("text", line, None))
    return tokens


def ends_wrapped(raw):
    """True when a line visibly continues: trailing space, hyphen, slash, comma or arrow."""
    return raw != raw.rstrip() or raw.rstrip()[-1:] in {"-", "/", ",", WINGDINGS_ARROW}


def is_box_heading(tokens, index, previous_line):
    """A line after a blank that reads as a heading of its own, not as the rest of the previous item."""
    line = tokens[index][1]
    text = line.text
    follows_blank = index > 0 and tokens[index - 1][0] == "blank"
    next_kind = tokens[index + 1][0] if index + 1 < len(tokens) else None
    return (
        follows_blank
        and next_kind == "bullet"
        and re.search(r"[?:][“”\"]?$", text) is not None
        and (text[0].isupper() or text[0] in '„"')
        and len(text.split()) >= 3
        and not ends_wrapped(previous_line.raw)
    )


def parse_table_slide(lines, station_of_kind):
    """Split a table slide's body into sections; returns (sections, labels)."""
    tokens = tokenize_body(lines)
    sections, labels = [], []
    section, item, blank_seen, after_label = None, None, False, False
    index = 0
    while index < len(tokens):
        kind, line, value = tokens[index]
        if kind == "blank":
            blank_seen = True
        elif kind == "label":
            labels.append((value, line.number))
            section, item, after_label = None, None, True
        elif kind == "heading":
            heading, kinds = value
            stations = {station_of_kind[k] for k in kinds}
            if len(stations) != 1:
                raise DocumentError(line.number, f"Die Überschrift „{heading}“ gehört zu mehreren Stationen.")
            section = Section(heading=heading, line=line.number, kinds=kinds, station=stations.pop())
            sections.append(section)
            item, after_label = None, False
        elif kind in {"bullet", "numbered"}:
            if section is None:
                raise DocumentError(line.number, f"Ergebnis ohne vorangehende Stationsfrage: „{line.text}“.")
            item = Item(lines=[line], blank_before=blank_seen and bool(section.items), numbered=kind == "numbered")
            section.items.append(item)
        else:  # text
            if item is not None and not is_box_heading(tokens, index, item.lines[-1]):
                item.lines.append(line)
            elif section is not None and not section.items and not section.box and item is None and not after_label:
                # Text between a question and its first item introduces the list.
                section.intro = join_lines([section.intro, line.raw]) if section.intro else normalise_spaces(line.text)
            else:
                box_lines = [line]
                while index + 1 < len(tokens) and tokens[index + 1][0] == "text":
                    index += 1
                    box_lines.append(tokens[index][1])
                section = Section(
                    heading=join_lines([box_line.raw for box_line in box_lines]), line=line.number, box=True
                )
                sections.append(section)
                item, after_label = None, False
        if kind != "blank":
            blank_seen = False
        index += 1
    return sections, labels


def nest(items, forced_break=None):
    """Set each item's parent: a bullet ending in ':' takes the following bullets until a blank line."""
    parent, opener_index = None, None
    for index, item in enumerate(items):
        item.parent = None
        if index == forced_break:
            parent = None
        if parent is not None:
            if index == opener_index + 1 or not item.blank_before:
                item.parent = parent
            else:
                parent = None
        if item.opens_group:
            parent, opener_index = item, index
            item.parent = None


def column_break(section, table_title, hints):
    """Index of the first item of the right column of a two-column section, or None."""
    key = section.kinds
    for hint in hints.get("column_breaks", []):
        if hint["table"] == table_title and hint["station"] == section.station:
            for index, item in enumerate(section.items):
                if item.text.startswith(hint["starts_at"]):
                    return index
            raise DocumentError(section.line, f"Spaltenhinweis „{hint['starts_at']}“ passt zu keinem Ergebnis.")
    nest(section.items)
    candidates = [
        index for index, item in enumerate(section.items) if index and item.blank_before and item.parent is None
    ]
    if not candidates:
        return None
    return candidates[0] if SPLIT_AT_FIRST[key] else candidates[-1]


def assign_kinds(section, table_title, hints):
    items = section.items
    kinds = ("sonstiges",) if section.box else section.kinds
    if len(kinds) == 2 and tuple(kinds) in TWO_COLUMN_KINDS:
        split = column_break(section, table_title, hints)
        nest(items, forced_break=split)
        for index, item in enumerate(items):
            item.kind = kinds[1] if split is not None and index >= split else kinds[0]
    elif len(kinds) == 1:
        nest(items)
        for item in items:
            item.kind = kinds[0]
    else:
        raise DocumentError(section.line, f"Unerwartete Kombination von Fragen in „{section.heading}“.")


def assign_stations(sections, labels):
    """Give boxes with their own heading a station: the slide's label no question claims, else the one before."""
    claimed = {section.station for section in sections if not section.box}
    unclaimed = [number for number, _ in labels if number not in claimed]
    previous = None
    for section in sections:
        if not section.box:
            previous = section.station
            continue
        if len(unclaimed) == 1:
            section.station = unclaimed[0]
        elif previous is not None:
            section.station = previous
        else:
            raise DocumentError(section.line, f"Der Kasten „{section.heading}“ lässt sich keiner Station zuordnen.")


def parse_tables(slides, station_of_kind, hints):
    tables = []
    for index, slide in slides:
        lines = list(slide)
        title_lines = []
        position = 0
        while position < len(lines) and lines[position].text != "Ergebnisse":
            if lines[position].text:
                title_lines.append(lines[position])
            position += 1
        if position == len(lines):
            raise DocumentError(lines[0].number, "Thementisch-Folie ohne Zeile „Ergebnisse“.")
        title = join_lines([title_lines[0].text.removeprefix("Thementisch:")] + [line.raw for line in title_lines[1:]])
        body = lines[position + 1 :]
        sections, labels = parse_table_slide(body, station_of_kind)
        if not labels:
            last = body[-1].number if body else lines[-1].number
            raise DocumentError(
                last,
                f"Die Folie zu „{title}“ endet ohne Stationsangabe („Station N:“): ist das Dokument unvollständig?",
            )
        for number, line_number in labels:
            if number not in station_of_kind.values():
                raise DocumentError(line_number, f"Station {number} steht nicht im Tagesprogramm.")
        assign_stations(sections, labels)
        for section in sections:
            assign_kinds(section, title, hints)
        if not tables or tables[-1].title != title:
            tables.append(ParsedTable(number=len(tables) + 1, title=title, line=lines[0].number))
        table = tables[-1]
        table.slides.append(index)
        table.sections.extend((index, section) for section in sections)
    return tables


def parse_closing(slide):
    heading_lines, question, items = [], "", []
    current = None
    for line in slide:
        if not line.text:
            continue
        if line.text.startswith(BULLET):
            current = [line]
            items.append(current)
        elif current is not None:
            current.append(line)
        elif line.text.endswith("?"):
            question = normalise_spaces(line.text)
        else:
            heading_lines.append(line.raw)
    texts = [
        {"text": join_lines([lines[0].text[len(BULLET) :]] + [x.raw for x in lines[1:]]), "line": lines[0].number}
        for lines in items
    ]
    return join_lines(heading_lines), question, texts


def parse_document(text, hints=None):
    """Parse the whole document into a Document; raise DocumentError naming the line on any structural surprise."""
    hints = hints or {}
    text = text.replace("\r\n", "\n")
    slides = split_slides(text)
    if not slides:
        raise DocumentError(1, "Das Dokument ist leer.")
    title, date, venue, city = parse_title(slides[0])

    programme, questions, note = None, {}, ""
    table_slides, closing_slide, first_table = [], None, None
    for index, slide in enumerate(slides[1:], start=2):
        first = slide[0].text
        if first == "Tagesprogramm":
            programme = parse_programme(slide)
        elif first.startswith("Thementisch:"):
            first_table = first_table or index
            if closing_slide is not None:
                raise DocumentError(slide[0].number, "Thementisch nach dem Abschluss.")
            table_slides.append((index, slide))
        elif any(line.text.startswith("Station ") and ":" in line.text for line in slide) and first_table is None:
            questions, note = parse_world_cafe(slide)
        elif any(line.text.startswith(BULLET) for line in slide):
            if first_table is None:
                raise DocumentError(slide[0].number, f"Unerwartete Aufzählung vor den Thementischen: „{first}“.")
            closing_slide = slide
        # Other slides carry only a title (section dividers, the greeting's
        # photo page, the closing thanks): nothing to import. See docs/import.md.

    if programme is None:
        raise DocumentError(1, "Kein Tagesprogramm gefunden (Folie mit der Überschrift „Tagesprogramm“).")
    stations = {}
    for position, item in enumerate(programme):
        match = STATION_QUESTION_RE.search(item["title"])
        if match:
            number = int(match.group(1))
            stations[number] = {"question": match.group(2), "programme_index": position}
    if not stations:
        raise DocumentError(1, "Das Tagesprogramm nennt keine Station („Station N: …“).")
    station_of_kind = {}
    for number, station in sorted(stations.items()):
        station["short_question"] = questions.get(number, "")
        kinds = [kind for kind, pattern in KIND_FRAGMENTS.items() if re.search(pattern, station["short_question"])]
        kinds += [kind for kind, pattern in KIND_FRAGMENTS.items() if re.search(pattern, station["question"])]
        for kind in kinds:
            station_of_kind.setdefault(kind, number)
        station["kinds"] = sorted(set(kinds))
    missing = [kind for kind in KIND_FRAGMENTS if kind not in station_of_kind]
    if missing:
        raise DocumentError(1, f"Keine Station fragt nach: {', '.join(missing)}.")
    if not table_slides:
        raise DocumentError(slides[-1][-1].number, "Das Dokument enthält keinen Thementisch.")
    tables = parse_tables(table_slides, station_of_kind, hints)
    document = Document(
        title=title,
        date=date,
        venue=venue,
        city=city,
        programme=programme,
        stations=stations,
        stations_note=note,
        tables=tables,
    )
    if closing_slide is not None:
        document.closing_title, document.closing_question, document.closing_items = parse_closing(closing_slide)
    return document


def to_records(document, *, slug, source_document, source_text):
    """Django fixture records for a parsed document, primary keys from 1, in document order."""
    records = [
        {
            "model": "results.conference",
            "pk": 1,
            "fields": {
                "slug": slug,
                "title": document.title,
                "subtitle": "",
                "date": document.date.isoformat(),
                "venue": document.venue,
                "city": document.city,
                "source_document": source_document,
                "source_text": source_text,
                "licence": "",
                "stations_note": document.stations_note,
                "closing_title": document.closing_title,
                "closing_question": document.closing_question,
                "is_demo": False,
            },
        }
    ]
    for position, item in enumerate(document.programme, start=1):
        records.append(
            {
                "model": "results.programmeitem",
                "pk": position,
                "fields": {
                    "conference": 1,
                    "position": position,
                    "start": item["start"].isoformat(),
                    "title": item["title"],
                    "speakers": "\n".join(item["speakers"]),
                    "source_line": item["line"],
                },
            }
        )
    station_pk = {}
    for pk, (number, station) in enumerate(sorted(document.stations.items()), start=1):
        station_pk[number] = pk
        records.append(
            {
                "model": "results.station",
                "pk": pk,
                "fields": {
                    "conference": 1,
                    "number": number,
                    "question": station["question"],
                    "short_question": station["short_question"],
                    "programme_item": station["programme_index"] + 1,
                },
            }
        )
    table_station_pk, card_pk = 0, 0
    cards = []
    table_stations = []
    for table in document.tables:
        records.append(
            {
                "model": "results.themetable",
                "pk": table.number,
                "fields": {
                    "conference": 1,
                    "number": table.number,
                    "title": table.title,
                    "slug": german_slugify(table.title),
                    "source_line": table.line,
                },
            }
        )
        by_station = {}
        for slide, section in table.sections:
            by_station.setdefault(section.station, []).append((slide, section))
        for number in sorted(document.stations):
            table_station_pk += 1
            sections = by_station.get(number, [])
            questions = [section for _, section in sections if not section.box]
            has_items = any(section.items for _, section in sections)
            if not sections:
                status = "missing"
            elif has_items:
                status = "text"
            else:
                status = "photo"
            headings = []
            for section in questions:
                if section.heading not in headings:
                    headings.append(section.heading)
            first = sections[0] if sections else (None, None)
            table_stations.append(
                {
                    "model": "results.tablestation",
                    "pk": table_station_pk,
                    "fields": {
                        "table": table.number,
                        "station": station_pk[number],
                        "status": status,
                        "heading": " ".join(headings),
                        "slide": first[0],
                        "source_line": first[1].line if first[1] else None,
                    },
                }
            )
            position = 0
            item_pk = {}
            for slide, section in sections:
                for item in section.items:
                    card_pk += 1
                    position += 1
                    item_pk[id(item)] = card_pk
                    text = item.text
                    cards.append(
                        {
                            "model": "results.card",
                            "pk": card_pk,
                            "fields": {
                                "table": table.number,
                                "station": station_pk[number],
                                "kind": item.kind,
                                "heading": section.intro or section.heading,
                                "text": text,
                                "original_text": text,
                                "position": position,
                                "parent": item_pk[id(item.parent)] if item.parent else None,
                                "slide": slide,
                                "source_line": item.line,
                                "origin": "document",
                                "withdrawn": False,
                                "withdrawn_reason": "",
                                "version": 1,
                            },
                        }
                    )
    records.extend(table_stations)
    records.extend(cards)
    for position, item in enumerate(document.closing_items, start=1):
        records.append(
            {
                "model": "results.closingitem",
                "pk": position,
                "fields": {"conference": 1, "position": position, "text": item["text"], "source_line": item["line"]},
            }
        )
    return records
