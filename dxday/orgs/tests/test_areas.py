"""load-areas and create-local-orgs: counts, codes, package parity, idempotency, tree shape."""

import io

import pytest
from django.core.management import call_command
from vietnam_provinces import Ward

from dxday.core.models import AuditEntry
from dxday.orgs.areas import areas_load, local_orgs_create
from dxday.orgs.models import Commune, Organisation, Province
from dxday.orgs.signals import organisations_created

pytestmark = pytest.mark.django_db


def tree_problems() -> list[str]:
    """What treebeard's find_problems checks, in two queries instead of one per node."""
    step = Organisation.steplen
    rows = list(Organisation.objects.values_list("path", "depth", "numchild"))
    paths = {path for path, _, _ in rows}
    children: dict[str, int] = {}
    problems = []
    for path, depth, _ in rows:
        if len(path) != depth * step:
            problems.append(f"bad depth {path}")
        if depth > 1:
            parent = path[:-step]
            if parent not in paths:
                problems.append(f"orphan {path}")
            children[parent] = children.get(parent, 0) + 1
    problems += [f"numchild {p}" for p, _, n in rows if children.get(p, 0) != n]
    return problems


def test_load_areas_counts_and_codes():
    call_command("load_areas", stdout=io.StringIO())
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    th = Province.objects.get(code="38")
    assert th.name == "Thanh Hóa" and th.division_type == "tinh"
    assert Province.objects.get(code="01").division_type == "thanh_pho_trung_uong"
    assert Province.objects.get(code="08").name == "Tuyên Quang"
    assert set(Commune.objects.values_list("division_type", flat=True)) == {
        "xa", "phuong", "dac_khu",
    }  # fmt: skip
    assert all(len(c) == 5 for c in Commune.objects.values_list("code", flat=True))
    assert Province.objects.get(code="66").search_key == "dak lak"


def test_thanh_hoa_communes_match_the_package():
    areas_load()
    expected = {
        (f"{int(w.code):05d}", w.name) for w in Ward.iter_all() if int(w.province_code) == 38
    }
    stored = set(Commune.objects.filter(province_id="38").values_list("code", "name"))
    assert stored == expected
    assert len(stored) == 166


def test_load_areas_is_idempotent_and_repairs():
    first = areas_load()
    assert (first.provinces_created, first.communes_created) == (34, 3321)
    Commune.objects.filter(code="14797").update(name="sai tên")
    second = areas_load()
    assert (second.provinces_created, second.communes_created) == (0, 0)
    assert second.communes_updated == 1
    assert Commune.objects.get(code="14797").name == "Phường Hạc Thành"
    third = areas_load()
    assert (third.provinces_updated, third.communes_updated) == (0, 0)
    assert Commune.objects.count() == 3321


def test_create_local_orgs_builds_a_valid_tree_once(django_capture_on_commit_callbacks):
    areas_load()
    received = []

    def listener(sender, organisations, **kwargs):
        received.append(len(organisations))

    organisations_created.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = local_orgs_create()
        with django_capture_on_commit_callbacks(execute=True):
            again = local_orgs_create()
    finally:
        organisations_created.disconnect(listener)
    assert len(result.created) == 1 + 34 + 3321
    assert again.created == []
    assert received == [3356]  # the second run adds nothing and says nothing
    assert Organisation.objects.count() == 3356
    assert tree_problems() == []

    root = Organisation.objects.get(code="bo-khcn")
    assert root.kind == "national" and root.depth == 1 and root.numchild == 34
    th = Organisation.objects.get(code="tinh-38")
    assert th.name == "UBND tỉnh Thanh Hóa" and th.kind == "province"
    assert Organisation.objects.get_parent(th) == root
    assert Organisation.objects.get(code="tinh-01").name == "UBND thành phố Hà Nội"
    assert th.numchild == 166 == Organisation.objects.get_children_count(th)
    hac_thanh = Organisation.objects.get(code="xa-14797")
    assert hac_thanh.name == "UBND phường Hạc Thành"
    assert hac_thanh.kind == "commune" and hac_thanh.province_id == "38"
    assert hac_thanh.is_within(th) and not hac_thanh.is_within(
        Organisation.objects.get(code="tinh-08")
    )
    assert hac_thanh.search_key == "ubnd phuong hac thanh xa-14797"
    assert Organisation.objects.filter(name__startswith="UBND đặc khu").count() == 13
    assert AuditEntry.objects.filter(action="orgs.organisation.created").count() == 3356


def test_create_local_orgs_keeps_existing_units_and_fills_gaps(tree):
    """Units made elsewhere (the fixture's Thanh Hóa) keep their place; children go under them."""
    areas_load()
    local_orgs_create()
    th = Organisation.objects.get(code="tinh-38")
    assert th.pk == tree.th.pk
    assert Organisation.objects.filter(code="tinh-38").count() == 1
    assert Organisation.objects.get(code="xa-14797").is_within(th)
    assert tree_problems() == []
    # add_child still works after the bulk insert (paths continue from the last child)
    from dxday.orgs.tests.factories import make_org

    extra = make_org(th, code="th-them")
    assert extra.path.startswith(th.path) and extra.depth == th.depth + 1


def test_create_local_orgs_command_needs_areas():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_local_orgs")


def test_import_commands_dry_run_then_save(tree, tmp_path):
    from django.core.management.base import CommandError

    good = tmp_path / "don-vi.csv"
    good.write_text(
        "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên\n"
        "tq-so-y-te,Sở Y tế Tuyên Quang,department,tinh-08\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_orgs", str(good), stdout=out)
    assert "--save" in out.getvalue()
    assert not Organisation.objects.filter(code="tq-so-y-te").exists()
    call_command("import_orgs", str(good), "--save", stdout=out)
    assert Organisation.objects.get(code="tq-so-y-te").is_within(tree.tq)
    bad = tmp_path / "tai-khoan.csv"
    bad.write_text(
        "Tên đăng nhập,Họ và tên,Mã đơn vị,Vai trò\nok.user,Ông A,tinh-08,viewer\n"
        "bad user,Bà B,tinh-08,sếp\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_users", str(bad), "--save", stdout=out, stderr=err)
    assert "Dòng 3" in err.getvalue()
    from dxday.orgs.models import User

    assert not User.objects.filter(username="ok.user").exists()
