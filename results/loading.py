"""Load a conference fixture into the database: once, whole or not at all, never over existing data."""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from results.models import Conference

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
        values = {}
        for name, value in record["fields"].items():
            field = model._meta.get_field(name)
            if field.is_relation and value is not None:
                value = new_pk[(field.related_model._meta.label_lower, value)]
                values[field.attname] = value
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
