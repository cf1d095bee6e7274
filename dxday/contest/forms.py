"""Organiser forms (plain fields; the services validate and save)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dxday.core.forms import BootstrapMixin
from dxday.orgs.models import Commune, Organisation, Province
from dxday.plans.models import Campaign

from .models import Eligibility, Participant, Topic


class ContestForm(BootstrapMixin, forms.Form):
    campaign = forms.ModelChoiceField(Campaign.objects.all(), label=_("Chiến dịch"))
    title = forms.CharField(label=_("Tên cuộc thi"), max_length=300)
    eligibility = forms.ChoiceField(label=_("Đối tượng"), choices=Eligibility.choices)
    nationwide = forms.BooleanField(label=_("Toàn quốc"), required=False)
    rules = forms.CharField(label=_("Thể lệ"), widget=forms.Textarea, required=False)
    prizes = forms.CharField(label=_("Giải thưởng"), widget=forms.Textarea, required=False)


class RoundForm(BootstrapMixin, forms.Form):
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


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa lưu"), required=False, initial=True)


class RegisterForm(forms.Form):
    """A participant's sign-up. The organisation list is the result of the diacritic-free
    search typed in `org_q` (the "Tìm" button re-renders the form with the matches)."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    birth_year = forms.IntegerField(label=_("Năm sinh"), min_value=1900, max_value=2100)
    province = forms.ModelChoiceField(Province.objects.none(), label=_("Tỉnh, thành phố"))
    commune = forms.ModelChoiceField(Commune.objects.none(), label=_("Xã, phường, đặc khu"))
    kind = forms.ChoiceField(
        label=_("Bạn là"), choices=Participant.Kind.choices, widget=forms.RadioSelect,
        initial=Participant.Kind.CITIZEN,
    )  # fmt: skip
    org_q = forms.CharField(label=_("Tìm cơ quan, đơn vị (gõ không dấu cũng được)"),
                            max_length=100, required=False)  # fmt: skip
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("Cơ quan, đơn vị"), required=False
    )

    def __init__(self, *args, contest, org_q: str = "", **kwargs):
        from .selectors import organisation_search

        super().__init__(*args, **kwargs)
        provinces = Province.objects.order_by("name_sort")
        communes = Commune.objects.order_by("name_sort")
        home = contest.organiser.province_id
        if not contest.nationwide and home:
            provinces = provinces.filter(pk=home)
            communes = communes.filter(province_id=home)
            self.fields["province"].initial = home
        else:
            chosen = (self.data or self.initial).get("province") or home
            communes = communes.filter(province_id=chosen) if chosen else communes.none()
        self.fields["province"].queryset = provinces
        self.fields["commune"].queryset = communes
        found = [r["id"] for r in organisation_search(contest, org_q, limit=30)] if org_q else []
        chosen_org = (self.data or self.initial).get("organisation")
        if chosen_org and str(chosen_org).isdigit():
            found.append(int(chosen_org))
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=found).order_by(
            "depth", "name_sort"
        )

    def clean(self):
        data = super().clean()
        commune, province = data.get("commune"), data.get("province")
        if commune and province and commune.province_id != province.pk:
            self.add_error("commune", _("Xã, phường không thuộc tỉnh đã chọn."))
        if data.get("kind") != Participant.Kind.CITIZEN and not data.get("organisation"):
            self.add_error(
                "organisation", _("Cán bộ và đoàn viên cần tìm và chọn cơ quan, đơn vị của mình.")
            )
        return data


class UnitOfficialsForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Mã đơn vị"), max_length=64)
    officials = forms.IntegerField(label=_("Số cán bộ, công chức"), min_value=1, max_value=10**7)


class QuestionForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Câu hỏi"), widget=forms.Textarea(attrs={"rows": 3}))
    topic = forms.ChoiceField(label=_("Chủ đề"), choices=Topic.choices)
    difficulty = forms.TypedChoiceField(
        label=_("Độ khó"), coerce=int, choices=[(1, _("Dễ")), (2, _("Trung bình")), (3, _("Khó"))]
    )
    explanation = forms.CharField(
        label=_("Giải thích"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for letter in "ABCDEF":
            self.fields[f"option_{letter}"] = forms.CharField(
                label=_("Đáp án %(x)s") % {"x": letter}, max_length=500, required=False
            )
            self.fields[f"correct_{letter}"] = forms.BooleanField(
                label=_("Đáp án %(x)s đúng") % {"x": letter}, required=False
            )

    def options(self) -> list[tuple[str, bool]]:
        return [
            (self.cleaned_data[f"option_{x}"], self.cleaned_data[f"correct_{x}"])
            for x in "ABCDEF"
            if self.cleaned_data.get(f"option_{x}")
        ]
