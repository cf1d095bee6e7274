"""The audit trail as officials read it: each entry a Vietnamese sentence ("Sở KH&CN Thanh Hóa
đã duyệt báo cáo"), changed fields by their labels, choices by their labels, foreign keys by the
object's name, times as dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh; no codes, tree paths, ids or
Python lists.

Each app declares its sentences in `<app>/audit_text.py`, found through the app registry like
`nav.py`:

    ACTIONS = {"activities.activity.accepted": _("%(who)s đã duyệt báo cáo")}
    FIELDS = {"milestone": _("mốc"), "parent": AuditField(_("kế hoạch cấp trên"), "plans.Plan")}

ACTIONS maps a dotted action code to a sentence with `%(who)s`; FIELDS labels the keys of
`changes` that are no model field (or says which model a bare id points to, or its choices).
An action nobody declared still reads as a sentence, from its last word ("…created": "đã tạo").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEntry


@dataclass(frozen=True)
class AuditField:
    """How to show a key of `changes` that is not a model field."""

    label: str
    model: str | None = None  # "app_label.Model": the value is that model's pk
    choices: Any = None  # a TextChoices class or [(value, label)]
    hidden: bool = False


# Keys never shown: row identity and bookkeeping, tree internals, derived keys.
HIDDEN = {"id", "created_at", "updated_at", "path", "depth", "numchild", "search_key", "run"}

# Keys many apps use that are not model fields.
COMMON_FIELDS = {
    "reason": AuditField(gettext_lazy("lý do")),
    "count": AuditField(gettext_lazy("số lượng")),
    "version": AuditField(gettext_lazy("phiên bản")),
}

# The fallback: the sentence for the last word of an action code nobody declared.
VERBS = {
    "created": gettext_lazy("%(who)s đã tạo %(what)s"),
    "added": gettext_lazy("%(who)s đã thêm %(what)s"),
    "updated": gettext_lazy("%(who)s đã sửa %(what)s"),
    "edited": gettext_lazy("%(who)s đã sửa %(what)s"),
    "deleted": gettext_lazy("%(who)s đã xóa %(what)s"),
    "removed": gettext_lazy("%(who)s đã xóa %(what)s"),
    "submitted": gettext_lazy("%(who)s đã gửi %(what)s"),
    "accepted": gettext_lazy("%(who)s đã duyệt %(what)s"),
    "approved": gettext_lazy("%(who)s đã duyệt %(what)s"),
    "returned": gettext_lazy("%(who)s đã trả lại %(what)s"),
    "rejected": gettext_lazy("%(who)s đã từ chối %(what)s"),
    "published": gettext_lazy("%(who)s đã công khai %(what)s"),
    "revoked": gettext_lazy("%(who)s đã thu hồi %(what)s"),
}


@dataclass
class AuditLine:
    sentence: str
    when: datetime.datetime
    person: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)

    @property
    def has_before(self) -> bool:
        """Whether any row had a value before (a creation shows one column of values)."""
        return any(old not in ("", "—") for _label, old, _new in self.rows)


@cache
def registry() -> tuple[dict[str, str], dict[str, AuditField]]:
    actions: dict[str, str] = {}
    fields: dict[str, AuditField] = dict(COMMON_FIELDS)
    for config in apps.get_app_configs():
        if not config.name.startswith("dxday."):
            continue
        name = f"{config.name}.audit_text"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        actions.update(getattr(module, "ACTIONS", {}))
        for key, spec in getattr(module, "FIELDS", {}).items():
            fields[key] = spec if isinstance(spec, AuditField) else AuditField(spec)
    return actions, fields


def sentence(action: str, who: str, what: str = "") -> str:
    actions, _fields = registry()
    template = actions.get(action)
    if template is None:
        verb = action.rsplit(".", 1)[-1]
        template = VERBS.get(verb, gettext_lazy("%(who)s đã thay đổi %(what)s"))
    return str(template) % {"who": who, "what": what}


def describe(
    entries: Iterable[AuditEntry],
    organisation_names: Callable[[set[int]], dict[int, str]] | None = None,
) -> list[AuditLine]:
    """Audit entries as lines a person reads. Queries: one per model that changed foreign
    keys point to, plus one for the acting organisations' names (`organisation_names`)."""
    entries = list(entries)
    _actions, extra = registry()
    # First pass: which field each key is, and which related rows must be named.
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    plans: list[list[tuple[str, Any, Any, Any, bool]]] = []
    for entry in entries:
        model = _model_of(entry)
        by_attname = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        rows = []
        for key, values in (entry.changes or {}).items():
            if key in HIDDEN or key.endswith("_sort"):
                continue
            spec = extra.get(key)
            if spec is not None and spec.hidden:
                continue
            pair = isinstance(values, list) and len(values) == 2
            old, new = (values[0], values[1]) if pair else (None, values)
            target = by_attname.get(key) or spec
            related = _related_model(target)
            if related is not None:
                wanted[related].update(v for v in (old, new) if v is not None)
            rows.append((key, target, old, new, pair))
        plans.append(rows)
    names = {}
    for model, pks in wanted.items():
        found = model._default_manager.in_bulk(_valid_pks(model, pks))
        names[model] = {pk: str(obj) for pk, obj in found.items()}
    org_ids = {e.acting_organisation_id for e in entries if e.acting_organisation_id}
    org_names = organisation_names(org_ids) if organisation_names and org_ids else {}
    lines = []
    for entry, rows in zip(entries, plans, strict=True):
        person = str(entry.user) if entry.user_id else ""
        who = org_names.get(entry.acting_organisation_id) or person or _("Hệ thống")
        model = _model_of(entry)
        what = str(model._meta.verbose_name) if model else ""
        line = AuditLine(
            sentence=sentence(entry.action, who, what),
            when=entry.created_at,
            person=person if person != who else "",
        )
        for key, target, old, new, pair in rows:
            label = _label(key, target)
            shown_new = _value(new, target, names)
            shown_old = _value(old, target, names) if pair else ""
            if pair and shown_old == shown_new:
                continue
            line.rows.append((label, shown_old, shown_new))
        lines.append(line)
    return lines


def _model_of(entry: AuditEntry) -> type[models.Model] | None:
    # The content-type cache answers without a query after the first lookup.
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


def _related_model(target) -> type[models.Model] | None:
    if isinstance(target, models.ForeignKey):
        return target.related_model
    if isinstance(target, AuditField) and target.model:
        return apps.get_model(target.model)
    return None


def _valid_pks(model: type[models.Model], pks: set[Any]) -> list[Any]:
    """Only values the primary key accepts (an old entry may hold anything)."""
    out = []
    for pk in pks:
        try:
            out.append(model._meta.pk.to_python(pk))
        except (ValidationError, TypeError, ValueError):  # a malformed old value: not named
            continue
    return out


def _label(key: str, target) -> str:
    if isinstance(target, models.Field):
        label = str(target.verbose_name)
        if target.is_relation and label == target.name.replace("_", " "):
            # A foreign key left without a Vietnamese name: the related model's name.
            return str(target.related_model._meta.verbose_name)
        return label
    if isinstance(target, AuditField):
        return str(target.label)
    return key.replace("_", " ")


def _value(value: Any, target, names: dict) -> str:
    if value is None or value == "":
        return "—"
    related = _related_model(target)
    if related is not None:
        return names.get(related, {}).get(_pk(related, value), _("(đã xóa)"))
    choices = None
    if isinstance(target, models.Field) and target.choices:
        choices = target.flatchoices
    elif isinstance(target, AuditField) and target.choices is not None:
        choices = getattr(target.choices, "choices", target.choices)
    if choices:
        labels = {str(k): v for k, v in choices}
        if isinstance(value, list):
            return ", ".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(target, models.DateTimeField) or _looks_like_datetime(value):
        return _datetime(value)
    if isinstance(target, models.DateField) or _looks_like_date(value):
        return _date(value)
    if isinstance(value, float):
        return formats.number_format(value)
    if isinstance(value, int):
        return str(value)  # ungrouped, like every number that is no figure (a year, a count)
    if isinstance(value, list):
        return ", ".join(_value(v, None, names) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v, None, names)}" for k, v in value.items())
    return str(value)


def _pk(model, value):
    try:
        return model._meta.pk.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value


def _looks_like_datetime(value) -> bool:
    return isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T"


def _looks_like_date(value) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"


def _datetime(value) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _date(value) -> str:
    try:
        day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    return day.strftime("%d/%m/%Y")
