"""A stored Vietnamese sort key (core.text.sort_text) on provinces, communes and units, filled
for the rows that exist; lists of names order by it."""

from django.db import migrations, models

from dxday.core.text import sort_text


def fill_name_sort(apps, schema_editor):
    for name in ("Province", "Commune", "Organisation"):
        model = apps.get_model("orgs", name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.name_sort = sort_text(row.name)
        model.objects.bulk_update(rows, ["name_sort"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_user_must_change_password")]

    operations = [
        migrations.AddField(
            model_name="province",
            name="name_sort",
            field=models.CharField(db_index=True, default="", editable=False, max_length=301),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="commune",
            name="name_sort",
            field=models.CharField(db_index=True, default="", editable=False, max_length=301),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="organisation",
            name="name_sort",
            field=models.CharField(db_index=True, default="", editable=False, max_length=766),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop),
    ]
