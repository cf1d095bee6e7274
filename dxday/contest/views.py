"""Thin HTML views: public contest pages (no per-visitor state for anonymous GETs), the
participant's attempt and result pages, and the organiser's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from dxday.certificates.selectors import certificates_for_source
from dxday.core.errors import DomainError, NotFound
from dxday.core.pagecache import cached
from dxday.core.params import int_param
from dxday.identity.selectors import identity_from_request
from dxday.orgs.permissions import ensure_can

from . import selectors, services
from .auth import page_token, participant_from_request
from .forms import (
    ContestForm,
    ImportForm,
    QuestionForm,
    RegisterForm,
    RoundForm,
    UnitOfficialsForm,
)
from .imports import questions_import
from .models import Attempt, Question, Round

RANKING_RULE = gettext_noop(
    "Xếp hạng theo: (1) điểm cao hơn; (2) dự đoán số người tham gia gần với số thực tế hơn; "
    "(3) thời gian làm bài ngắn hơn; (4) nộp bài sớm hơn. Mỗi người chỉ tính lượt tốt nhất "
    "theo đúng thứ tự này. Nếu vẫn bằng nhau, lượt thi bắt đầu trước xếp trên, nên thứ hạng "
    "luôn xác định và không đổi khi tính lại."
)


@cached(scopes=("contest",), ttl=30)
def contest_list(request):
    year = int_param(request.GET.get("campaign"), minimum=2000, maximum=2999)
    return render(request, "contest/list.html", {"contests": selectors.contest_list(year=year)})


@cached(scopes=("contest",), ttl=30)
def contest_detail(request, pk: int):
    contest = selectors.contest_get(pk)
    rounds = list(contest.rounds.all())
    for rnd in rounds:
        if rnd.is_closed:  # finish what the close left open before ranking (cheap when none)
            services.attempts_sweep(round_id=rnd.pk)
    boards = []
    for rnd in rounds:
        board = {
            "round": rnd,
            "participants": selectors.participants_in_round(rnd.pk),
            "provinces": selectors.province_board(rnd, limit=10),
            "units": selectors.organisation_board(rnd, limit=10),
            "rates": selectors.organisation_rate_board(rnd, limit=10),
            "ranking": selectors.round_ranking(rnd, limit=20) if rnd.is_closed else None,
        }
        boards.append(board)
    return render(
        request,
        "contest/detail.html",
        {"contest": contest, "boards": boards, "ranking_rule": _(RANKING_RULE)},
    )


ATTEMPT_TEXTS = {
    "offline": gettext_noop("Mất kết nối — %(n)s câu chờ gửi, sẽ tự gửi lại"),
    "pending": gettext_noop("Đang gửi %(n)s câu…"),
    "saved": gettext_noop("Đã lưu"),
    "q_pending": gettext_noop("Chờ gửi"),
    "q_saved": gettext_noop("Đã lưu"),
    "pick": gettext_noop("Chọn một hoặc nhiều đáp án."),
    "time_over": gettext_noop("Đã hết giờ. Bài được nộp với các câu đã lưu trước giờ kết thúc."),
    "error": gettext_noop("Có lỗi, hãy thử lại."),
    "submit_offline": gettext_noop("Mất kết nối khi nộp bài; đang thử lại…"),
    "offline_start": gettext_noop("Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại."),
    "points": gettext_noop("điểm"),
    "taken": gettext_noop("trong %(s)s giây"),
    "confirm": gettext_noop("Nộp bài bây giờ? Sau khi nộp không sửa được câu trả lời."),
}


def attempt_page(request, pk: int):
    """The participant's page for one round (mobile first). Needs a registered participant."""
    rnd = selectors.round_get(pk)
    participant = participant_from_request(request, rnd.contest)
    if participant is None:
        return redirect("contest:register", pk=rnd.contest_id)
    used = Attempt.objects.filter(round=rnd, participant=participant).count()
    response = render(
        request,
        "contest/attempt.html",
        {
            "contest": rnd.contest, "round": rnd, "participant": participant, "used": used,
            "minutes": rnd.time_limit_s // 60, "token": page_token(request, participant),
            "texts": {k: _(v) for k, v in ATTEMPT_TEXTS.items()},
        },
    )  # fmt: skip
    patch_cache_control(response, private=True, no_store=True)
    return response


def attempt_result(request, pk: int):
    attempt = Attempt.objects.select_related("round__contest", "participant").filter(pk=pk).first()
    if attempt is None:
        raise NotFound()
    participant = participant_from_request(request, attempt.round.contest)
    if participant is None or participant.pk != attempt.participant_id:
        raise NotFound()
    response = render(
        request,
        "contest/result.html",
        {
            "attempt": attempt, "round": attempt.round, "contest": attempt.round.contest,
            "review": selectors.attempt_review(attempt),
        },
    )  # fmt: skip
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Organiser ------------------------------------------------------------------------------


@login_required
def manage(request):
    actor = request.actor
    contests = selectors.contests_for_actor(actor)
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(actor=actor, organiser=actor.organisation,
                                              **form.cleaned_data)  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã tạo cuộc thi."))
            return redirect("contest:manage_contest", pk=contest.pk)
    return render(request, "contest/manage.html", {"contests": contests, "form": form})


@login_required
def manage_contest(request, pk: int):
    actor = request.actor
    contest = selectors.get_contest_for_user(actor, pk)
    form = RoundForm(request.POST or None, initial={"number": contest.rounds.count() + 1})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        quotas = {t: data.pop(f"quota_{t}") or 0 for t in RoundForm.TOPICS}
        try:
            services.round_create(actor=actor, contest=contest, quotas=quotas, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã tạo đợt thi."))
            return redirect("contest:manage_contest", pk=contest.pk)
    return render(
        request,
        "contest/manage_contest.html",
        {"contest": contest, "form": form, "units_form": UnitOfficialsForm(),
         "unit_sizes": contest.unit_sizes.select_related("organisation").order_by(
             "organisation__name_sort")},
    )  # fmt: skip


@login_required
@require_POST
def unit_officials(request, pk: int):
    from dxday.orgs.models import Organisation

    contest = selectors.get_contest_for_user(request.actor, pk)
    form = UnitOfficialsForm(request.POST)
    if form.is_valid():
        unit = Organisation.objects.filter(code=form.cleaned_data["code"].strip()).first()
        try:
            if unit is None:
                raise DomainError(_("Không có đơn vị mang mã này."), code="not_found")
            services.unit_officials_set(actor=request.actor, contest=contest, organisation=unit,
                                        officials=form.cleaned_data["officials"])  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã lưu số cán bộ của đơn vị."))
    else:
        messages.error(request, _("Hãy nhập mã đơn vị và số cán bộ (lớn hơn 0)."))
    return redirect("contest:manage_contest", pk=contest.pk)


@login_required
@require_POST
def flag_reviewed(request, pk: int):
    from .models import Flag

    flag = Flag.objects.select_related("round__contest__organiser").filter(pk=pk).first()
    if flag is None:
        raise NotFound()
    contest = selectors.get_contest_for_user(request.actor, flag.round.contest_id)
    services.flag_review(actor=request.actor, flag=flag)
    return redirect("contest:flags", pk=contest.pk)


@login_required
def bank(request, pk: int):
    contest = selectors.get_contest_for_user(request.actor, pk)
    q = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    status = status if status in Question.Status.values else ""
    questions = selectors.question_list(contest, q=q, status=status)[:500]
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = questions_import(
                actor=request.actor, contest=contest, upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_error("file", exc.message)
    return render(
        request,
        "contest/bank.html",
        {"contest": contest, "questions": questions, "q": q, "status": status, "form": form,
         "report": report, "statuses": Question.Status.choices},
    )  # fmt: skip


@login_required
@require_POST
def question_status(request, pk: int):
    question = Question.objects.select_related("contest__organiser").filter(pk=pk).first()
    if question is None:
        raise NotFound()
    selectors.get_contest_for_user(request.actor, question.contest_id)
    try:
        services.question_set_status(
            actor=request.actor, question=question, status=request.POST.get("status", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật trạng thái câu hỏi."))
    return redirect("contest:bank", pk=question.contest_id)


@login_required
def flags(request, pk: int):
    contest = selectors.get_contest_for_user(request.actor, pk)
    return render(
        request,
        "contest/flags.html",
        {"contest": contest, "flags": selectors.flag_list(contest)[:500]},
    )


@login_required
def results(request, pk: int):
    rnd = selectors.round_get(pk)
    contest = selectors.get_contest_for_user(request.actor, rnd.contest_id)
    ensure_can(request.actor, "contest.view", contest.organiser)
    if rnd.is_closed:
        services.attempts_sweep(round_id=rnd.pk)
    return render(
        request,
        "contest/results.html",
        {
            "contest": contest, "round": rnd,
            "ranking": selectors.round_ranking(rnd, limit=200),
            "participants": selectors.participants_in_round(rnd.pk),
            "provinces": selectors.province_board(rnd), "units": selectors.organisation_board(rnd),
            "ranking_rule": _(RANKING_RULE), "Round": Round,
            "certificates": certificates_for_source(f"contest.round:{rnd.pk}"),
        },
    )  # fmt: skip


@login_required
@require_POST
def certify(request, pk: int):
    """Certificates for the top of a closed round (or, with `scope=contest`, of the contest)."""
    rnd = selectors.round_get(pk)
    contest = selectors.get_contest_for_user(request.actor, rnd.contest_id)
    top = int_param(request.POST.get("top"), default=10, minimum=1, maximum=1000)
    try:
        if request.POST.get("scope") == "contest":
            issued = services.contest_winners_certify(by=request.actor, contest=contest, top=top)
        else:
            issued = services.round_winners_certify(by=request.actor, round=rnd, top=top)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cấp %(n)s giấy chứng nhận.") % {"n": len(issued)})
    return redirect("contest:results", pk=rnd.pk)


def register(request, pk: int):
    """Sign-up: the contact is proved first (the identity app's /xac-minh/), then the person
    gives a name, year of birth, place of residence and, for officials and union members,
    their organisation (a search without diacritics over the org tree)."""
    contest = selectors.contest_get(pk)
    identity = identity_from_request(request)
    if identity is None:
        return redirect(f"{reverse('identity:start')}?next={request.path}")
    if participant_from_request(request, contest) is not None:
        messages.info(request, _("Bạn đã đăng ký dự thi cuộc thi này."))
        return redirect("contest:detail", pk=contest.pk)
    data = request.POST if request.method == "POST" else None
    finding = data is not None and "find" in data
    # "Tìm đơn vị" re-renders the form with the matches, unbound: no errors yet.
    form = RegisterForm(
        None if finding else data, initial=data.dict() if finding else None, contest=contest,
        org_q=request.POST.get("org_q", ""),
    )  # fmt: skip
    if data is not None and not finding and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.participant_register(
                contest=contest, identity=identity, full_name=cleaned["full_name"],
                birth_year=cleaned["birth_year"], commune=cleaned["commune"],
                kind=cleaned["kind"], organisation=cleaned.get("organisation"),
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đăng ký thành công. Chúc bạn thi tốt!"))
            return redirect("contest:detail", pk=contest.pk)
    response = render(
        request,
        "contest/register.html",
        {"contest": contest, "form": form, "contact": identity.contact_masked},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def question_edit(request, pk: int):
    """Edit a question. While a round that can draw it is open, the service refuses and the
    page says why (edits during a round make it unfair)."""
    question = Question.objects.select_related("contest").filter(pk=pk).first()
    if question is None:
        raise NotFound()
    contest = selectors.get_contest_for_user(request.actor, question.contest_id)
    initial = {"text": question.text, "topic": question.topic,
               "difficulty": question.difficulty, "explanation": question.explanation}  # fmt: skip
    for letter, option in zip("ABCDEF", question.options.all(), strict=False):
        initial[f"option_{letter}"] = option.text
        initial[f"correct_{letter}"] = option.is_correct
    form = QuestionForm(request.POST or None, initial=initial)
    blocked = services.open_round_using(question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=request.actor, question=question, text=form.cleaned_data["text"],
                options=form.options(), topic=form.cleaned_data["topic"],
                explanation=form.cleaned_data["explanation"],
                difficulty=form.cleaned_data["difficulty"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu câu hỏi."))
            return redirect("contest:bank", pk=contest.pk)
    return render(
        request,
        "contest/question_edit.html",
        {"contest": contest, "question": question, "form": form, "blocked": blocked},
    )
