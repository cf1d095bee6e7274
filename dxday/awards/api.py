"""/api/v1/awards and /api/v1/honours: programmes, entries (applicant token), results, and the
public vote (a verified voter's token). Tokens are identity tokens (/api/v1/identity)."""

from __future__ import annotations

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dxday.core.api import ErrorOut, Id, Year
from dxday.core.errors import DomainError
from dxday.core.http import client_ip
from dxday.identity.auth import IdentityBearer

from . import selectors, services
from .models import Applicant, Category, Programme

router = Router(tags=["awards"])
AUTH = IdentityBearer()


class CategoryOut(Schema):
    code: str
    name: str


class ProgrammeOut(Schema):
    id: int
    year: int
    name: str
    kind: str
    entries_open: datetime.datetime
    entries_close: datetime.datetime
    categories: list[CategoryOut]


@router.get(
    "/awards/programmes",
    response=list[ProgrammeOut],
    summary="Các chương trình giải thưởng và tôn vinh, với hạng mục",
)
def programmes(request):
    return [
        {
            "id": p.pk,
            "year": p.year,
            "name": p.name,
            "kind": p.kind,
            "entries_open": p.entries_open,
            "entries_close": p.entries_close,
            "categories": [{"code": c.code, "name": c.name} for c in p.categories.all()],
        }  # fmt: skip
        for p in selectors.programme_list_public()
    ]


class ApplicantIn(Schema):
    kind: Literal["organisation", "individual"]
    name: str = Field(min_length=1, max_length=300)
    org_type: Literal[
        "", "state_agency", "enterprise", "public_service_unit", "ict_organisation", "other"
    ] = ""
    is_foreign: bool = False
    has_vn_representative: bool = False
    has_permanent_residence: bool = False


class ApplicantOut(Schema):
    id: int
    kind: str
    name: str


@router.put(
    "/awards/applicant",
    response={200: ApplicantOut},
    auth=AUTH,
    summary="Hồ sơ đơn vị, cá nhân dự thi của người đã xác minh thư điện tử",
)
def applicant_put(request, payload: ApplicantIn):
    applicant = services.applicant_register(identity=request.auth, **payload.dict())
    return {"id": applicant.pk, "kind": applicant.kind, "name": applicant.name}


class EntryIn(Schema):
    category: str = Field(max_length=20, description="Mã hạng mục, ví dụ 3")
    title: str = Field(min_length=1, max_length=300)
    answers: dict[str, str] = {}
    video_link: str = Field(default="", max_length=200)
    submit: bool = False


class EntryOut(Schema):
    id: int
    status: str
    category: str
    title: str
    submitted_at: datetime.datetime | None


def _applicant(request) -> Applicant:
    applicant = selectors.applicant_of(request.auth)
    if applicant is None:
        raise DomainError(
            _("Hãy khai hồ sơ đơn vị, cá nhân dự thi trước (PUT /api/v1/awards/applicant)."),
            code="applicant_required",
            status=409,
        )
    return applicant


@router.post(
    "/awards/programmes/{programme_id}/entries",
    response={201: EntryOut},
    auth=AUTH,
    summary="Tạo (và nộp) một hồ sơ dự thi; sau hạn chót trả 409 entries_closed",
)
def entry_create(request, programme_id: Id, payload: EntryIn):
    programme = selectors.get_programme_public(programme_id)
    category = Category.objects.filter(programme=programme, code=payload.category).first()
    if category is None:
        raise DomainError(
            _("Không có hạng mục “%(code)s” trong chương trình này.") % {"code": payload.category},
            code="unknown_category",
            field="category",
            status=422,
        )
    applicant = _applicant(request)
    entry = services.entry_save(
        applicant=applicant,
        programme=programme,
        category=category,
        title=payload.title,
        answers=payload.answers,
        video_link=payload.video_link,
    )
    if payload.submit:
        entry = services.entry_submit(applicant=applicant, entry=entry)
    return Status(201, _entry_out(entry))


def _entry_out(entry) -> dict:
    return {
        "id": entry.pk,
        "status": entry.status,
        "category": entry.category.code,
        "title": entry.title,
        "submitted_at": entry.submitted_at,
    }


@router.post(
    "/awards/entries/{entry_id}/submit",
    response={200: EntryOut},
    auth=AUTH,
    summary="Nộp hồ sơ nháp; sau hạn chót trả 409 entries_closed",
)
def entry_submit(request, entry_id: Id):
    applicant = _applicant(request)
    entry = selectors.get_entry_for_applicant(applicant, entry_id)
    return _entry_out(services.entry_submit(applicant=applicant, entry=entry))


class ResultOut(Schema):
    category: str
    award: str
    award_label: str
    entry: str
    applicant: str
    citation: str
    certificate: str


@router.get(
    "/awards/programmes/{programme_id}/results",
    response=list[ResultOut],
    summary="Kết quả đã công bố của một chương trình",
)
def results(request, programme_id: Id):
    programme = selectors.get_programme_public(programme_id)
    if programme.phase != Programme.Phase.PUBLISHED:
        raise DomainError(
            _("Kết quả chương trình này chưa được công bố."),
            code="results_not_published",
            status=404,
        )
    return [
        {
            "category": r.entry.category.code,
            "award": r.award,
            "award_label": r.get_award_display(),
            "entry": r.entry.title,
            "applicant": r.entry.applicant.name,
            "citation": r.citation,
            "certificate": r.certificate_code,
        }  # fmt: skip
        for r in selectors.results_public(programme)
    ]


class CandidateOut(Schema):
    id: int
    programme: int
    kind: str
    name: str
    description: str
    link: str
    nominated_by: str
    votes: int


@router.get(
    "/honours/candidates",
    response=list[CandidateOut],
    summary="Các đề cử tôn vinh đang được bình chọn (số phiếu công khai, người bầu thì không)",
)
def candidates(request, campaign: Year | None = None):
    return [
        {
            "id": c.pk,
            "programme": c.programme_id,
            "kind": c.kind,
            "name": c.name,
            "description": c.description,
            "link": c.link,
            "nominated_by": c.nominated_by.name,
            "votes": c.votes,
        }  # fmt: skip
        for c in selectors.candidates_public(year=campaign)
    ]


class VoteOut(Schema):
    candidate: int
    votes: int
    votes_left: int


@router.post(
    "/honours/candidates/{candidate_id}/votes",
    response={201: VoteOut, 429: ErrorOut},
    auth=AUTH,
    summary="Bình chọn cho một đề cử (mỗi người một phiếu cho mỗi đề cử, tối đa N phiếu)",
)
def vote(request, candidate_id: Id):
    candidate = selectors.get_candidate_public(candidate_id)
    cast = services.vote_cast(
        identity=request.auth, candidate=candidate, client_ip=client_ip(request)
    )
    return Status(
        201, {"candidate": cast.candidate, "votes": cast.votes, "votes_left": cast.votes_left}
    )
