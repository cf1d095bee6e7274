"""The files an operator copies from deploy/ are valid as they stand."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def _need(tool: str) -> str:
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else "")
    if not path:
        message = f"{tool} is not installed (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.mark.parametrize("name", ["nginx-dxday.conf", "nginx-dxday-microcache.conf"])
def test_nginx_site_passes_nginx_t(tmp_path, name):
    nginx = _need("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=dxday.test", "-keyout", str(tmp_path / "k.pem"),
         "-out", str(tmp_path / "c.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / name).read_text()
    site = site.replace("/var/cache/nginx/dxday", f"{tmp_path}/cache")
    site = site.replace("/etc/ssl/dxday/fullchain.pem", str(tmp_path / "c.pem"))
    site = site.replace("/etc/ssl/dxday/privkey.pem", str(tmp_path / "k.pem"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The access log format names the path ($uri), never the query string.
    assert "$request " not in site and "$args" not in site and '$request_uri"' not in site
    if "proxy_cache " in site:
        # The micro-cache never stores or serves a signed-in or token request, holds one
        # request per key (cache lock) and keeps entries seconds, not minutes.
        assert "proxy_cache_bypass $dxday_no_cache;" in site
        assert "proxy_no_cache $dxday_no_cache;" in site
        assert "$cookie_sessionid$http_authorization" in site
        assert "proxy_cache_lock on;" in site
        assert re.search(r"proxy_cache_valid 200 [1-5]s;", site)


def test_systemd_units_point_at_real_commands():
    from django.core.management import get_commands

    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.stem for u in units} >= {"dxday-web", "dxday-worker"}
    for unit in units:
        text = unit.read_text()
        assert re.search(r"^EnvironmentFile=/etc/dxday/dxday.env$", text, re.M), unit.name
        for command in re.findall(r"^ExecStart=.*?/bin/dxday (\S+)", text, re.M):
            assert command.replace("-", "_") in get_commands(), (unit.name, command)
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert timer.with_suffix(".service").exists(), timer.name
