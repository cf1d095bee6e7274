"""Children added at once under one node get distinct tree paths (issue 9 §4).

A new child's path comes from the parent's numchild and its last child. treebeard's
`add_child` (7.x) locks the parent row itself and `organisation_create` locks it again
(`Organisation.objects.lock`) so the guarantee does not rest on treebeard internals; the bulk
loader `local_orgs_create` computes paths without `add_child`, and took no lock at all, so a
unit added while it ran took the same path as one of its provinces.

Each thread holds its computed paths until the other has computed its own (or 1 s passes):
without a lock both compute the same path and one fails on the unique path. On PostgreSQL the
second thread waits on the row lock; on SQLite on the IMMEDIATE write lock, which needs a
database file (the in-memory test database is shared-cache and answers "table is locked"
instead of waiting), so there the tests re-run themselves on a file.
"""

import contextlib
import threading

import pytest
from django.db import connections

from dxday.core.tests.servers import in_memory_sqlite, rerun_on_sqlite_file
from dxday.orgs import services
from dxday.orgs.areas import NATIONAL_CODE, local_orgs_create
from dxday.orgs.models import Organisation
from dxday.orgs.tests.factories import actor_of, make_member, make_org, make_province
from dxday.orgs.tests.test_areas import tree_problems

pytestmark = pytest.mark.django_db(transaction=True)

K = Organisation.Kind


@pytest.fixture
def on_a_file(tmp_path):
    """On the in-memory SQLite test database, run this module again on a database file."""
    if not in_memory_sqlite():
        yield False
        return
    if not hasattr(on_a_file, "result"):
        on_a_file.result = rerun_on_sqlite_file(__file__, tmp_path / "concurrent.sqlite3")
    yield True
    result = on_a_file.result
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout


class HoldBeforeInsert:
    """Makes the two threads meet after both computed their paths, before either inserts."""

    def __init__(self, monkeypatch, names: set[str]):
        self.barrier = threading.Barrier(2, timeout=1)
        self.names = names
        real_save = Organisation.save
        real_bulk_create = type(Organisation.objects).bulk_create

        def save(obj, *args, **kwargs):
            if obj.pk is None and obj.name in self.names:
                self.meet()
            return real_save(obj, *args, **kwargs)

        def bulk_create(manager, objs, *args, **kwargs):
            objs = list(objs)
            if any(o.name in self.names for o in objs):
                self.meet()
            return real_bulk_create(manager, objs, *args, **kwargs)

        monkeypatch.setattr(Organisation, "save", save)
        monkeypatch.setattr(type(Organisation.objects), "bulk_create", bulk_create)

    def meet(self):
        # A broken barrier: the other thread waits for our lock, so go on.
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait()


def _run_at_once(*jobs) -> list[Exception]:
    errors = []

    def run(job):
        try:
            job()
        except Exception as exc:  # noqa: BLE001 — reported by the caller's assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def _child_paths(parent: Organisation) -> list[str]:
    return list(
        Organisation.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1
        ).values_list("path", flat=True)
    )


def test_two_children_added_at_once_get_distinct_paths(monkeypatch, on_a_file):
    if on_a_file:
        return
    root = make_org(None, kind=K.NATIONAL, code="goc-song-song", name="Gốc")
    # A leaf parent (the first path comes from the parent) and a parent that has a child
    # already (the path follows the last child's).
    for n, existing in enumerate((0, 1)):
        parent = make_org(root, kind=K.PROVINCE, code=f"tinh-{n}", name="Tỉnh")
        for i in range(existing):
            make_org(parent, code=f"so-co-san-{n}-{i}", name="Sở Có Sẵn")
        coordinator = actor_of(make_member(parent, "coordinator", f"dieuphoi_{n}"))
        HoldBeforeInsert(monkeypatch, {"Sở Song Song A", "Sở Song Song B"})

        def add(code, name, parent=parent, coordinator=coordinator):
            return lambda: services.organisation_create(
                by=coordinator, parent=parent, code=code, name=name, kind=K.DEPARTMENT
            )

        errors = _run_at_once(
            add(f"song-song-a{n}", "Sở Song Song A"), add(f"song-song-b{n}", "Sở Song Song B")
        )
        assert errors == []
        paths = _child_paths(parent)
        assert len(paths) == 2 + existing == len(set(paths))
        parent.refresh_from_db()
        assert parent.numchild == 2 + existing
    assert tree_problems() == []


def test_a_unit_added_while_the_local_committees_load_gets_its_own_path(monkeypatch, on_a_file):
    """Fails without the lock in `local_orgs_create`: it read the national node's last child
    unlocked, so its first province and the unit added at once took the same path."""
    if on_a_file:
        return
    national = make_org(None, kind=K.NATIONAL, code=NATIONAL_CODE, name="Bộ Khoa học và Công nghệ")
    make_org(national, kind=K.MINISTRY, code="bo-co-san", name="Bộ Có Sẵn")
    make_province("38", "Thanh Hóa")
    make_province("08", "Tuyên Quang")
    coordinator = actor_of(make_member(national, "coordinator", "dieuphoi_qg"))
    HoldBeforeInsert(monkeypatch, {"UBND tỉnh Thanh Hóa", "Bộ Song Song"})
    errors = _run_at_once(
        local_orgs_create,
        lambda: services.organisation_create(
            by=coordinator, parent=national, code="bo-song-song", name="Bộ Song Song",
            kind=K.MINISTRY,
        ),
    )  # fmt: skip
    assert errors == []
    paths = _child_paths(national)
    assert len(paths) == 4 == len(set(paths))
    national.refresh_from_db()
    assert national.numchild == 4
    assert tree_problems() == []
