"""The access log never carries what a person typed: a phone number searched for stays out."""

import datetime
import importlib
import types

from gunicorn.config import Config
from gunicorn.glogging import Logger


def _logged_line(conf_module, *, path: str, query: str, referer: str) -> str:
    cfg = Config()
    for name in ("access_log_format", "accesslog"):
        cfg.set(name, getattr(conf_module, name))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }
    resp = types.SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = types.SimpleNamespace(headers=[("REFERER", referer)])
    atoms = Logger(cfg).atoms(resp, req, environ, datetime.timedelta(milliseconds=5))
    return cfg.access_log_format % atoms


def test_access_log_has_the_path_but_not_the_query_or_referer():
    conf = importlib.import_module("dxday.gunicorn_conf")
    line = _logged_line(
        conf,
        path="/hoat-dong/",
        query="q=0912345678&email=a%40b.vn",
        referer="http://127.0.0.1/tim?q=0912.345.678",
    )
    assert "/hoat-dong/" in line
    assert "0912" not in line and "a%40b" not in line and "email" not in line
