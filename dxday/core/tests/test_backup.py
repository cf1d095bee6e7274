"""The backup drill: load the demo on PostgreSQL with files in a bucket, `dxday backup`, then
`dxday restore` into a fresh database and a fresh bucket. Every table's row count and every
file's checksum must be equal, checked here independently of the restore's own check."""

from __future__ import annotations

import json
import uuid

import pytest

from .servers import (
    child_env,
    drop_pg_database,
    fresh_pg_database,
    manage,
    moto_server,
    require_port,
    s3_env,
)

pytestmark = [pytest.mark.slow]

STATE = r"""
import json
from dxday.core.backup import manifest_now
m = manifest_now()
print("STATE=" + json.dumps({"tables": m.tables, "files": m.files}))
"""


def _state(env) -> dict:
    out = manage(env, "shell", stdin=STATE)
    return json.loads(next(line[6:] for line in out.splitlines() if line.startswith("STATE=")))


@pytest.mark.postgres
def test_backup_then_restore_into_fresh_database_and_bucket_is_identical(tmp_path):
    require_port(5432, "PostgreSQL")
    tag = uuid.uuid4().hex[:8]
    source_db, target_db = f"dxday_backup_src_{tag}", f"dxday_backup_dst_{tag}"
    secrets = {"SECRET_KEY": "drill-" + tag * 4, "HOUSEHOLD_SALT": "drill-salt-" + tag}
    archive = tmp_path / "dxday-backup.tar.gz"
    with moto_server() as s3:
        try:
            source = child_env(
                DATABASE_URL=fresh_pg_database(source_db), DXDAY_VAR_DIR=str(tmp_path / "a"),
                **secrets, **s3_env(s3, f"src-{tag}"),
            )  # fmt: skip
            manage(source, "migrate", "-v0")
            manage(source, "demo")
            before = _state(source)
            assert before["files"], "the demo stores evidence files"
            assert before["tables"]["orgs_organisation"] > 3000
            manage(source, "backup", str(archive))

            target = child_env(
                DATABASE_URL=fresh_pg_database(target_db), DXDAY_VAR_DIR=str(tmp_path / "b"),
                **secrets, **s3_env(s3, f"dst-{tag}"),
            )  # fmt: skip
            out = manage(target, "restore", str(archive))
            assert "Đã khôi phục và đối chiếu" in out
            after = _state(target)
            assert after == before
            # A second restore into the now-full target refuses, and changes nothing.
            again = manage_fails(target, "restore", str(archive))
            assert "phải trống" in again
            assert _state(target) == before
        finally:
            drop_pg_database(source_db)
            drop_pg_database(target_db)


def manage_fails(env, *args: str) -> str:
    import subprocess
    import sys

    from .servers import ROOT

    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode != 0
    return done.stderr


ADD_FILES = r"""
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from dxday.orgs.models import Organisation
Organisation.objects.add_root(create_kwargs={"code": "bo", "name": "Bộ", "kind": "national"})
default_storage.save("evidence/2025/a.png", ContentFile(b"\x89PNG-a"))
default_storage.save("reports/2025/10/b.docx", ContentFile(b"PK-b" * 1000))
"""


def test_embedded_backup_restores_into_a_fresh_sqlite_and_media_folder(tmp_path):
    secrets = {"SECRET_KEY": "drill-" + "x" * 40, "HOUSEHOLD_SALT": "drill-salt"}
    source = child_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}", DXDAY_VAR_DIR=str(tmp_path / "a"),
        **secrets,
    )  # fmt: skip
    manage(source, "migrate", "-v0")
    manage(source, "shell", stdin=ADD_FILES)
    before = _state(source)
    assert len(before["files"]) == 2 and before["tables"]["orgs_organisation"] == 1
    archive = tmp_path / "embedded.tar.gz"
    manage(source, "backup", str(archive))
    target = child_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'b.sqlite3'}", DXDAY_VAR_DIR=str(tmp_path / "b"),
        **secrets,
    )  # fmt: skip
    manage(target, "restore", str(archive))
    assert _state(target) == before
