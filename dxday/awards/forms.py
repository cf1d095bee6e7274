from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dxday.core.forms import BootstrapMixin

from .models import Applicant, Category, Conflict, Entry


class ApplicantForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Applicant
        fields = [
            "kind", "name", "org_type", "is_foreign", "has_vn_representative",
            "has_permanent_residence",
        ]  # fmt: skip


class EntryForm(BootstrapMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("Hạng mục"), queryset=Category.objects.none())
    title = forms.CharField(label=_("Tên hồ sơ / sản phẩm, giải pháp"), max_length=300)
    video_link = forms.URLField(
        label=_("Đường dẫn video giới thiệu"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, programme, category: Category | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = programme.categories.all()
        chosen = category or (self.initial.get("category") if self.initial else None)
        questions = chosen.questions if isinstance(chosen, Category) else []
        for q in questions:
            self.fields[f"q_{q['key']}"] = forms.CharField(
                label=q["label"],
                required=False,  # required answers are checked when the entry is submitted
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                max_length=5000,
            )

    def answers(self) -> dict[str, str]:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("q_")}


class FileForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm (PDF hoặc ảnh, tối đa 10 MB)"))


class ScreenForm(BootstrapMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("Kết quả sơ loại"),
        choices=[
            (Entry.Status.ELIGIBLE, _("Hợp lệ")),
            (Entry.Status.INELIGIBLE, _("Không hợp lệ")),
            (Entry.Status.INCOMPLETE, _("Cần bổ sung")),
        ],
    )
    reason = forms.CharField(label=_("Lý do / phần cần bổ sung"), required=False, max_length=2000)
    complete_by = forms.DateTimeField(
        label=_("Hạn bổ sung"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ReopenForm(BootstrapMixin, forms.Form):
    until = forms.DateTimeField(
        label=_("Mở lại đến"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Lý do"), max_length=2000)


class ConflictForm(BootstrapMixin, forms.Form):
    organisation_name = forms.CharField(label=_("Tổ chức"), max_length=300)
    relation = forms.ChoiceField(label=_("Quan hệ"), choices=Conflict.Relation.choices)
    starts_on = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
