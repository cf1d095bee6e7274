"""Forms only parse input; services validate the domain rules and save."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from dxday.orgs.models import Commune

from .models import ActivityType

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one's real type and size."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return single(data, initial)


class ActivityForm(forms.Form):
    title = forms.CharField(
        label=_("Tên hoạt động"), max_length=300, widget=forms.TextInput(attrs=TEXT)
    )
    type = forms.ChoiceField(
        label=_("Loại hoạt động"),
        choices=ActivityType.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE)
    commune = forms.ModelChoiceField(
        label=_("Địa điểm (xã, phường)"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— Toàn tỉnh / không theo xã —"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    is_online = forms.BooleanField(label=_("Tổ chức trực tuyến"), required=False)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 4})
    )
    links = forms.CharField(
        label=_("Đường dẫn (mỗi dòng một đường dẫn)"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    evidence = MultipleFileField(
        label=_("Ảnh, tệp PDF minh chứng"),
        required=False,
        help_text=_("Ảnh JPEG, PNG, WebP hoặc PDF; mỗi tệp tối đa 5 MB."),
        widget=MultipleFileInput(
            attrs={"class": "form-control", "accept": "image/jpeg,image/png,image/webp,.pdf"}
        ),
    )

    def __init__(self, *args, indicators=(), province_id=None, switch_indicators=False, **kwargs):
        super().__init__(*args, **kwargs)
        if switch_indicators:
            # A report without a task: changing the type swaps the figure fields (htmx).
            self.fields["type"].widget.attrs.update(
                {
                    "hx-get": reverse_lazy("activities:indicator_fields"),
                    "hx-trigger": "change",
                    "hx-target": "#indicator-fields",
                    "hx-include": "[name='hoat_dong']",
                }
            )
        if province_id:
            self.fields["commune"].queryset = Commune.objects.filter(
                province_id=province_id
            ).order_by("name_sort")
        else:
            del self.fields["commune"]
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"ind_{indicator.code}"] = forms.IntegerField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data

    def activity_data(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in ("title", "type", "starts_on", "ends_on", "is_online", "description", "links")
        }
        if "commune" in self.fields:
            data["commune"] = self.cleaned_data.get("commune")
        return data

    def values(self) -> dict:
        return {i.code: self.cleaned_data.get(f"ind_{i.code}") for i in self.indicators}

    def indicator_fields(self):
        return [self[f"ind_{i.code}"] for i in self.indicators]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("ind_") and f.name != "evidence"]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class SectorForm(forms.Form):
    name = forms.CharField(label=_("Tên lĩnh vực"), max_length=300, widget=forms.TextInput(TEXT))
    target = forms.CharField(
        label=_("Mục tiêu"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.NumberInput(attrs=TEXT),
    )
    ai_usage = forms.CharField(
        label=_("Ứng dụng trí tuệ nhân tạo"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )


class MilestoneForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=DATE)
    text = forms.CharField(label=_("Nội dung mốc"), max_length=300, widget=forms.TextInput(TEXT))


class OfferForm(forms.Form):
    provider = forms.CharField(
        label=_("Nhà cung cấp"), max_length=200, widget=forms.TextInput(TEXT)
    )
    title = forms.CharField(
        label=_("Sản phẩm, dịch vụ số"), max_length=300, widget=forms.TextInput(TEXT)
    )
    discount = forms.CharField(label=_("Mức ưu đãi"), max_length=300, widget=forms.TextInput(TEXT))
    starts_on = forms.DateField(label=_("Áp dụng từ ngày"), widget=DATE)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE)
    how_to_claim = forms.CharField(
        label=_("Cách nhận ưu đãi"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    link = forms.URLField(
        label=_("Đường dẫn"), required=False, assume_scheme="https", widget=forms.URLInput(TEXT)
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do từ chối"), widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel đã điền"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )
    confirm = forms.BooleanField(label=_("Lưu (bỏ chọn để chỉ kiểm tra thử)"), required=False)
