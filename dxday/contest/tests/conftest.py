import pytest

from dxday.contest.services.draw import _banks, _quotas

from .factories import make_bank, make_contest, make_participant, make_round


@pytest.fixture(autouse=True)
def _fresh_bank_cache():
    _banks.clear()
    _quotas.clear()
    yield
    _banks.clear()
    _quotas.clear()


@pytest.fixture
def world(tree):
    contest = make_contest(tree.tq)
    bank = make_bank(contest)
    rnd = make_round(contest)

    class World:
        pass

    w = World()
    w.__dict__.update(
        tree=tree, contest=contest, bank=bank, round=rnd,
        alice=make_participant(contest, tree.tq_c1.commune, name="Nguyễn Thị Minh Anh"),
        bob=make_participant(contest, tree.tq_c1.commune, organisation=tree.tq_c1),
    )  # fmt: skip
    return w
