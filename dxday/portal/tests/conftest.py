from dxday.activities.tests.conftest import _media, loop  # noqa: F401 — shared fixtures
from dxday.reports.tests.conftest import world  # noqa: F401 — sessions in three communes
