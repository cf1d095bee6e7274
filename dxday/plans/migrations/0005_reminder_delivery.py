"""Reminders record e-mail delivery apart from creation.

The old `sent_at` was set when the row was created, before any e-mail went out: it becomes
`created_at`. The new `sent_at` is set when the e-mail is delivered. Rows that existed before
were handed to the mail server at the time, so they count as delivered (no e-mail is re-sent).
"""

from django.db import migrations, models
from django.db.models import F


def existing_rows_were_delivered(apps, schema_editor):
    Reminder = apps.get_model("plans", "Reminder")
    Reminder.objects.filter(sent_at__isnull=True).update(sent_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_reminder_run"),
    ]

    operations = [
        migrations.RenameField(model_name="reminder", old_name="sent_at", new_name="created_at"),
        migrations.AlterField(
            model_name="reminder",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="gửi thư lúc"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="số lần gửi thư"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="last_attempt_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="lần gửi thư gần nhất"
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="last_error",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="lỗi gửi thư gần nhất"
            ),
        ),
        migrations.RunPython(existing_rows_were_delivered, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                condition=models.Q(("sent_at__isnull", True)),
                fields=["attempts"],
                name="reminder_undelivered",
            ),
        ),
    ]
