import pytest
from django.core.cache import cache

from dxday.activities.tests.conftest import _media, loop  # noqa: F401 — shared fixtures
from dxday.reports.tests.conftest import world  # noqa: F401 — sessions in three communes


@pytest.fixture(autouse=True)
def _empty_cache():
    """The open-data XLSX enqueues its build once per file (a lock in the cache): start each
    test with no lock left by another test's file."""
    cache.clear()
    yield
    cache.clear()
