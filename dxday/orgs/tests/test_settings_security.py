"""Production settings refuse unsafe secrets (issue 9 §3).

Each case imports `dxday.settings` in a fresh interpreter (so pytest is not loaded and the
run is not "testing"), with a controlled environment and an empty var/ directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]
PRINT = (
    "import json, dxday.settings as s; "
    "print(json.dumps({'key': s.SECRET_KEY, 'salt': s.DXDAY['HOUSEHOLD_SALT']}))"
)


def _settings(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECRET_KEY", "HOUSEHOLD_SALT", "DEBUG", "DXDAY_"))
    }
    clean.update(DXDAY_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=PROJECT, env=clean, capture_output=True, text=True
    )


def _values(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_refuses_to_start_with_the_development_key(tmp_path):
    result = _settings(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "refuses to start with the development SECRET_KEY" in result.stderr


def test_the_development_key_works_with_debug(tmp_path):
    got = _values(_settings(tmp_path, DEBUG="1"))
    assert got["key"].startswith("dxday-insecure")


def test_household_salt_never_falls_back_to_secret_key(tmp_path):
    result = _settings(tmp_path, SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "without HOUSEHOLD_SALT" in result.stderr


def test_secrets_come_from_var_files_and_rotating_the_key_keeps_the_salt(tmp_path):
    (tmp_path / "secret_key").write_text("first-key-" + "a" * 50 + "\n")
    (tmp_path / "household_salt").write_text("muoi-ho-gia-dinh\n")
    first = _values(_settings(tmp_path))
    assert first == {"key": "first-key-" + "a" * 50, "salt": "muoi-ho-gia-dinh"}
    rotated = _values(_settings(tmp_path, SECRET_KEY="second-key-" + "b" * 50))
    assert rotated["key"] != first["key"] and rotated["salt"] == first["salt"]


def test_secret_key_file_is_read(tmp_path):
    key = tmp_path / "elsewhere"
    key.write_text("from-a-file-" + "c" * 50)
    got = _values(_settings(tmp_path, SECRET_KEY_FILE=str(key), HOUSEHOLD_SALT="muoi"))
    assert got == {"key": "from-a-file-" + "c" * 50, "salt": "muoi"}


def test_make_run_key_generation_writes_private_files_once(tmp_path):
    """The Makefile's `secrets` step (run by `make run`): the same key twice, mode 600."""
    keys = []
    for _ in range(2):
        subprocess.run(
            ["make", "-s", "secrets", f"VAR={tmp_path}"], cwd=PROJECT, check=True,
            capture_output=True,
        )  # fmt: skip
        keys.append((tmp_path / "secret_key").read_text())
    assert keys[0] == keys[1] and len(keys[0].strip()) >= 50
    for name in ("secret_key", "household_salt"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
    assert _values(_settings(tmp_path))["key"] == keys[0].strip()
