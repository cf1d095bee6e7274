"""Administrative areas and the local committees built from them (`dxday load-areas`,
`dxday create-local-orgs`).

Both are idempotent and bulk: the areas are upserted in two statements, and the 3,355 local
committees are inserted with their treebeard paths computed here (a parent's next child path is
its last child's path + 1), so the first run is a handful of INSERTs instead of 3,355 calls to
`add_child`, and the second run only reads. Like `organisation_create`, the parents are locked
(`Organisation.objects.lock`) before their next child paths are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from dxday.core.audit import audit_bulk
from dxday.core.text import nfc, search_key, sort_text

from .models import Commune, DivisionType, Organisation, Province
from .signals import organisations_created

NATIONAL_CODE = "bo-khcn"
NATIONAL_NAME = "Bộ Khoa học và Công nghệ"

_DIVISION_TYPES = {
    "TINH": DivisionType.TINH,
    "THANH_PHO_TRUNG_UONG": DivisionType.THANH_PHO_TRUNG_UONG,
    "XA": DivisionType.XA,
    "PHUONG": DivisionType.PHUONG,
    "DAC_KHU": DivisionType.DAC_KHU,
}


def province_code(value) -> str:
    return f"{int(value):02d}"


def commune_code(value) -> str:
    return f"{int(value):05d}"


def package_provinces() -> list[dict]:
    """The provinces as the `vietnam-provinces` package carries them."""
    from vietnam_provinces import Province as VNProvince

    return [
        {
            "code": province_code(p.code),
            "name": nfc(p.name),
            "division_type": _DIVISION_TYPES[p.division_type.name],
            "codename": p.codename,
        }
        for p in VNProvince.iter_all()
    ]


def package_communes() -> list[dict]:
    """The commune-level units (xã, phường, đặc khu) of the package."""
    from vietnam_provinces import Ward

    return [
        {
            "code": commune_code(w.code),
            "name": nfc(w.name),
            "division_type": _DIVISION_TYPES[w.division_type.name],
            "codename": w.codename,
            "province_id": province_code(w.province_code),
        }
        for w in Ward.iter_all()
    ]


@dataclass
class AreasResult:
    provinces_created: int = 0
    provinces_updated: int = 0
    communes_created: int = 0
    communes_updated: int = 0


def _sync(model, rows: list[dict], fields: list[str]) -> tuple[int, int]:
    """Insert missing rows and update changed ones; untouched rows cost nothing."""
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        row = {**row, "search_key": search_key(row["name"]), "name_sort": sort_text(row["name"])}
        obj = existing.get(row["code"])
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    model.objects.bulk_update(to_update, fields, batch_size=500)
    return len(to_create), len(to_update)


@transaction.atomic
def areas_load() -> AreasResult:
    """Load (or refresh) the 34 provinces and 3,321 communes from `vietnam-provinces`."""
    result = AreasResult()
    result.provinces_created, result.provinces_updated = _sync(
        Province,
        package_provinces(),
        ["name", "division_type", "codename", "search_key", "name_sort"],
    )
    result.communes_created, result.communes_updated = _sync(
        Commune,
        package_communes(),
        ["name", "division_type", "codename", "province_id", "search_key", "name_sort"],
    )
    return result


def province_org_name(province: Province) -> str:
    """ "UBND tỉnh Thanh Hóa", "UBND thành phố Hà Nội" (the package writes "Thành phố Hà Nội")."""
    if province.division_type == DivisionType.THANH_PHO_TRUNG_UONG:
        return "UBND " + _lower_first_word(province.name)
    return f"UBND tỉnh {province.name}"


def commune_org_name(commune: Commune) -> str:
    """ "UBND phường Hạc Thành", "UBND xã Quảng Phú", "UBND đặc khu Côn Đảo"."""
    return "UBND " + _lower_first_word(commune.name)


def _lower_first_word(name: str) -> str:
    first, _, rest = nfc(name).partition(" ")
    if first.lower() == "đặc" and rest.lower().startswith("khu "):
        return "đặc khu " + rest[4:]
    return f"{first.lower()} {rest}".strip()


class _ChildPaths:
    """Hands out the next treebeard child paths under a parent, as `add_child` would."""

    def __init__(self, parent: Organisation):
        self.parent = Organisation.objects.lock(parent.pk)
        parent = self.parent
        last = (
            Organisation.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        self.next_step = Organisation._str2int(last[-Organisation.steplen :]) + 1 if last else 1
        self.added = 0

    def take(self) -> tuple[str, int]:
        path = Organisation._get_path(self.parent.path, self.parent.depth + 1, self.next_step)
        self.next_step += 1
        self.added += 1
        return path, self.parent.depth + 1


def _new_org(paths: _ChildPaths, **data) -> Organisation:
    path, depth = paths.take()
    org = Organisation(path=path, depth=depth, numchild=0, **data)
    org.fill_name_keys()
    return org


@dataclass
class LocalOrgsResult:
    created: list[Organisation] = field(default_factory=list)
    national_created: bool = False


@transaction.atomic
def local_orgs_create(*, by=None) -> LocalOrgsResult:
    """The national root (if missing), the 34 provincial and 3,321 commune People's Committees.

    Idempotent: units are matched by `code`, so a second run inserts nothing. Needs the areas
    (`areas_load`). Sends `organisations_created` once with every unit it added.
    """
    result = LocalOrgsResult()
    national = Organisation.objects.filter(code=NATIONAL_CODE).first()
    if national is None:
        national = Organisation.objects.add_root(
            create_kwargs={
                "code": NATIONAL_CODE,
                "name": NATIONAL_NAME,
                "short_name": "Bộ KH&CN",
                "kind": Organisation.Kind.NATIONAL,
            }
        )
        result.national_created = True
        result.created.append(national)

    existing = dict(
        Organisation.objects.filter(code__startswith="tinh-").values_list("code", "pk")
    ) | dict(Organisation.objects.filter(code__startswith="xa-").values_list("code", "pk"))

    provinces = list(Province.objects.order_by("code"))
    new_provinces = []
    national_paths = _ChildPaths(national)
    for province in provinces:
        code = f"tinh-{province.code}"
        if code in existing:
            continue
        new_provinces.append(
            _new_org(
                national_paths,
                code=code,
                name=province_org_name(province),
                kind=Organisation.Kind.PROVINCE,
                province=province,
            )
        )
    Organisation.objects.bulk_create(new_provinces, batch_size=500)
    if national_paths.added:
        Organisation.objects.filter(pk=national.pk).update(
            numchild=F("numchild") + national_paths.added
        )

    province_orgs = {
        o.province_id: o
        for o in Organisation.objects.filter(code__in=[f"tinh-{p.code}" for p in provinces]).only(
            "pk", "path", "depth", "province_id", "code"
        )
    }
    new_communes = []
    paths_by_parent: dict[int, _ChildPaths] = {}
    for commune in Commune.objects.order_by("province_id", "code"):
        code = f"xa-{commune.code}"
        parent = province_orgs.get(commune.province_id)
        if code in existing or parent is None:
            continue
        if parent.pk not in paths_by_parent:
            paths_by_parent[parent.pk] = _ChildPaths(parent)
        new_communes.append(
            _new_org(
                paths_by_parent[parent.pk],
                code=code,
                name=commune_org_name(commune),
                kind=Organisation.Kind.COMMUNE,
                province_id=commune.province_id,
                commune=commune,
            )
        )
    Organisation.objects.bulk_create(new_communes, batch_size=500)
    for parent_pk, paths in paths_by_parent.items():
        Organisation.objects.filter(pk=parent_pk).update(numchild=F("numchild") + paths.added)

    bulk = new_provinces + new_communes
    if bulk and bulk[0].pk is None:  # a backend without RETURNING: read the ids back
        ids = dict(
            Organisation.objects.filter(code__in=[o.code for o in bulk]).values_list("code", "pk")
        )
        for org in bulk:
            org.pk = ids[org.code]
    result.created.extend(bulk)
    _audit_bulk_created(result.created, by=by)
    if result.created:
        created = list(result.created)
        transaction.on_commit(
            lambda: organisations_created.send(sender=Organisation, organisations=created)
        )
    return result


def _audit_bulk_created(orgs: list[Organisation], *, by) -> None:
    """One audit entry per unit, written in bulk (the same entry `audit_created` would write)."""
    fields = ("code", "name", "kind", "path", "province_id", "commune_id")
    audit_bulk(
        Organisation,
        "orgs.organisation.created",
        [
            (o.pk, o, {k: [None, getattr(o, k)] for k in fields if getattr(o, k) not in (None, "")})
            for o in orgs
        ],
        by=by,
    )
