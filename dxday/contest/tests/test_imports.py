"""The bank from a spreadsheet: dry run, every error of every row, all or nothing."""

import io

import pytest
from openpyxl import Workbook

from dxday.contest.imports import questions_import
from dxday.contest.models import Question

pytestmark = pytest.mark.django_db
HEADER = ["Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án C", "Đáp án đúng", "Giải thích",
          "Chủ đề", "Độ khó", "Trạng thái"]  # fmt: skip


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "cau-hoi.xlsx"
    return buf


GOOD = [
    ["Ngày Chuyển đổi số quốc gia là ngày nào?", "10/10", "1/1", "2/9", "A", "QĐ 505",
     "Chuyển đổi số", "Dễ", "Đã duyệt"],
    ["Những ứng dụng nào của Chính phủ?", "VNeID", "Cổng DVC", "Trò chơi", "A, B", "",
     "chinh quyen hai cap", "2", "Nháp"],
]  # fmt: skip


def test_dry_run_then_save(world):
    before = Question.objects.count()
    report = questions_import(actor=None, contest=world.contest, upload=_xlsx(GOOD), dry_run=True)
    assert report.ok and report.rows_valid == 2 and Question.objects.count() == before
    report = questions_import(actor=None, contest=world.contest, upload=_xlsx(GOOD), dry_run=False)
    assert report.saved == 2
    q = Question.objects.get(text__startswith="Những ứng dụng")
    assert (q.topic, q.status, q.options.filter(is_correct=True).count()) == (
        "government", "draft", 2,
    )  # fmt: skip


def test_every_error_of_every_row_and_nothing_saved(world):
    bad = [
        *GOOD,
        ["Câu một đáp án", "Chỉ A", None, None, "B", "", "Vũ trụ", "Rất khó", "Xong"],
        [GOOD[0][0], "X", "Y", None, "A", "", "Chuyển đổi số", "", ""],
    ]
    before = Question.objects.count()
    report = questions_import(actor=None, contest=world.contest, upload=_xlsx(bad), dry_run=False)
    assert not report.ok and report.saved == 0 and Question.objects.count() == before
    by_row = {}
    for e in report.errors:
        by_row.setdefault(e.row, set()).add(e.column)
    assert by_row[4] == {"Đáp án B", "Đáp án đúng", "Chủ đề", "Độ khó", "Trạng thái"}
    assert by_row[5] == {"Câu hỏi"}  # the same question twice in one file
