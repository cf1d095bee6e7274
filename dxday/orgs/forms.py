from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from dxday.core.forms import BootstrapMixin

from .models import Organisation, Role


class LoginForm(BootstrapMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OrganisationForm(BootstrapMixin, forms.Form):
    """Fields of a unit a coordinator may set (its code is fixed once created)."""

    code = forms.SlugField(
        label=_("Mã đơn vị"),
        max_length=64,
        required=False,
        help_text=_(
            "Chữ không dấu, số và dấu gạch ngang, ví dụ: th-so-tai-chinh. "
            "Để trống để tạo tự động từ tên."
        ),
    )
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=Organisation.Kind.choices)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_active"]


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp dữ liệu (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class SearchForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Tìm đơn vị"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả"))] + list(Organisation.Kind.choices),
    )


class UserCreateForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("Chữ không dấu, số và các ký tự . @ + - _"),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Vai trò tại đơn vị"), choices=Role.choices)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Để trống nếu quản trị viên sẽ đặt mật khẩu sau."),
    )


class TokenIssueForm(BootstrapMixin, forms.Form):
    label = forms.CharField(
        label=_("Tên gợi nhớ"), max_length=100, help_text=_("Ví dụ: điện thoại tổ 1")
    )


class MembershipGrantForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của tài khoản đã có"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò tại đơn vị"), choices=Role.choices)


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    """Ask for a reset link by e-mail. The answer is the same whether or not an account has
    that address (Django sends only where one does)."""

    email = forms.EmailField(
        label=_("Thư điện tử của tài khoản"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass
