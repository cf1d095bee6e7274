import pytest
from django.db import models
from django.db.models.fields.files import FieldFile

from dxday.core.audit import _plain, audit_trail, diff, snapshot


def test_plain_file_fields_empty_and_set():
    field = models.FileField()
    assert _plain(FieldFile(None, field, None)) is None  # an empty file must not raise
    assert _plain(FieldFile(None, field, "reports/x.docx")) == "reports/x.docx"


@pytest.mark.django_db
def test_audit_records_changed_fields_per_object(tree, people):
    from dxday.core.audit import audit

    org = tree.th_c1
    before = snapshot(org)
    org.name = "UBND phường Hạc Thành (mới)"
    changes = diff(before, org)
    audit(org, "orgs.organisation.updated", by=people.actor(people.th_coordinator), changes=changes)
    entry = audit_trail(org).get()
    assert entry.user == people.th_coordinator
    assert entry.changes["name"] == ["UBND phường Hạc Thành", "UBND phường Hạc Thành (mới)"]
    assert entry.acting_organisation_id == tree.th.pk
