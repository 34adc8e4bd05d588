"""Write everything worth keeping (content, corrections, history, reports, users) to one file."""

import datetime
import gzip
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from results.mediabackup import write_media

# Content types and permissions are rebuilt by `migrate`; natural keys point
# at them by name, so they are not part of the backup. Search terms are
# derived from the card texts and rebuilt when cards load. Sessions and
# django-axes' login attempts are not worth restoring.
BACKUP_MODELS = ["results.*", "auth.User", "auth.Group", "admin.LogEntry"]
BACKUP_EXCLUDE = {"results.CardTerm"}


class PreciseJSONEncoder(DjangoJSONEncoder):
    """Keep microseconds (DjangoJSONEncoder cuts them), so the history's timestamps come back exactly."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def backup_models():
    """The backed-up models, ordered so that natural keys are loaded before they are referred to."""
    chosen = {}
    for label in BACKUP_MODELS:
        app_label, name = label.split(".")
        app_config = apps.get_app_config(app_label)
        models = app_config.get_models() if name == "*" else [app_config.get_model(name)]
        chosen.setdefault(app_config, []).extend(m for m in models if m._meta.label not in BACKUP_EXCLUDE)
    return serializers.sort_dependencies(chosen.items(), allow_cycles=True)


def write_backup(output):
    """Write the backup as loaddata-compatible JSON to `output`, gzip-compressed when it ends in .gz."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    objects = []
    for model in backup_models():
        objects += serializers.serialize(
            "python",
            model._base_manager.order_by(model._meta.pk.name),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    opener = gzip.open if output.suffix == ".gz" else open
    with opener(output, "wt", encoding="utf-8") as stream:
        json.dump(objects, stream, cls=PreciseJSONEncoder, ensure_ascii=False)
    return output


class Command(BaseCommand):
    help = "Write a backup of the whole archive (content, corrections, history, reports, users) to one file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The file to write; default backups/<timestamp>.json.gz. Ending in .gz compresses it.",
        )

    def handle(self, *args, **options):
        output = options["output"] or f"backups/{timezone.now():%Y-%m-%dT%H%M%S}.json.gz"
        path = write_backup(output)
        self.stdout.write(f"Backup written to {path}")
        media, missing = write_media(path)
        if media:
            self.stdout.write(
                f"Photos and PDFs written to {media}" + (f"; missing: {', '.join(missing)}" if missing else "")
            )
