from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "dxday.plans"
    label = "plans"
    verbose_name = "Kế hoạch và nhiệm vụ"

    def ready(self):
        from dxday.orgs.signals import organisations_created

        from .services import on_organisations_created

        organisations_created.connect(
            on_organisations_created, dispatch_uid="plans.assignments_extend_to"
        )

        from .signals import notifications_committed
        from .tasks import notifications_email

        notifications_committed.connect(
            lambda **kwargs: notifications_email.enqueue(),
            dispatch_uid="plans.notifications_email",
            weak=False,
        )
