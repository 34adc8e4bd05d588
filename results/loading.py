"""Load a conference fixture into the database: once, whole or not at all, never over existing data."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from results.models import Card, Conference

CHANGE_REASON = "Import aus dem Quelldokument"


def conference_slug(records):
    for record in records:
        if record["model"] == "results.conference":
            return record["fields"]["slug"]
    raise ValueError("The fixture holds no conference.")


def collides(records):
    """True when any primary key of the fixture is already taken in the database."""
    by_model = {}
    for record in records:
        by_model.setdefault(record["model"], []).append(record["pk"])
    return any(apps.get_model(label).objects.filter(pk__in=pks).exists() for label, pks in by_model.items())


@transaction.atomic
def load_records(records):
    """Create every record of a fixture; keep its primary keys unless they are taken, then number anew."""
    keep_keys = not collides(records)
    new_pk = {}
    created = []
    for record in records:
        model = apps.get_model(record["model"])
        fields = {field.name: field for field in model._meta.concrete_fields}
        values = {}
        for name, value in record["fields"].items():
            field = fields.get(name)
            if field is None:
                continue  # removed since the fixture was written (Card.search_text)
            if field.is_relation and value is not None:
                values[field.attname] = new_pk[(field.related_model._meta.label_lower, value)]
            else:
                values[field.attname] = field.to_python(value)
        instance = model(pk=record["pk"] if keep_keys else None, **values)
        instance._change_reason = CHANGE_REASON
        instance.save(force_insert=True)
        new_pk[(record["model"], record["pk"])] = instance.pk
        created.append(model)
    if keep_keys:
        # Explicit keys leave PostgreSQL's sequences behind; move them past the loaded rows.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), sorted(set(created), key=str)):
                cursor.execute(sql)
    return Conference.objects.get(pk=new_pk[("results.conference", records[0]["pk"])])


@dataclass
class DocumentChanges:
    """How a newer fixture of a conference differs from what the database holds of its document."""

    changed: list = field(default_factory=list)  # (card, new record)
    added: list = field(default_factory=list)  # new records
    removed: list = field(default_factory=list)  # cards
    moved: list = field(default_factory=list)  # (card, new record): same text, other line
    records: list = field(default_factory=list)
    source_text: str = ""

    def __bool__(self):
        return bool(self.changed or self.added or self.removed or self.moved)

    def report(self):
        lines = []
        for card, record in self.changed:
            lines.append(f"~ Karte {card.pk}: „{card.original_text}“ → „{record['fields']['original_text']}“")
        for record in self.added:
            lines.append(f"+ neu (Zeile {record['fields']['source_line']}): „{record['fields']['original_text']}“")
        for card in self.removed:
            lines.append(f"- Karte {card.pk} nicht mehr im Dokument: „{card.original_text}“")
        if self.moved:
            lines.append(f"  {len(self.moved)} Karten stehen unverändert in anderen Zeilen.")
        return lines


def document_changes(records, conference):
    """Align the fixture's cards with the conference's document cards by their original text, in document order."""
    new = sorted((r for r in records if r["model"] == "results.card"), key=lambda r: r["fields"]["source_line"])
    old = list(Card.objects.filter(table__conference=conference, origin=Card.Origin.DOCUMENT))
    # A card an admin deleted is still the document's: align it too, so that
    # the document does not look as if it had gained that card.
    existing = {card.pk for card in old}
    deleted = {}
    for record in Card.history.filter(
        history_type="-", table__conference=conference, origin=Card.Origin.DOCUMENT
    ).order_by("history_date"):
        if record.id not in existing:
            deleted[record.id] = record
    old += deleted.values()
    old.sort(key=lambda card: (card.source_line or 0, card.id))
    changes = DocumentChanges(records=records, source_text=records[0]["fields"]["source_text"])
    matcher = SequenceMatcher(
        a=[card.original_text for card in old], b=[r["fields"]["original_text"] for r in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.moved += [
                (card, record)
                for card, record in zip(old[i1:i2], new[j1:j2], strict=True)
                if isinstance(card, Card) and card.source_line != record["fields"]["source_line"]
            ]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        changes.changed += [
            (card, record)
            for card, record in zip(old[i1 : i1 + pairs], new[j1 : j1 + pairs], strict=True)
            if isinstance(card, Card)
        ]
        # A card withdrawn already (by an earlier update, or by an admin) stays as it is.
        changes.removed += [card for card in old[i1 + pairs : i2] if isinstance(card, Card) and not card.withdrawn]
        changes.added += new[j1 + pairs : j2]
    return changes


@transaction.atomic
def apply_document_changes(changes, conference):
    """Bring the document's wording up to date; an admin's correction, and any card, stays."""
    tables = {table.number: table for table in conference.tables.all()}
    stations = {station.number: station for station in conference.stations.all()}
    table_number = {r["pk"]: r["fields"]["number"] for r in changes.records if r["model"] == "results.themetable"}
    station_number = {r["pk"]: r["fields"]["number"] for r in changes.records if r["model"] == "results.station"}
    for card, record in changes.changed + changes.moved:
        fields = record["fields"]
        if not card.corrected:
            card.text = fields["original_text"]
        card.original_text = fields["original_text"]
        card.source_line = fields["source_line"]
        card.slide = fields["slide"]
        card._change_reason = CHANGE_REASON
        card.version += 1  # an admin form loaded before this change must not save over it
        card.save()
    for record in changes.added:
        fields = record["fields"]
        table = tables.get(table_number[fields["table"]])
        if table is None:
            raise ValueError(
                f"The document has a new table ({table_number[fields['table']]}); load it as a new conference."
            )
        card = Card(
            table=table,
            station=stations[station_number[fields["station"]]],
            kind=fields["kind"],
            heading=fields["heading"],
            text=fields["original_text"],
            original_text=fields["original_text"],
            position=fields["position"],
            slide=fields["slide"],
            source_line=fields["source_line"],
            origin=Card.Origin.DOCUMENT,
        )
        card._change_reason = CHANGE_REASON
        card.save()
    for card in changes.removed:
        card.withdraw("Steht nicht mehr im Quelldokument.", change_reason=CHANGE_REASON)
    conference.source_text = changes.source_text
    conference._change_reason = CHANGE_REASON
    conference.save()
