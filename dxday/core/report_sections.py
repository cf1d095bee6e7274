"""The report-section contract: each capability contributes its own figures to the report.

The contract lives in `core` so that every capability can implement it without importing
`reports`, which sits at the top and only consumes the registry. A capability adds a module
`<app>/report_sections.py` that defines a `ReportSection` subclass decorated with `@register`.
`autodiscover()` imports that module of every installed dxday app, found through Django's app
registry by module name; the reports AppConfig calls it at start-up. Later capabilities
(learning, contest, awards) thus add their figures without touching `reports`, and no module
names a data source.

A section computes, for one `Scope` (organisation, campaign, optional period), its figures for
the whole subtree and per subordinate unit (the organisation's direct children, plus "self" for
what the organisation recorded itself). It must be set-based: one aggregate query per family of
figures, grouped by `scope.bucket()` — the first `len(org.path) + steplen` characters of the
row's organisation path — never a query per unit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import F, Q
from django.db.models.functions import Substr

SELF = "self"  # the by-unit key for rows recorded on the organisation itself

Number = int | float | None


@dataclass
class Figure:
    """One number of the report. `value` is the subtree total; `by_unit` the per-unit parts.

    `kind="count"`: the total is the sum of the parts (tests check this against raw data).
    `kind="percent"`: derived from counts, never summed, never typed in.
    `None` means "not reported", which is not zero.
    """

    code: str
    label: str
    unit: str
    value: Number
    by_unit: dict[str, Number] = field(default_factory=dict)
    kind: str = "count"


@dataclass
class FigureGroup:
    title: str
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Example:
    """An outstanding example (gương điển hình), taken from the data of a capability."""

    title: str
    organisation: str
    text: str = ""
    date: str = ""


@dataclass
class SectionResult:
    code: str
    title: str
    order: int
    groups: list[FigureGroup] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    note: str = ""

    def figures(self) -> list[Figure]:
        return [f for g in self.groups for f in g.figures]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (by hand: dataclasses.asdict deep-copies every figure's parts)."""
        return {
            "code": self.code,
            "title": self.title,
            "order": self.order,
            "note": self.note,
            "groups": [
                {"title": g.title, "figures": [dict(vars(f)) for f in g.figures]}
                for g in self.groups
            ],
            "examples": [dict(vars(e)) for e in self.examples],
        }


@dataclass(frozen=True)
class Unit:
    key: str  # str(organisation id) or SELF
    code: str
    name: str
    path: str


@dataclass
class Scope:
    """What a section computes for: an organisation's subtree in one campaign (and period)."""

    organisation: Any  # an organisation node (treebeard MP_Node: `path`, `steplen`)
    campaign: Any  # the campaign the figures are for
    period: tuple[datetime.date, datetime.date] | None
    units: list[Unit]

    @property
    def path(self) -> str:
        return self.organisation.path

    @property
    def bucket_length(self) -> int:
        return len(self.organisation.path) + self.organisation.steplen

    def subtree_q(self, field: str = "organisation") -> Q:
        return Q(**{f"{field}__path__startswith": self.path})

    def bucket(self, field: str = "organisation") -> Substr:
        """The direct child's path a row falls under (or the organisation's own path)."""
        return Substr(F(f"{field}__path"), 1, self.bucket_length)

    def key(self, bucket_path: str) -> str | None:
        if bucket_path == self.path:
            return SELF
        return self._keys.get(bucket_path)

    def __post_init__(self):
        self._keys = {u.path: u.key for u in self.units if u.key != SELF}

    def parts(self, rows, value: str, bucket: str = "bucket") -> dict[str, Number]:
        """{unit key: value} from aggregate rows (summing rows that share a unit)."""
        out: dict[str, Number] = {}
        for row in rows:
            k = self.key(row[bucket])
            v = row[value]
            if k is None or v is None:
                continue
            out[k] = (out.get(k) or 0) + v
        return out


def total(parts: dict[str, Number]) -> Number:
    """The sum of the parts, or None when no unit reported anything (missing is not zero)."""
    values = [v for v in parts.values() if v is not None]
    return sum(values) if values else None


def count_figure(code: str, label: str, unit: str, parts: dict[str, Number]) -> Figure:
    return Figure(code=code, label=label, unit=unit, value=total(parts), by_unit=parts)


def percent(numerator: Number, denominator: Number) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(100.0 * numerator / denominator, 1)


def percent_figure(code: str, label: str, num: Figure, den: Figure) -> Figure:
    keys = set(num.by_unit) | set(den.by_unit)
    return Figure(
        code=code,
        label=label,
        unit="%",
        value=percent(num.value or 0, den.value),
        by_unit={k: percent(num.by_unit.get(k) or 0, den.by_unit.get(k)) for k in keys},
        kind="percent",
    )


class ReportSection:
    """Subclass, set `code`, `title`, `order`, implement `compute`, decorate with `@register`."""

    code: str = ""
    title: str = ""
    order: int = 100

    def compute(self, scope: Scope) -> SectionResult:  # pragma: no cover - interface
        raise NotImplementedError

    def empty(self, note: str = "") -> SectionResult:
        return SectionResult(code=self.code, title=str(self.title), order=self.order, note=note)

    def result(self, groups: list[FigureGroup], **kwargs) -> SectionResult:
        groups = [g for g in groups if g.figures]
        return SectionResult(
            code=self.code, title=str(self.title), order=self.order, groups=groups, **kwargs
        )


_REGISTRY: dict[str, ReportSection] = {}


def register(cls: type[ReportSection]) -> type[ReportSection]:
    if not cls.code:
        raise ValueError("A report section needs a code.")
    _REGISTRY[cls.code] = cls()
    return cls


def registered_sections() -> list[ReportSection]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.code))


def autodiscover() -> None:
    """Import `<app>.report_sections` for every installed dxday app that has one (idempotent:
    a module is imported once, so its sections register once)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("dxday."):
            continue
        name = f"{config.name}.report_sections"
        try:
            import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
