"""
The uploaded files of a backup (photos with their renditions, original PDFs), kept beside it.

`backup` writes backups/<time>.json.gz and, when the archive holds files, backups/<time>.media.zip
with every file that a row or a historical row refers to (a deleted photo can be reverted).
`restore` puts them back into the default storage; it writes only names the restored rows refer to.
"""

import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from results.models import Conference
from results.photos import Photo


def media_path(backup):
    """backups/<time>.json.gz -> backups/<time>.media.zip"""
    backup = Path(backup)
    name = backup.name.removesuffix(".gz").removesuffix(".json")
    return backup.with_name(name + ".media.zip")


def referenced_files():
    """Every stored file name a photo, a conference or one of their historical rows refers to, sorted."""
    names = set()
    for model in (Photo, Photo.history.model):
        for name, renditions in model.objects.values_list("image", "renditions"):
            names.add(name)
            names.update(rendition[key] for rendition in renditions for key in ("webp", "jpg") if key in rendition)
    for model in (Conference, Conference.history.model):
        names.update(model.objects.values_list("source_pdf", flat=True))
    names.discard("")
    names.discard(None)
    return sorted(names)


def write_media(backup):
    """Write the files beside the backup; returns (path or None when there are none, names of missing files)."""
    names = referenced_files()
    if not names:
        return None, []
    path, missing = media_path(backup), []
    # Photos and PDFs are compressed already.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in names:
            if not default_storage.exists(name):
                missing.append(name)
                continue
            with default_storage.open(name, "rb") as file:
                archive.writestr(name, file.read())
    return path, missing


def restore_media(backup):
    """Put the files of the backup's media archive back; returns (number restored, names still missing)."""
    path = media_path(backup)
    wanted = set(referenced_files())
    restored = 0
    if path.is_file():
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name not in wanted:
                    continue
                if default_storage.exists(name):
                    default_storage.delete(name)
                saved = default_storage.save(name, ContentFile(archive.read(name)))
                if saved != name:
                    raise ValueError(f"{name} was stored as {saved}")
                restored += 1
    return restored, sorted(name for name in wanted if not default_storage.exists(name))
