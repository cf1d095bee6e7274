from dxday.activities.tests.conftest import _media, loop  # noqa: F401 — shared fixtures
