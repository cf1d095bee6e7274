"""The question bank from an XLSX/CSV file, through core.imports: dry run, every error of every
row (each with its column), nothing saved unless every row is clean.

Columns: Câu hỏi | Đáp án A … Đáp án F (2–6 filled) | Đáp án đúng ("A", "A, C") |
Giải thích | Chủ đề | Độ khó (Dễ / Trung bình / Khó, or 1–3) | Trạng thái (Nháp / Đã duyệt).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from dxday.core.imports import ImportReport, RowInvalid, TableImport, read_rows, run_import
from dxday.core.text import search_key
from dxday.orgs.permissions import Actor, ensure_can

from .models import Contest, Question, Topic
from .services import question_create

LETTERS = "ABCDEF"


def _topic_words() -> dict[str, str]:
    """Topic names as the template writes them (Vietnamese, whatever the reader's language)."""
    with translation.override("vi"):
        return {search_key(str(label)): value for value, label in Topic.choices} | {
            v: v for v in Topic.values
        }


def _topic_names() -> str:
    with translation.override("vi"):
        return ", ".join(str(label) for _v, label in Topic.choices)


DIFFICULTY_WORDS = {"de": 1, "1": 1, "trung binh": 2, "2": 2, "": 2, "kho": 3, "3": 3}
STATUS_WORDS = {"": "draft", "nhap": "draft", "da duyet": "approved", "duyet": "approved"}


@dataclass
class QuestionRow:
    text: str
    options: list[tuple[str, bool]]
    explanation: str
    topic: str
    difficulty: int
    status: str


class QuestionImport(TableImport):
    columns = {
        "text": "Câu hỏi",
        **{f"opt_{x}": f"Đáp án {x}" for x in LETTERS},
        "correct": "Đáp án đúng",
        "explanation": "Giải thích",
        "topic": "Chủ đề",
        "difficulty": "Độ khó",
        "status": "Trạng thái",
    }
    required = {"text", "correct"}

    def __init__(self, *, actor: Actor | None, contest: Contest):
        self.actor = actor
        self.contest = contest
        self.existing = set(
            Question.objects.filter(contest=contest).values_list("search_key", flat=True)
        )

    def clean_row(self, row: dict, context: dict) -> QuestionRow:
        errors: list[tuple[str, str]] = []
        text = str(self.value(row, "text")).strip()
        key = search_key(text)[:500]
        if key in self.existing or key in context.setdefault("keys", set()):
            errors.append((_("câu hỏi này đã có trong ngân hàng."), self.columns["text"]))
        context["keys"].add(key)
        filled = {x: str(self.value(row, f"opt_{x}")).strip() for x in LETTERS
                  if self.value(row, f"opt_{x}") not in (None, "")}  # fmt: skip
        letters = [x for x in LETTERS if x in filled]
        if len(letters) < 2:
            errors.append((_("cần ít nhất hai đáp án."), self.columns["opt_B"]))
        elif letters != list(LETTERS[: len(letters)]):
            errors.append((_("các đáp án phải điền liền nhau từ A."), self.columns["opt_A"]))
        raw_correct = str(self.value(row, "correct") or "").upper()
        correct = {c for c in raw_correct if c.isalpha()}
        if not correct or not correct <= set(filled):
            errors.append((
                _("“%(v)s” không chỉ tới đáp án đã điền (ghi A, B… hoặc “A, C”).")
                % {"v": raw_correct},
                self.columns["correct"],
            ))  # fmt: skip
        if len({search_key(v) for v in filled.values()}) != len(filled):
            errors.append((_("hai đáp án trùng nhau."), self.columns["opt_A"]))
        topic = _topic_words().get(search_key(str(self.value(row, "topic") or "")))
        if topic is None:
            names = _topic_names()
            errors.append((
                _("chủ đề “%(v)s” không có; hãy chọn: %(all)s.")
                % {"v": self.value(row, "topic"), "all": names},
                self.columns["topic"],
            ))  # fmt: skip
        difficulty = DIFFICULTY_WORDS.get(search_key(str(self.value(row, "difficulty") or "")))
        if difficulty is None:
            errors.append(
                (_("độ khó phải là Dễ, Trung bình hoặc Khó."), self.columns["difficulty"])
            )
        status = STATUS_WORDS.get(search_key(str(self.value(row, "status") or "")))
        if status is None:
            errors.append((_("trạng thái phải là Nháp hoặc Đã duyệt."), self.columns["status"]))
        if errors:
            raise RowInvalid.many(errors)
        return QuestionRow(
            text=text, options=[(filled[x], x in correct) for x in letters],
            explanation=str(self.value(row, "explanation") or "").strip(), topic=topic,
            difficulty=difficulty, status=status,
        )  # fmt: skip

    def save(self, cleaned: list[QuestionRow], context: dict) -> int:
        for r in cleaned:
            question_create(
                actor=self.actor, contest=self.contest, text=r.text, options=r.options,
                topic=r.topic, explanation=r.explanation, difficulty=r.difficulty,
                status=r.status,
            )  # fmt: skip
        return len(cleaned)


def questions_import(
    *, actor: Actor | None, contest: Contest, upload, filename: str | None = None, dry_run: bool
) -> ImportReport:
    if actor is not None:
        ensure_can(actor, "contest.manage", contest.organiser)
    rows = read_rows(upload, filename)
    return run_import(QuestionImport(actor=actor, contest=contest), rows, dry_run=dry_run)
