from django.db import migrations


def seed_topics(apps, schema_editor):
    from dxday.outreach.topics import topics_ensure

    topics_ensure(apps.get_model("outreach", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(seed_topics, migrations.RunPython.noop)]
