"""The organiser's offering form: parses the input; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dxday.orgs.models import Commune
from dxday.orgs.permissions import Actor, visible_organisations

from .models import Offering
from .topics import Topic

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def _when_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OfferingForm(forms.Form):
    organiser = forms.ModelChoiceField(queryset=None, label=_("Đơn vị tổ chức"))
    kind = forms.ChoiceField(choices=Offering.Kind.choices, label=_("Loại"))
    format = forms.ChoiceField(choices=Offering.Format.choices, label=_("Hình thức"))
    title = forms.CharField(max_length=255, label=_("Tên"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  label=_("Nội dung"))  # fmt: skip
    commune = forms.CharField(max_length=5, required=False, label=_("Mã xã, phường"))
    address = forms.CharField(max_length=300, required=False, label=_("Địa điểm"))
    online_link = forms.URLField(
        assume_scheme="https", required=False, label=_("Đường dẫn học trực tuyến")
    )
    starts_at = forms.DateTimeField(
        input_formats=DT_FORMATS, label=_("Bắt đầu"), widget=_when_widget()
    )
    ends_at = forms.DateTimeField(
        input_formats=DT_FORMATS, label=_("Kết thúc"), widget=_when_widget()
    )
    capacity = forms.IntegerField(min_value=1, max_value=1_000_000, required=False,
                                  label=_("Số chỗ (để trống nếu không giới hạn)"))  # fmt: skip
    audience = forms.ChoiceField(choices=Offering.Audience.choices, label=_("Đối tượng"))
    topics = forms.MultipleChoiceField(choices=Topic.choices, widget=forms.CheckboxSelectMultiple,
                                       required=False, label=_("Chủ đề"))  # fmt: skip
    speakers = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                               label=_("Diễn giả"))  # fmt: skip
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             label=_("Chương trình"))  # fmt: skip
    livestream_url = forms.URLField(
        assume_scheme="https", required=False, label=_("Đường dẫn truyền hình trực tiếp")
    )
    invitation_only = forms.BooleanField(required=False, label=_("Chỉ theo giấy mời"))
    invitation_code = forms.CharField(max_length=40, required=False, label=_("Mã giấy mời"))
    registration_open = forms.BooleanField(required=False, initial=True,
                                           label=_("Đang nhận đăng ký"))  # fmt: skip
    certificates_enabled = forms.BooleanField(required=False, label=_("Cấp giấy chứng nhận"))

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = visible_organisations(actor).order_by("path")
        for f in self.fields.values():
            css = "form-check-input" if isinstance(f, forms.BooleanField) else "form-control"
            if isinstance(f.widget, forms.Select):
                css = "form-select"
            if not isinstance(f.widget, forms.CheckboxSelectMultiple):
                f.widget.attrs.setdefault("class", css)

    def clean_commune(self):
        code = (self.cleaned_data.get("commune") or "").strip()
        if not code:
            return None
        commune = Commune.objects.filter(code=code).first()
        if commune is None:
            raise forms.ValidationError(_("Không tìm thấy xã, phường có mã này."))
        return commune

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organiser")
        data.pop("topics")
        return data
