"""The jury: jurors on panels, the conflict-of-interest registry, automatic balanced
assignment, and scoring (raw scores per criterion; every total is derived)."""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError, NotFound
from dxday.core.pagecache import bump
from dxday.core.text import nfc, search_key
from dxday.orgs.permissions import Actor

from ..models import Assignment, Conflict, Criterion, Entry, Juror, Programme, Review, Score
from ._common import ensure_organiser, ensure_phase, now


def _conflict_keys(juror_ids, on: datetime.date) -> dict[int, set[str]]:
    """Per juror, the organisations (search keys) they are tied to on that day."""
    keys: dict[int, set[str]] = defaultdict(set)
    rows = Conflict.objects.filter(juror_id__in=list(juror_ids)).values_list(
        "juror_id", "organisation_key", "starts_on", "ends_on"
    )
    for juror_id, key, starts, ends in rows:
        if (starts is None or starts <= on) and (ends is None or on <= ends):
            keys[juror_id].add(key)
    return keys


def _entry_key(entry: Entry) -> str:
    return search_key(entry.applicant.name)


def conflicted(juror: Juror, entry: Entry, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    return _entry_key(entry) in _conflict_keys([juror.pk], on).get(juror.pk, set())


@transaction.atomic
def conflict_add(
    *,
    by: Actor | None,
    juror: Juror,
    organisation_name: str,
    relation: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Conflict:
    """A tie declared by the juror (`by` is the juror's own actor) or added by the organiser."""
    own = by is not None and by.user.pk == juror.user_id
    if not own:
        ensure_organiser(by, juror.programme)
    name = nfc(organisation_name or "").strip()
    if not name or relation not in Conflict.Relation.values:
        raise DomainError(_("Hãy ghi tên tổ chức và loại quan hệ."), code="invalid", status=422)
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(
            _("Ngày kết thúc phải sau ngày bắt đầu."), code="invalid_range", status=422
        )
    conflict = Conflict.objects.create(
        juror=juror,
        organisation_name=name[:300],
        organisation_key=search_key(name)[:300],
        relation=relation,
        starts_on=starts_on,
        ends_on=ends_on,
        declared_by=Conflict.DeclaredBy.JUROR if own else Conflict.DeclaredBy.ORGANISER,
    )
    audit(conflict, "awards.conflict.added", by=by, changes={"organisation": name})
    return conflict


def _ensure_no_conflict(juror: Juror, entry: Entry) -> None:
    if conflicted(juror, entry):
        raise DomainError(
            _(
                "Giám khảo %(juror)s có quan hệ lợi ích với “%(org)s”, nên không được chấm hồ sơ "
                "này."
            )
            % {"juror": juror.name, "org": entry.applicant.name},
            code="conflict_of_interest",
            status=409,
        )


def _eligible_entries(programme: Programme):
    return (
        Entry.objects.filter(programme=programme, status=Entry.Status.ELIGIBLE)
        .select_related("applicant", "category")
        .order_by("pk")
    )


@transaction.atomic
def assignments_auto(*, by: Actor, programme: Programme) -> dict:
    """Give every eligible entry k jurors of its category's panels: no conflicted pair, nobody
    over the load limit, jurors of one entry from different organisations where possible, and
    the load spread evenly. Keeps existing assignments; says which entries fell short."""
    ensure_organiser(by, programme)
    ensure_phase(programme, Programme.Phase.SCREENING, Programme.Phase.SCORING)
    k, cap = programme.jurors_per_entry, programme.max_load
    jurors = list(Juror.objects.filter(programme=programme).prefetch_related("panels__categories"))
    by_category: dict[int, list[Juror]] = defaultdict(list)
    for juror in jurors:
        cats = {c.pk for panel in juror.panels.all() for c in panel.categories.all()}
        for cat in cats:
            by_category[cat].append(juror)
    ties = _conflict_keys([j.pk for j in jurors], timezone.localdate())
    affiliation = {j.pk: search_key(j.affiliation) for j in jurors}
    load: dict[int, int] = defaultdict(int)
    current: dict[int, set[int]] = defaultdict(set)
    for entry_id, juror_id in Assignment.objects.filter(entry__programme=programme).values_list(
        "entry_id", "juror_id"
    ):
        load[juror_id] += 1
        current[entry_id].add(juror_id)
    entries = list(_eligible_entries(programme))

    def candidates(entry: Entry) -> list[Juror]:
        key = _entry_key(entry)
        return [
            j
            for j in by_category.get(entry.category_id, [])
            if key not in ties.get(j.pk, set()) and j.pk not in current[entry.pk]
        ]

    # The most constrained entries first, so the few jurors they can have are still free.
    entries.sort(key=lambda e: (len(candidates(e)), e.pk))
    fresh: list[Assignment] = []
    short: list[int] = []
    for entry in entries:
        need = k - len(current[entry.pk])
        chosen_aff = {affiliation[j] for j in current[entry.pk]}
        pool = [j for j in candidates(entry) if load[j.pk] < cap]
        while need > 0 and pool:
            # Least loaded first; among equals, one from an organisation not yet on the entry.
            pool.sort(key=lambda j: (load[j.pk], affiliation[j.pk] in chosen_aff, j.pk))
            juror = pool.pop(0)
            fresh.append(Assignment(entry=entry, juror=juror))
            current[entry.pk].add(juror.pk)
            chosen_aff.add(affiliation[juror.pk])
            load[juror.pk] += 1
            need -= 1
            pool = [j for j in pool if load[j.pk] < cap]
        if need > 0:
            short.append(entry.pk)
    Assignment.objects.bulk_create(fresh, batch_size=1000)
    audit(
        programme,
        "awards.assignment.auto",
        by=by,
        changes={"created": len(fresh), "short": len(short)},
    )
    return {"created": len(fresh), "short_entries": short, "entries": len(entries)}


@transaction.atomic
def assignment_add(*, by: Actor, entry: Entry, juror: Juror) -> Assignment:
    """A manual assignment by the organiser; one that breaks a conflict is refused."""
    ensure_organiser(by, entry.programme)
    if juror.programme_id != entry.programme_id:
        raise NotFound()
    _ensure_no_conflict(juror, entry)
    assignment, created = Assignment.objects.get_or_create(
        entry=entry, juror=juror, defaults={"manual": True}
    )
    if created:
        audit(assignment, "awards.assignment.added", by=by)
    return assignment


@transaction.atomic
def assignment_remove(*, by: Actor, assignment: Assignment) -> None:
    ensure_organiser(by, assignment.entry.programme)
    audit(assignment, "awards.assignment.removed", by=by)
    assignment.delete()


def _juror_assignment(by: Actor, assignment: Assignment) -> None:
    if by is None or assignment.juror.user_id != by.user.pk:
        raise NotFound()


@transaction.atomic
def review_save(
    *, by: Actor, assignment: Assignment, scores: dict[int, decimal.Decimal | str | int],
    comment: str = "", submit: bool = False,
) -> Review:  # fmt: skip
    """A juror's raw score per criterion (one review per juror and entry), submitted or not.
    The conflict registry is checked again here: a tie declared after assignment blocks it."""
    assignment = Assignment.objects.select_related(
        "entry__programme", "entry__applicant", "entry__category", "juror"
    ).get(pk=assignment.pk)
    _juror_assignment(by, assignment)
    programme = assignment.entry.programme
    ensure_phase(programme, Programme.Phase.SCORING)
    _ensure_no_conflict(assignment.juror, assignment.entry)
    review, _created = Review.objects.get_or_create(assignment=assignment)
    if review.submitted_at is not None:
        raise DomainError(
            _("Phiếu chấm đã nộp, không sửa được."), code="already_submitted", status=409
        )
    criteria = {c.pk: c for c in Criterion.objects.filter(category=assignment.entry.category)}
    errors: dict[str, str] = {}
    clean: dict[int, decimal.Decimal] = {}
    for key, value in (scores or {}).items():
        try:
            cid = int(key)
            raw = decimal.Decimal(str(value).strip().replace(",", "."))
        except (ValueError, decimal.InvalidOperation):
            errors[str(key)] = _("Điểm phải là một số.")
            continue
        criterion = criteria.get(cid)
        if criterion is None:
            errors[str(key)] = _("Tiêu chí không thuộc hạng mục này.")
        elif not raw.is_finite() or not 0 <= raw <= criterion.scale_max:
            errors[str(key)] = _("Điểm “%(c)s” phải từ 0 đến %(max)s.") % {
                "c": criterion.name,
                "max": criterion.scale_max,
            }
        else:
            clean[cid] = raw.quantize(decimal.Decimal("0.01"))
    if submit:
        for cid, criterion in criteria.items():
            if cid not in clean and not review.scores.filter(criterion_id=cid).exists():
                errors[str(cid)] = _("Chưa chấm tiêu chí “%(c)s”.") % {"c": criterion.name}
    if errors:
        raise DomainError(
            _("Phiếu chấm có điểm chưa hợp lệ."), code="invalid", errors=errors, status=422
        )
    for cid, raw in clean.items():
        Score.objects.update_or_create(review=review, criterion_id=cid, defaults={"raw": raw})
    review.comment = nfc(comment or "").strip()[:5000]
    fields = ["comment", "updated_at"]
    if submit:
        review.submitted_at = now()
        fields.append("submitted_at")
    review.save(update_fields=fields)
    audit(
        review,
        "awards.review.submitted" if submit else "awards.review.saved",
        by=by,
        changes={str(k): str(v) for k, v in clean.items()},
    )
    return review


@transaction.atomic
def criterion_weight_set(*, by: Actor, criterion: Criterion, weight) -> Criterion:
    """A new weight: every total is derived from raw scores, so all of them follow at once."""
    programme = criterion.category.programme
    ensure_organiser(by, programme)
    try:
        value = decimal.Decimal(str(weight))
    except decimal.InvalidOperation:
        value = decimal.Decimal(0)
    if not value.is_finite() or value <= 0 or value > 1000:
        raise DomainError(
            _("Trọng số phải là số dương."), code="invalid", field="weight", status=422
        )
    old = criterion.weight
    criterion.weight = value
    criterion.save(update_fields=["weight"])
    audit(criterion, "awards.criterion.weight_changed", by=by, changes={"weight": [old, value]})
    return criterion


@transaction.atomic
def phase_set(*, by: Actor, programme: Programme, phase: str) -> Programme:
    ensure_organiser(by, programme)
    order = list(Programme.Phase.values)
    if phase not in order or order.index(phase) != order.index(programme.phase) + 1:
        raise DomainError(
            _("Chỉ chuyển được sang giai đoạn kế tiếp."), code="wrong_phase", status=409
        )
    old = programme.phase
    programme.phase = phase
    programme.save(update_fields=["phase", "updated_at"])
    audit(programme, "awards.programme.phase", by=by, changes={"phase": [old, phase]})
    bump("awards")  # the public programme pages show the phase
    return programme
