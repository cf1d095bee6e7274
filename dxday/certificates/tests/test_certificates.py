"""Certificates: issued once per holder, revoked with a reason, verified by anyone, and their
QR claims checkable offline with nothing but the published key."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from dxday.certificates import selectors
from dxday.certificates.documents import certificate_pdf
from dxday.certificates.models import Certificate
from dxday.certificates.services import certificate_revoke, certificates_issue
from dxday.core import signing
from dxday.core.errors import DomainError, NotFound
from dxday.core.models import AuditEntry

DAY = datetime.date(2025, 10, 10)


def issue(people, tree, holders, *, by=None, issuer=None, source="learning.offering:1"):
    return certificates_issue(
        by=people.actor(by or people.tq_coordinator),
        issuer=issuer or tree.tq,
        kind="learning",
        source=source,
        title="Hoàn thành lớp bồi dưỡng Trí tuệ nhân tạo và Dữ liệu lớn cho cán bộ",
        issued_on=DAY,
        holders=holders,
    )


@pytest.mark.django_db
def test_issue_is_idempotent_per_holder_and_audited(people, tree):
    first = issue(people, tree, [("r:1", "Nguyễn Văn An"), ("r:2", "Trần Thị Bình")])
    again = issue(people, tree, [("r:1", "Nguyễn Văn An"), ("r:3", "Lê Đức Cường")])
    assert Certificate.objects.count() == 3
    assert {c.code for c in first} & {c.code for c in again} == {first[0].code}
    assert all(len(c.code) == 12 for c in again)
    assert AuditEntry.objects.filter(action="certificates.certificate.issued").count() == 3


@pytest.mark.django_db
def test_codes_are_not_sequential(people, tree):
    certs = issue(people, tree, [(f"r:{i}", f"Người {i}") for i in range(50)])
    codes = [c.code for c in certs]
    assert len(set(codes)) == 50
    assert codes != sorted(codes)


@pytest.mark.django_db
def test_only_the_issuers_subtree_may_issue(people, tree):
    with pytest.raises(NotFound):  # Tuyên Quang does not exist for Thanh Hóa
        issue(people, tree, [("r:1", "A")], by=people.th_coordinator, issuer=tree.tq)
    with pytest.raises(DomainError) as err:  # a viewer may not issue in its own subtree
        issue(people, tree, [("r:1", "A")], by=people.th_viewer, issuer=tree.th)
    assert err.value.status == 403
    with pytest.raises(DomainError) as err:
        issue(people, tree, [("r:1", "  ")])
    assert err.value.code == "invalid_holder"


@pytest.mark.django_db
def test_revoke_needs_a_reason_and_happens_once(people, tree):
    (cert,) = issue(people, tree, [("r:1", "Nguyễn Văn An")])
    by = people.actor(people.tq_coordinator)
    with pytest.raises(DomainError) as err:
        certificate_revoke(by=by, certificate=cert, reason=" ")
    assert err.value.code == "reason_required"
    certificate_revoke(by=by, certificate=cert, reason="Cấp nhầm người")
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revoked_at is not None
    with pytest.raises(DomainError) as err:
        certificate_revoke(by=by, certificate=cert, reason="Lần nữa")
    assert err.value.code == "already_revoked"
    entry = AuditEntry.objects.get(action="certificates.certificate.revoked")
    assert entry.changes["reason"] == "Cấp nhầm người"


@pytest.mark.django_db
def test_code_typed_from_paper_is_found(people, tree):
    (cert,) = issue(people, tree, [("r:1", "Nguyễn Văn An")])
    typed = " ".join([cert.code[:4], cert.code[4:8], cert.code[8:]]).lower()
    assert selectors.certificate_by_code(typed) == cert
    for bad in ["", "../../etc", "Ư" * 5, "A" * 12]:
        with pytest.raises(NotFound):
            selectors.certificate_by_code(bad)


@pytest.mark.django_db
def test_qr_claims_verify_offline_and_tampering_fails(people, tree):
    (cert,) = issue(people, tree, [("r:1", "Nguyễn Văn An")])
    text = selectors.certificate_qr_text(cert)
    url, _, token = text.partition("#")
    assert url.endswith(f"/xac-thuc/{cert.code}/")
    claims = selectors.claims_from_token(token)
    assert claims == {
        "c": cert.code,
        "n": "Nguyễn Văn An",
        "t": cert.title,
        "o": "UBND tỉnh Tuyên Quang",
        "d": "2025-10-10",
    }
    body, _, sig = token.rpartition(".")
    # A device holding only the public key reaches the same verdict.
    assert signing.verify_with_public_key(
        signing.public_key_b64(), body.encode(), signing.b64url_decode(sig)
    )
    forged_body = signing.b64url(
        signing.b64url_decode(body).replace("Nguyễn Văn An".encode(), "Nguyễn Văn Bo".encode())
    )
    assert selectors.claims_from_token(f"{forged_body}.{sig}") is None
    assert selectors.claims_from_token("garbage") is None
    assert selectors.claims_from_token("a.b!") is None


@pytest.mark.django_db
def test_public_page_api_and_pdf(client, people, tree):
    (cert,) = issue(people, tree, [("r:1", "Nguyễn Văn An")])
    page = client.get(f"/xac-thuc/{cert.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chứng nhận còn hiệu lực." in html and "Nguyễn Văn An" in html
    assert "10/10/2025" in html

    api = client.get(f"/api/v1/certificates/{cert.code}")
    assert api.json() == {
        "status": "valid",
        "name": "Nguyễn Văn An",
        "offering": cert.title,
        "organiser": "UBND tỉnh Tuyên Quang",
        "date": "2025-10-10",
        "revoked_reason": "",
    }
    assert client.get("/api/v1/certificates/ZZZZZZZZZZZZ").status_code == 404
    assert client.get("/xac-thuc/ZZZZZZZZZZZZ/").status_code == 404
    key = client.get("/api/v1/certificates/key").json()
    assert key == {"algorithm": "Ed25519", "public_key": signing.public_key_b64()}

    certificate_revoke(
        by=people.actor(people.tq_coordinator), certificate=cert, reason="Không tham dự đủ"
    )
    html = client.get(f"/xac-thuc/{cert.code}/").content.decode()
    assert "Chứng nhận đã bị thu hồi." in html and "Không tham dự đủ" in html
    assert client.get(f"/api/v1/certificates/{cert.code}").json()["status"] == "revoked"

    response = client.get(f"/xac-thuc/{cert.code}/pdf")
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_pdf_is_a4_landscape_in_one_vietnamese_font(people, tree):
    (cert,) = issue(people, tree, [("r:1", "Nguyễn Thị Hương Giang")])
    reader = PdfReader(io.BytesIO(certificate_pdf(cert)))
    (page,) = reader.pages
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    text = page.extract_text()
    assert "GIẤY CHỨNG NHẬN" in text
    assert "Nguyễn Thị Hương Giang" in text
    assert cert.code in text
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for font in (page["/Resources"]["/Font"] or {}).values()
    }
    assert fonts and all(f.startswith("BeVietnamPro") for f in fonts), fonts


@pytest.mark.django_db
def test_verification_form_redirects_a_typed_code(client, people, tree):
    (cert,) = issue(people, tree, [("r:1", "Nguyễn Văn An")])
    response = client.get("/xac-thuc/", {"ma": cert.code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/xac-thuc/{cert.code}/"
    bad = client.get("/xac-thuc/", {"ma": "<script>"})
    assert bad.status_code == 200 and "chỉ gồm chữ số" in bad.content.decode()
