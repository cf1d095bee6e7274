"""The dxday WSGI app plus one bare JSON view (/bench/bare/), for bench.learning's L3."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.learning_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
