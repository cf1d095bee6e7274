"""Backups that prove themselves: the database and every stored file in one archive, with a
manifest (row count of every table, SHA-256 of every file) that a restore checks itself against.

PostgreSQL is dumped with `pg_dump --format=custom` and restored with `pg_restore`; the embedded
SQLite database through SQLite's online backup API. Files are read from and written to the
default storage, so the same archive moves between `var/media/` and an S3 bucket.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils.translation import gettext as _

from .errors import DomainError

FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    tables: dict[str, int]
    files: dict[str, str]

    def as_json(self) -> bytes:
        body = {"format": FORMAT, "tables": self.tables, "files": self.files}
        return json.dumps(body, indent=1, sort_keys=True).encode()


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def table_counts() -> dict[str, int]:
    """Rows in every table of the database (Django's and dxday's alike)."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def stored_files(storage=default_storage, folder: str = "") -> list[str]:
    """Every file name in the storage, recursively, in a stable order."""
    dirs, files = storage.listdir(folder) if _exists(storage, folder) else ([], [])
    names = [f"{folder}/{f}" if folder else f for f in files]
    for d in dirs:
        names += stored_files(storage, f"{folder}/{d}" if folder else d)
    return sorted(names)


def _exists(storage, folder: str) -> bool:
    if folder:
        return True
    location = getattr(storage, "location", None)
    return location is None or Path(location).exists()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_now() -> Manifest:
    files = {}
    for name in stored_files():
        with default_storage.open(name, "rb") as fh:
            files[name] = _sha256(fh.read())
    return Manifest(tables=table_counts(), files=files)


def backup_write(path: Path) -> Manifest:
    """Write the archive to `path` (a .tar.gz) and return what it holds."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if _is_postgres():
            dump = tmp / "database.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", "--dbname", _pg_url(),
                  "--file", str(dump)])  # fmt: skip
        else:
            dump = tmp / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            connection.connection.backup(target)
            target.close()
        manifest = manifest_now()
        with tarfile.open(path, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            _add_bytes(tar, "manifest.json", manifest.as_json())
            for name in manifest.files:
                with default_storage.open(name, "rb") as fh:
                    _add_bytes(tar, f"media/{name}", fh.read())
    return manifest


def restore_read(path: Path) -> Manifest:
    """Restore the archive into the configured, empty database and storage, then check that
    every table count and every file checksum equals the manifest."""
    with tarfile.open(path, "r:gz") as tar:
        manifest = _manifest_of(tar)
        _ensure_empty()
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            names = tar.getnames()
            if "database.pgdump" in names:
                if not _is_postgres():
                    raise DomainError(_("Bản sao lưu là của PostgreSQL."), code="backup_mismatch")
                tar.extract("database.pgdump", tmp, filter="data")
                connection.close()
                _run(["pg_restore", "--no-owner", "--no-acl", "--exit-on-error",
                      "--dbname", _pg_url(), str(tmp / "database.pgdump")])  # fmt: skip
            else:
                if _is_postgres():
                    raise DomainError(_("Bản sao lưu là của SQLite."), code="backup_mismatch")
                tar.extract("database.sqlite3", tmp, filter="data")
                source = sqlite3.connect(tmp / "database.sqlite3")
                connection.ensure_connection()
                source.backup(connection.connection)
                source.close()
            for member in tar.getmembers():
                if member.isfile() and member.name.startswith("media/"):
                    name = member.name.removeprefix("media/")
                    saved = default_storage.save(name, ContentFile(tar.extractfile(member).read()))
                    if saved != name:
                        raise DomainError(
                            _("Tệp %(name)s đã có trong kho lưu trữ.") % {"name": name},
                            code="backup_target_not_empty",
                        )
    restored = manifest_now()
    if restored.tables != manifest.tables or restored.files != manifest.files:
        raise DomainError(
            _("Dữ liệu khôi phục không khớp với bản sao lưu."), code="backup_mismatch"
        )
    return restored


def _manifest_of(tar: tarfile.TarFile) -> Manifest:
    try:
        body = json.loads(tar.extractfile("manifest.json").read())
    except (KeyError, ValueError) as exc:
        raise DomainError(_("Tệp không phải bản sao lưu dxday."), code="backup_invalid") from exc
    if body.get("format") != FORMAT:
        raise DomainError(_("Phiên bản bản sao lưu không được hỗ trợ."), code="backup_invalid")
    return Manifest(tables=body["tables"], files=body["files"])


def _ensure_empty() -> None:
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise DomainError(
                _("Cơ sở dữ liệu đích phải trống (chưa chạy migrate)."),
                code="backup_target_not_empty",
            )
    if stored_files():
        raise DomainError(_("Kho lưu trữ tệp đích phải trống."), code="backup_target_not_empty")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _run(argv: list[str]) -> None:
    if shutil.which(argv[0]) is None:
        raise DomainError(
            _("Thiếu công cụ %(tool)s (gói postgresql-client).") % {"tool": argv[0]},
            code="tool_missing",
        )
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise DomainError(
            _("%(tool)s thất bại: %(error)s") % {"tool": argv[0], "error": done.stderr[-500:]},
            code="backup_failed",
        )
