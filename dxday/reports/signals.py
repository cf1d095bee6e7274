"""What reports announces after one of its services has finished."""

from django.dispatch import Signal

# Sent on commit by `services.report_job_create` with `job_id`: the job's row exists and is
# queued. `tasks` receives it and hands the job to the worker, so services never import tasks.
report_job_queued = Signal()
