from importlib import import_module

from django.core.management.base import BaseCommand

# Order matters: each capability's demo builds on the ones before it.
DEMO_APPS = ["orgs", "plans", "activities", "outreach", "reports"]


class Command(BaseCommand):
    help = "Load the demo data of every capability (idempotent), then print the demo logins."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            try:
                module = import_module(f"dxday.{app}.demo")
            except ModuleNotFoundError:
                continue
            module.seed(stdout=self.stdout)
        from dxday.orgs.demo import demo_account_lines

        self.stdout.write("Tài khoản dùng thử:")
        for line in demo_account_lines():
            self.stdout.write(f"  {line}")
