from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Report


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


def _text() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control"})


DRAFT_HELP = format_lazy(
    '<span class="badge text-bg-warning">{}</span> {}',
    _("Bản nháp tự động"),
    _(
        "Hệ thống soạn đoạn này từ số liệu của báo cáo (so với chỉ tiêu, với năm trước, đơn vị "
        "dẫn đầu và chậm). Hãy đọc, sửa cho đúng rồi bấm “Lưu nội dung”; trong tệp DOCX/PDF "
        "đoạn nháp được tô vàng cho đến khi được lưu."
    ),
)


class NarrativeForm(forms.Form):
    general_situation = forms.CharField(
        label=_("I. Tình hình chung"), required=False, widget=_textarea(8)
    )
    outstanding_examples = forms.CharField(
        label=_("III. Gương điển hình, cách làm hay"), required=False, widget=_textarea()
    )
    difficulties = forms.CharField(
        label=_("IV. Khó khăn, vướng mắc"), required=False, widget=_textarea()
    )
    proposals = forms.CharField(
        label=_("V. Đề xuất, kiến nghị"), required=False, widget=_textarea()
    )

    def __init__(self, *args, drafted: list[str] | tuple[str, ...] = (), **kwargs):
        """`drafted`: the sections whose initial text the system drafted from the figures
        (nobody wrote them yet); they are marked as a draft to read and correct."""
        super().__init__(*args, **kwargs)
        self.drafted = [name for name in drafted if name in self.fields]
        for name in self.drafted:
            field = self.fields[name]
            field.widget = _textarea(field.widget.attrs.get("rows", 6))
            field.widget.attrs.update({"class": "form-control dx-draft", "data-draft": "1"})
            field.help_text = DRAFT_HELP


class HeaderForm(forms.Form):
    """Header and closing block (a plain form: the service applies and audits the changes)."""

    number = forms.CharField(label=_("Số, ký hiệu"), required=False, widget=_text(),
                             help_text=_("Ví dụ: 05/BC-UBND"))  # fmt: skip
    parent_agency = forms.CharField(label=_("Cơ quan chủ quản"), required=False, widget=_text())
    issuing_agency = forms.CharField(label=_("Cơ quan ban hành"), required=False, widget=_text())
    addressee = forms.CharField(label=_("Kính gửi"), required=False, widget=_text())
    place = forms.CharField(label=_("Địa danh"), required=False, widget=_text())
    issued_on = forms.DateField(
        label=_("Ngày báo cáo"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"
        ),  # fmt: skip
    )
    authority_line = forms.CharField(
        label=_("Thẩm quyền ký"), required=False, widget=_textarea(2),
        help_text=_("Mỗi dòng một cấp, ví dụ: TM. ỦY BAN NHÂN DÂN rồi KT. CHỦ TỊCH."),
    )  # fmt: skip
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, widget=_text())
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, widget=_text())
    recipients = forms.CharField(
        label=_("Nơi nhận"), required=False, widget=_textarea(4),
        help_text=_("Mỗi dòng một nơi nhận; dòng “Lưu: VT, …” được thêm tự động."),
    )  # fmt: skip
    archive_unit = forms.CharField(label=_("Lưu (đơn vị soạn thảo)"), required=False,
                                   widget=_text())  # fmt: skip

    def __init__(self, *args, instance: Report | None = None, **kwargs):
        if instance is not None and not args and "initial" not in kwargs:
            initial = {name: getattr(instance, name) for name in self.base_fields}
            initial["recipients"] = "\n".join(instance.recipients or [])
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)

    def header_changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["recipients"] = [
            line.strip() for line in (data.get("recipients") or "").splitlines() if line.strip()
        ]
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=_textarea(3))
