"""E-mail backends that fail like a mail server does, for the reminder delivery tests."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FailingBackend(EmailBackend):
    """locmem, except that the first `failures` calls are refused with an SMTP error. Each call
    records which units' reminders already counted as e-mailed at that moment."""

    failures = 1
    calls: list[list[str]] = []

    @classmethod
    def reset(cls, failures: int = 1) -> None:
        cls.failures = failures
        cls.calls = []

    def send_messages(self, messages):
        from dxday.plans.models import Reminder

        type(self).calls.append(
            sorted(
                Reminder.objects.filter(sent_at__isnull=False).values_list(
                    "assignment__organisation__code", flat=True
                )
            )
        )
        if len(type(self).calls) <= type(self).failures:
            raise smtplib.SMTPException("451 4.3.0 Mail server temporarily rejected message")
        return super().send_messages(messages)
