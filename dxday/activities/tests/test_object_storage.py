"""Evidence on S3-compatible object storage: a real server process (moto in server mode).

Files written by one app server must be readable by every other, so with S3_BUCKET the
default storage is the object store; the evidence view reads back through it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from dxday.activities import services
from dxday.activities.tests.factories import activity_data, png_upload

MOTO = Path(sys.executable).with_name("moto_server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    if not MOTO.exists():
        message = "moto_server is not installed (pip install 'moto[server]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    proc = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_server):
    import boto3

    bucket = f"dxday-test-{uuid.uuid4().hex[:8]}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client, bucket


def test_evidence_is_stored_in_the_bucket_and_served_from_it(client, loop, people, s3_storage):
    s3, bucket = s3_storage
    reporter = people.actor(people.th_c1_reporter)
    activity = services.activity_create(by=reporter, assignment=loop.a_c1, data=activity_data())
    item = services.evidence_add(activity=activity, by=reporter, upload=png_upload())

    assert type(default_storage._wrapped).__name__ == "S3Storage"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == [item.file.name]

    client.force_login(people.th_c1_reporter)
    response = client.get(reverse("activities:evidence", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x89PNG")
    stored = s3.get_object(Bucket=bucket, Key=item.file.name)["Body"].read()
    assert body == stored
    response.close()
