from django.db import migrations


def load(apps, schema_editor):
    from dxday.plans.catalogue import catalogue_load

    catalogue_load(apps.get_model("plans", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_reminder_notification")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
