"""Background work of reports: generating a document. Takes primary keys, calls a service."""

from django_tasks import task


@task()
def report_job_task(job_id: int) -> str:
    from .services import report_job_run

    job = report_job_run(job_id=job_id)
    return job.status
