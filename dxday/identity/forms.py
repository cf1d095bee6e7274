from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class StartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Xác minh bằng"),
        choices=[(Kind.EMAIL, _("Thư điện tử")), (Kind.PHONE, _("Số điện thoại"))],
        widget=forms.RadioSelect,
        initial=Kind.EMAIL,
    )
    contact = forms.CharField(
        label=_("Địa chỉ thư điện tử hoặc số điện thoại"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "email"}),
        help_text=_("Chỉ dùng để gửi mã xác minh; không bao giờ được công khai."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác minh (6 chữ số)"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
