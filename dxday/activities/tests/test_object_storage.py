"""Evidence on S3-compatible object storage: a real server process (moto in server mode).

Files written by one app server must be readable by every other, so with S3_BUCKET the
default storage is the object store; the evidence view reads back through it.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from dxday.activities import services
from dxday.activities.tests.factories import activity_data, png_upload
from dxday.core.tests.servers import moto_server, s3_client


@pytest.fixture(scope="module")
def s3_server():
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_storage(settings, s3_server):
    bucket = f"dxday-test-{uuid.uuid4().hex[:8]}"
    client = s3_client(s3_server)
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
