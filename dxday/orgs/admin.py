"""Operators' admin: the tree, accounts, roles and tokens (never a token's hash)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from dxday.core.audit import audit, audit_created, diff, snapshot

from .models import ApiToken, Commune, Membership, Organisation, Province, User
from .permissions import Actor
from .services import notify_organisations_created


def _actor(request) -> Actor:
    return Actor(user=request.user, membership=None)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "division_type")
    search_fields = ("code", "name", "search_key")


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "division_type", "province")
    list_filter = ("division_type", "province")
    search_fields = ("code", "name", "search_key")
    list_select_related = ("province",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


class OrganisationMoveForm(MoveNodeForm):
    """treebeard's form, but the reference unit is typed as a code: a select of all ~10,000
    units weighs a megabyte and takes seconds to render."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["treebeard_ref_node"]
        field.to_field_name = "code"
        field.widget = forms.TextInput(attrs={"size": 30})
        field.label = _("Mã đơn vị tham chiếu")
        field.help_text = _(
            "Mã của đơn vị cấp trên (với “con đầu tiên của”) hoặc của đơn vị cùng cấp "
            "(với “trước”, “sau”). Để trống: đơn vị gốc."
        )
        field.error_messages["invalid_choice"] = _("Không có đơn vị với mã này.")


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    form = movenodeform_factory(
        Organisation,
        form=OrganisationMoveForm,
        fields=("code", "name", "short_name", "kind", "province", "commune", "email", "is_active"),
    )
    list_display = ("name", "code", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "search_key")
    autocomplete_fields = ("province", "commune")

    def save_model(self, request, obj, form, change):
        before = snapshot(Organisation.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            changes = diff(before, obj)
            if changes:
                audit(obj, "orgs.organisation.updated", by=_actor(request), changes=changes)
        else:
            audit_created(obj, "orgs.organisation.created", by=_actor(request))
            notify_organisations_created([obj])


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Thông tin thêm"), {"fields": ("full_name", "phone", "must_change_password")}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "created_at")
    list_filter = ("role",)
    search_fields = (
        "user__username",
        "user__full_name",
        "organisation__code",
        "organisation__name",
    )
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "label", "is_device", "last_used_at", "revoked_at")
    list_filter = ("is_device",)
    search_fields = ("prefix", "user__username", "label")
    exclude = ("key_hash",)
    readonly_fields = ("prefix", "user", "membership", "issued_by", "is_device", "last_used_at")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False  # tokens are issued through the API or the services, shown once
