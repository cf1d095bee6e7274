from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import Campaign, CampaignWindow, Indicator, KeyDate, Plan, Task, TaskTarget, UnitRole

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "year",
            "theme",
            "message",
            "legal_basis_number",
            "legal_basis_date",
            "legal_basis_issuer",
            "legal_basis_title",
            "summary",
        ]
        widgets = {
            "legal_basis_date": DATE,
            "theme": forms.Textarea(attrs={"rows": 2}),
            "message": forms.Textarea(attrs={"rows": 2}),
            "legal_basis_title": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
        _bootstrap(self)


class WindowForm(forms.ModelForm):
    class Meta:
        model = CampaignWindow
        fields = ["kind", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Ngày kết thúc đợt phải sau hoặc trùng ngày bắt đầu."))
        return data


class KeyDateForm(forms.ModelForm):
    class Meta:
        model = KeyDate
        fields = ["kind", "name", "date", "note"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


WindowFormSet = forms.inlineformset_factory(
    Campaign, CampaignWindow, form=WindowForm, extra=1, can_delete=True
)
KeyDateFormSet = forms.inlineformset_factory(
    Campaign, KeyDate, form=KeyDateForm, extra=1, can_delete=True
)


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["campaign", "title", "number", "issued_on", "status", "summary"]
        widgets = {"issued_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["campaign"].disabled = True
        _bootstrap(self)


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "description", "category", "window", "deadline", "indicators", "order"]
        widgets = {
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.CheckboxSelectMultiple,
        }
        # The model field has no verbose name, so the form would say "Order" in English.
        labels = {"order": _("Thứ tự")}
        help_texts = {"order": _("Nhiệm vụ có số nhỏ hơn được xếp trước; để trống: xếp cuối.")}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = plan.campaign.windows.all()
        self.fields["indicators"].queryset = Indicator.objects.all()
        self.fields["order"].required = False
        _bootstrap(self)


class TargetForm(forms.Form):
    group = forms.ChoiceField(label=_("Nhóm đơn vị"), choices=TaskTarget.Group.choices)
    # A name picked from the suggestions (htmx fills the datalist from the actor's subtree);
    # the view turns it into a unit, and the service checks the unit lies in the subtree.
    organisation = forms.CharField(
        label=_("Đơn vị"),
        required=False,
        max_length=400,
        help_text=_(
            "Gõ vài chữ của tên đơn vị (có dấu hoặc không dấu) rồi chọn trong danh sách gợi ý: "
            "đơn vị cụ thể, hoặc đơn vị gốc của nhóm (để trống: đơn vị ban hành)."
        ),
        widget=forms.TextInput(
            attrs={
                "list": "unit-options",
                "autocomplete": "off",
                "placeholder": _("Ví dụ: hac thanh"),
                "hx-get": reverse_lazy("plans:unit_lookup"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#unit-options",
                "hx-swap": "innerHTML",
            }
        ),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=UnitRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CascadeForm(forms.Form):
    """One submit: the plan's header, the tasks to copy (title, deadline adaptable), the groups
    of the unit's own subtree that receive them."""

    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    groups = forms.MultipleChoiceField(
        label=_("Giao cho"),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (TaskTarget.Group.DEPARTMENTS_OF, _("Các sở, ban, ngành cấp tỉnh")),
            (TaskTarget.Group.COMMUNES_OF, _("UBND các xã, phường")),
            (TaskTarget.Group.PRESS_OF, _("Các cơ quan báo chí")),
        ],
    )

    def __init__(self, *args, parent_tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_tasks = list(parent_tasks)
        for t in self.parent_tasks:
            self.fields[f"t{t.pk}_include"] = forms.BooleanField(
                label=_("Giao nhiệm vụ này"), required=False, initial=True
            )
            self.fields[f"t{t.pk}_title"] = forms.CharField(
                label=_("Tên nhiệm vụ"), max_length=300, initial=t.title
            )
            self.fields[f"t{t.pk}_deadline"] = forms.DateField(
                label=_("Hạn báo cáo"), required=False, initial=t.deadline, widget=DATE
            )
        _bootstrap(self)

    def task_rows(self):
        return [
            (
                t,
                self[f"t{t.pk}_include"],
                self[f"t{t.pk}_title"],
                self[f"t{t.pk}_deadline"],
            )
            for t in self.parent_tasks
        ]

    def task_specs(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "parent_task": t,
                "title": d[f"t{t.pk}_title"],
                "deadline": d[f"t{t.pk}_deadline"],
            }
            for t in self.parent_tasks
            if d.get(f"t{t.pk}_include")
        ]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "definition", "part_of", "order"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}
        labels = {"order": _("Thứ tự")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["part_of"].queryset = Indicator.objects.exclude(pk=self.instance.pk)
        _bootstrap(self)
