from django.db import migrations


def seed_topics(apps, schema_editor):
    from dxday.outreach.topics import TOPICS

    Topic = apps.get_model("outreach", "Topic")
    for order, (code, name, outcome_label, activation) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "outcome_label": outcome_label,
                "counts_as_activation": activation,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(seed_topics, migrations.RunPython.noop)]
