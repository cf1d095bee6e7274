"""Background work of reports: generating a document. Takes primary keys, calls a service."""

from django.dispatch import receiver
from django_tasks import task

from . import services
from .models import ReportJob
from .signals import report_job_queued


@task()
def report_job_task(job_id: int) -> str:
    job = services.report_job_run(job_id=job_id)
    return job.status


@receiver(report_job_queued, sender=ReportJob, dispatch_uid="reports.report_job_task")
def _enqueue_report_job(sender, job_id: int, **kwargs) -> None:
    report_job_task.enqueue(job_id)
