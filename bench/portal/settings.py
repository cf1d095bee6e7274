"""The app's settings with the bench's URLconf: the bare baseline views exist only here."""

from dxday.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal.urls"
