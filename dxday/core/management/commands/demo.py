from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


def demo_modules() -> list:
    """The `demo` module of every installed dxday app that has one, in INSTALLED_APPS order
    (which runs bottom up, so each capability's demo builds on the ones before it)."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dxday."):
            continue
        name = f"{config.name}.demo"
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


class Command(BaseCommand):
    help = "Load the demo data of every capability (idempotent), then print the demo logins."

    def handle(self, *args, **options):
        modules = demo_modules()
        for module in modules:
            module.seed(stdout=self.stdout)
        # An app whose demo creates logins lists them with `demo_account_lines()`.
        lines = [
            line
            for module in modules
            if hasattr(module, "demo_account_lines")
            for line in module.demo_account_lines()
        ]
        self.stdout.write("Tài khoản dùng thử:")
        for line in lines:
            self.stdout.write(f"  {line}")
