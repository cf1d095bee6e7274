"""Organiser forms (plain fields; the services validate and save)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dxday.plans.models import Campaign

from .models import Eligibility, Topic


class ContestForm(forms.Form):
    campaign = forms.ModelChoiceField(Campaign.objects.all(), label=_("Chiến dịch"))
    title = forms.CharField(label=_("Tên cuộc thi"), max_length=300)
    eligibility = forms.ChoiceField(label=_("Đối tượng"), choices=Eligibility.choices)
    nationwide = forms.BooleanField(label=_("Toàn quốc"), required=False)
    rules = forms.CharField(label=_("Thể lệ"), widget=forms.Textarea, required=False)
    prizes = forms.CharField(label=_("Giải thưởng"), widget=forms.Textarea, required=False)


class RoundForm(forms.Form):
    TOPICS = Topic.values
    number = forms.IntegerField(label=_("Đợt thứ"), min_value=1, max_value=100)
    title = forms.CharField(label=_("Tên đợt"), max_length=200, required=False)
    opens_at = forms.DateTimeField(
        label=_("Mở lúc"), input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    closes_at = forms.DateTimeField(
        label=_("Đóng lúc"), input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    questions_per_attempt = forms.IntegerField(label=_("Số câu mỗi lượt"), min_value=1,
                                               max_value=100, initial=20)  # fmt: skip
    time_limit_s = forms.IntegerField(label=_("Thời gian (giây)"), min_value=10,
                                      max_value=86400, initial=900)  # fmt: skip
    attempts_allowed = forms.IntegerField(label=_("Số lượt được thi"), min_value=1,
                                          max_value=20, initial=2)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Topic.choices:
            self.fields[f"quota_{value}"] = forms.IntegerField(
                label=_("Số câu: %(t)s") % {"t": label}, min_value=0, max_value=100,
                required=False,
            )  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa lưu"), required=False, initial=True)
