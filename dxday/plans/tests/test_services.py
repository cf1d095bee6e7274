import datetime

import pytest
import time_machine
from django.core import mail

from dxday.core.errors import DomainError, NotFound
from dxday.orgs.models import Organisation
from dxday.orgs.signals import organisations_created
from dxday.orgs.tests.factories import make_commune, make_org
from dxday.plans import selectors, services
from dxday.plans.catalogue import parts_violations
from dxday.plans.models import Assignment, Indicator, Notification, Plan, Reminder, TaskTarget

from .factories import make_campaign, make_national_plan

G = TaskTarget.Group
S = Assignment.Status
TZ = "Asia/Ho_Chi_Minh"


def _cascade(tree, people, plan, **kw):
    return services.plan_cascade(
        parent_plan=plan,
        organisation=tree.th,
        by=people.actor(people.th_coordinator),
        groups=[
            {"group": G.DEPARTMENTS_OF, "role": "lead"},
            {"group": G.COMMUNES_OF, "role": "lead"},
            {"group": G.PRESS_OF, "role": "cooperate"},
        ],
        **kw,
    )


def test_group_expansion_and_lead_wins(tree):
    plan, task = make_national_plan(tree)
    got = {a.organisation.code: a.role for a in task.assignments.select_related("organisation")}
    assert got == {"tinh-38": "lead", "tinh-08": "lead", "bo-tai-chinh": "cooperate"}
    # The ministry is also targeted as lead: lead wins, and re-running creates nothing new.
    services.task_target_add(task=task, by=None, group=G.MINISTRIES, role="lead")
    assert services.task_assign(task=task, by=None) == 0
    assert task.assignments.get(organisation=tree.ministry).role == "lead"
    assert task.assignments.count() == 3


def test_cascade_copies_with_lineage_to_own_groups(tree, people):
    plan, task = make_national_plan(tree)
    child = _cascade(
        tree,
        people,
        plan,
        tasks=[{"parent_task": task, "title": "Truyền thông trên địa bàn tỉnh",
                "deadline": datetime.date(2025, 10, 12)}],
    )  # fmt: skip
    assert child.parent == plan and child.organisation == tree.th
    (copied,) = child.tasks.all()
    assert copied.parent_task == task
    assert copied.title == "Truyền thông trên địa bàn tỉnh"
    assert copied.deadline == datetime.date(2025, 10, 12)
    roles = {a.organisation.code: a.role for a in copied.assignments.select_related("organisation")}
    assert roles == {"th-so-khcn": "lead", "xa-16000": "lead", "xa-16001": "lead",
                     "bao-thanh-hoa": "cooperate"}  # fmt: skip
    # The province started on its own national assignment.
    assert task.assignments.get(organisation=tree.th).status == S.IN_PROGRESS
    # Lineage: descendants of the national task include the province's copy.
    assert set(selectors.task_descendants(task)) == {task, copied}
    assert set(selectors.task_descendants(copied)) == {copied}


def test_cascade_refuses_targets_outside_subtree(tree, people):
    plan, task = make_national_plan(tree)
    with pytest.raises(DomainError) as err:
        services.plan_cascade(
            parent_plan=plan,
            organisation=tree.th,
            by=people.actor(people.th_coordinator),
            groups=[{"group": G.COMMUNES_OF, "organisation": tree.tq}],
        )
    assert err.value.code == "target_outside_subtree"
    assert "không thuộc phạm vi" in err.value.message
    assert not Plan.objects.filter(parent=plan).exists()  # nothing half-written
    with pytest.raises(DomainError) as err:
        services.plan_cascade(
            parent_plan=plan, organisation=tree.th, by=people.actor(people.th_coordinator),
            groups=[{"group": G.MINISTRIES}],
        )  # fmt: skip
    assert err.value.code == "target_outside_subtree"


def test_cascade_twice_is_a_conflict_and_other_province_is_not_found(tree, people):
    plan, _task = make_national_plan(tree)
    _cascade(tree, people, plan)
    with pytest.raises(DomainError) as err:
        _cascade(tree, people, plan)
    assert err.value.status == 409
    with pytest.raises(NotFound):  # Thanh Hóa's coordinator cannot cascade for Tuyên Quang
        services.plan_cascade(
            parent_plan=plan, organisation=tree.tq, by=people.actor(people.th_coordinator)
        )


def test_unit_added_later_gets_open_group_tasks(tree, people):
    with time_machine.travel(datetime.datetime(2025, 10, 2, 9, tzinfo=datetime.UTC)):
        plan, task = make_national_plan(tree)
        child = _cascade(tree, people, plan)
        closed = services.task_create(
            plan=child, by=None, title="Đã hết hạn", deadline=datetime.date(2025, 9, 30)
        )
        services.task_target_add(task=closed, by=None, group=G.COMMUNES_OF, organisation=tree.th)
        services.task_assign(task=closed, by=None)
        commune = make_commune(tree.th_province, "16002", "Xã Mới")
        new = make_org(tree.th, kind=Organisation.Kind.COMMUNE, code="xa-16002",
                       name="UBND xã Mới", province=tree.th_province, commune=commune)  # fmt: skip
        other = make_org(tree.tq, kind=Organisation.Kind.COMMUNE, code="xa-09999", name="Khác")
        organisations_created.send(sender=Organisation, organisations=[new, other])
    copied = child.tasks.get(parent_task=task)
    assert copied.assignments.filter(organisation=new, role="lead").exists()
    assert not closed.assignments.filter(organisation=new).exists()  # closed task: not given
    assert not Assignment.objects.filter(organisation=other).exists()  # no group covers it
    # Sending again is harmless.
    organisations_created.send(sender=Organisation, organisations=[new])
    assert copied.assignments.filter(organisation=new).count() == 1


def test_lateness_with_frozen_time(tree):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    a_th = task.assignments.get(organisation=tree.th)
    a_tq = task.assignments.get(organisation=tree.tq)
    with time_machine.travel(datetime.datetime(2025, 10, 10, 23, 0, tzinfo=datetime.UTC)):
        # 11/10 06:00 in Hà Nội: the deadline of 10/10 has passed there.
        services.assignment_status_set(assignment=a_th, status=S.REPORTED, by=None)
        assert datetime.date(2025, 10, 11) == services.timezone.localdate()
        assert services.assignments_mark_late() == 2  # tq and the ministry; th reported
    with time_machine.travel(datetime.datetime(2025, 10, 10, 12, 0, tzinfo=datetime.UTC)):
        # Selectors compute "late" from the date too, even before the daily run.
        fresh = make_national_plan(tree, deadline=datetime.date(2025, 10, 9), year=2024)[1]
        rows = selectors.assignment_list_for_unit(type("A", (), {"organisation": tree.tq})())
        by_task = {r.task_id: r.effective_status for r in rows}
        assert by_task[fresh.pk] == S.LATE
    a_tq.refresh_from_db()
    assert a_tq.status == S.LATE
    a_th.refresh_from_db()
    assert a_th.status == S.REPORTED


def test_new_deadline_reopens_late_assignments(tree):
    with time_machine.travel(datetime.datetime(2025, 10, 12, 3, tzinfo=datetime.UTC)):
        plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
        services.assignments_mark_late()
        services.task_update(task=task, by=None, deadline=datetime.date(2025, 10, 21))
    assert set(task.assignments.values_list("status", flat=True)) == {S.NOT_STARTED}
    assert set(task.assignments.values_list("deadline", flat=True)) == {datetime.date(2025, 10, 21)}


def test_completeness_and_timeliness(tree, people):
    with time_machine.travel(datetime.datetime(2025, 10, 5, 3, tzinfo=datetime.UTC)):
        plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
        child = _cascade(tree, people, plan)
        copied = child.tasks.get()
        services.assignment_status_set(
            assignment=copied.assignments.get(organisation=tree.th_c1), status=S.REPORTED, by=None
        )
    with time_machine.travel(datetime.datetime(2025, 10, 12, 3, tzinfo=datetime.UTC)):
        services.assignment_status_set(
            assignment=copied.assignments.get(organisation=tree.th_c2), status=S.ACCEPTED, by=None
        )
        services.assignment_status_set(
            assignment=task.assignments.get(organisation=tree.tq), status=S.REPORTED, by=None
        )
        result = selectors.plan_completeness(plan)
        levels = {r["kind"]: r for r in result["levels"]}
        # national plan: 2 provinces + ministry; cascaded: dept, press, 2 communes
        assert result["total"]["expected"] == 7
        assert result["total"]["reported"] == 3
        assert result["total"]["on_time"] == 1
        assert levels["commune"] == {
            "kind": "commune", "label": levels["commune"]["label"], "expected": 2,
            "reported": 2, "on_time": 1, "late": 0, "completeness": 100.0, "timeliness": 50.0,
        }  # fmt: skip
        assert levels["province"]["reported"] == 1 and levels["province"]["late"] == 1
        assert levels["department"]["late"] == 1
        # The Thanh Hóa coordinator sees only the province's own subtree.
        th_view = selectors.plan_completeness(plan, people.actor(people.th_coordinator))
        assert th_view["total"]["expected"] == 5
        chase = selectors.chase_list(people.actor(people.th_coordinator))
        assert {a.organisation.code for a in chase} == {"th-so-khcn", "bao-thanh-hoa"}


def test_reminders_are_sent_once_per_day(tree, people, django_capture_on_commit_callbacks):
    tree.th.email = "ubnd@thanhhoa.gov.vn"
    tree.th.save(update_fields=["email"])
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    day = datetime.date(2025, 10, 7)  # 3 days before
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(day=day) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(day=day) == 0
    assert Reminder.objects.filter(kind="before").count() == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ubnd@thanhhoa.gov.vn"]
    assert Notification.objects.filter(organisation=tree.th, kind="reminder").count() == 1
    # Manual "Remind" from the chase page goes through the task queue (immediate in tests).
    a = task.assignments.get(organisation=tree.th)
    with time_machine.travel(datetime.datetime(2025, 10, 12, 3, tzinfo=datetime.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            services.reminders_enqueue(
                assignments=[a], by=people.actor(people.national_coordinator)
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.reminders_enqueue(
                assignments=[a], by=people.actor(people.national_coordinator)
            )
    assert Reminder.objects.filter(kind="manual").count() == 1
    with pytest.raises(NotFound):
        services.reminders_enqueue(
            assignments=[task.assignments.get(organisation=tree.tq)],
            by=people.actor(people.th_coordinator),
        )


def test_daily_task_marks_late_and_reminds_after(tree):
    from dxday.plans.tasks import reminders_daily

    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    result = reminders_daily.enqueue("2025-10-11")
    assert result.return_value == {"late": 3, "sent": 3}
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"after"}


def test_campaign_dates_are_data(tree, people):
    campaign = make_campaign(2025)
    ceremony = campaign.key_dates.get(kind="ceremony")
    services.key_date_save(
        campaign=campaign, by=people.actor(people.national_coordinator), kind="ceremony",
        name="Lễ hưởng ứng (lùi do bão)", date=datetime.date(2025, 10, 21), key_date=ceremony,
    )  # fmt: skip
    ceremony.refresh_from_db()
    assert ceremony.date == datetime.date(2025, 10, 21)
    with pytest.raises(DomainError) as err:
        services.campaign_update(
            campaign=campaign, by=people.actor(people.th_coordinator), theme="x"
        )
    assert err.value.status == 403
    with pytest.raises(DomainError):
        services.campaign_window_save(
            campaign=campaign, by=None, kind="peak", name="Sai",
            starts_on=datetime.date(2025, 10, 31), ends_on=datetime.date(2025, 10, 1),
        )  # fmt: skip


def test_visibility_boundaries(tree, people):
    plan, task = make_national_plan(tree)
    th_plan = _cascade(tree, people, plan)
    tq = people.actor(people.tq_coordinator)
    # The national plan assigns Tuyên Quang: visible. Thanh Hóa's plan: not found.
    assert selectors.get_plan_for_user(tq, plan.pk) == plan
    with pytest.raises(NotFound):
        selectors.get_plan_for_user(tq, th_plan.pk)
    c1 = people.actor(people.th_c1_reporter)
    mine = list(selectors.assignment_list_for_unit(c1))
    assert {a.organisation_id for a in mine} == {tree.th_c1.pk}
    other = th_plan.tasks.get().assignments.get(organisation=tree.th_c2)
    with pytest.raises(NotFound):
        selectors.get_assignment_for_user(c1, other.pk)
    th = people.actor(people.th_coordinator)
    assert selectors.get_assignment_for_user(th, other.pk) == other
    subtree = selectors.assignment_list_for_subtree(th)
    assert all(a.organisation.path.startswith(tree.th.path) for a in subtree)
    with pytest.raises(NotFound):
        selectors.get_assignment_for_user(th, task.assignments.get(organisation=tree.tq).pk)


@pytest.mark.django_db
def test_indicator_catalogue_and_parts():
    guided = Indicator.objects.get(code="people-guided")
    vneid = Indicator.objects.get(code="vneid-level2")
    assert vneid.part_of == guided and guided.unit == "người"
    assert parts_violations({guided.pk: 10, vneid.pk: 11})
    assert parts_violations({guided.pk: 10, vneid.pk: 10}) == []
    assert parts_violations({vneid.pk: 11}) == []  # total not reported: not read as 0


def test_send_reminders_command_enqueues_the_daily_task(tree):
    from io import StringIO

    from django.core.management import call_command

    make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    out = StringIO()
    call_command("send_reminders", "--date", "2025-10-09", stdout=out)
    assert "09/10/2025" in out.getvalue()
    assert Reminder.objects.filter(kind="before", day=datetime.date(2025, 10, 9)).count() == 3
    call_command("send_reminders", "--date", "2025-10-09", stdout=out)
    assert Reminder.objects.count() == 3


def test_task_rollup_counts_cascaded_units_on_the_national_task(tree, people):
    plan, task = make_national_plan(tree)
    child = _cascade(tree, people, plan)
    copied = child.tasks.get()
    services.assignment_status_set(
        assignment=copied.assignments.get(organisation=tree.th_c1), status=S.REPORTED, by=None
    )
    rollup = selectors.task_rollup_for_plan(plan)
    # 3 direct (2 provinces, ministry) + 4 in Thanh Hóa (dept, press, 2 communes)
    assert rollup[task.pk] == {"expected": 7, "reported": 1}
    th_view = selectors.task_rollup_for_plan(plan, people.actor(people.th_coordinator))
    assert th_view[task.pk] == {"expected": 5, "reported": 1}


def test_on_time_is_judged_in_vietnam_time(tree):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    # 16:30 UTC on 10/10 is 23:30 on 10/10 in Hà Nội: on time.
    with time_machine.travel(datetime.datetime(2025, 10, 10, 16, 30, tzinfo=datetime.UTC)):
        services.assignment_status_set(
            assignment=task.assignments.get(organisation=tree.th), status=S.REPORTED, by=None
        )
    # 17:30 UTC on 10/10 is 00:30 on 11/10 in Hà Nội: late.
    with time_machine.travel(datetime.datetime(2025, 10, 10, 17, 30, tzinfo=datetime.UTC)):
        services.assignment_status_set(
            assignment=task.assignments.get(organisation=tree.tq), status=S.REPORTED, by=None
        )
    total = selectors.plan_completeness(plan, today=datetime.date(2025, 10, 12))["total"]
    assert (total["reported"], total["on_time"], total["late"]) == (2, 1, 1)


def test_marking_late_audits_the_real_old_status(tree):
    """Guards the audit of the daily run: the rows used to be read after the UPDATE, so every
    entry said [None, "late"] and the status each assignment left was lost."""
    from dxday.core.models import AuditEntry

    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    a_th = task.assignments.get(organisation=tree.th)
    services.assignment_status_set(assignment=a_th, status=S.IN_PROGRESS, by=None)
    assert services.assignments_mark_late(today=datetime.date(2025, 10, 12)) == 3
    changes = {
        int(e.object_id): e.changes["status"]
        for e in AuditEntry.objects.filter(action="plans.assignment.late")
    }
    a_tq = task.assignments.get(organisation=tree.tq)
    assert changes[a_th.pk] == ["in_progress", "late"]
    assert changes[a_tq.pk] == ["not_started", "late"]
    assert len(changes) == 3


def test_assign_counts_only_the_rows_really_created(tree):
    """Guards the count shown to the coordinator: when a concurrent expansion inserted one of
    the rows first, the unique constraint skips it, and `len(new)` still counted it."""
    from django.db import connection

    campaign = make_campaign(2025)
    plan = services.plan_create(
        campaign=campaign, organisation=tree.national, by=None, title="Kế hoạch quốc gia"
    )
    task = services.task_create(plan=plan, by=None, title="Truyền thông")
    services.task_target_add(task=task, by=None, group=G.PROVINCES, role="lead")
    raced = []

    def concurrent_expansion_first(execute, sql, params, many, context):
        # Between reading the existing rows and inserting, another expansion inserts Tuyên
        # Quang's assignment (the race the unique constraint is there for).
        if not raced and sql.startswith("INSERT") and '"plans_assignment"' in sql:
            raced.append(tree.tq)
            Assignment.objects.create(task=task, organisation=tree.tq, role="lead")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(concurrent_expansion_first):
        created = services.task_assign(task=task, by=None)
    assert raced and task.assignments.count() == 2
    assert created == 1  # Thanh Hóa only: Tuyên Quang's row was not created by this call
    from dxday.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="plans.task.assigned", object_id=str(task.pk))
    assert entry.changes == {"assignments": [None, 1]}


def test_notifications_mark_read_checks_who_marks(tree, people):
    """Guards `by`, which was taken and never checked: a person marks read only the inbox of
    the unit they act for."""
    for org in (tree.th_c1, tree.th):
        Notification.objects.create(organisation=org, title="Đôn đốc báo cáo")
    with pytest.raises(DomainError) as err:  # a commune of my province: visible, not mine
        services.notifications_mark_read(
            organisation=tree.th_c1, by=people.actor(people.th_coordinator)
        )
    assert err.value.status == 403 and err.value.code == "not_own_notifications"
    with pytest.raises(NotFound):  # another province's commune: not found
        services.notifications_mark_read(
            organisation=tree.th_c1, by=people.actor(people.tq_coordinator)
        )
    assert Notification.objects.filter(read_at=None).count() == 2
    n = services.notifications_mark_read(
        organisation=tree.th_c1, by=people.actor(people.th_c1_reporter)
    )
    assert n == 1
    assert Notification.objects.get(organisation=tree.th).read_at is None


FAILING_MAIL = "dxday.plans.tests.mail_backends.FailingBackend"


def _th_with_address(tree):
    tree.th.email = "ubnd@thanhhoa.gov.vn"
    tree.th.save(update_fields=["email"])


def test_reminder_email_is_retried_after_an_smtp_failure_and_delivered_once(
    tree, settings, django_capture_on_commit_callbacks
):
    """Guards reminder delivery: the e-mails went out on_commit with no retry, so an SMTP
    failure lost them while the reminders counted as sent. Now the failed one is tried again by
    the `reminders_email` task and counts as sent only once the mail server took it."""
    from .mail_backends import FailingBackend

    settings.EMAIL_BACKEND = FAILING_MAIL
    settings.DXDAY_REMINDER_RETRY_MINUTES = (0,)  # retry at once (the immediate backend)
    FailingBackend.reset(failures=1)
    _th_with_address(tree)
    make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(day=datetime.date(2025, 10, 7)) == 3
    # Two tries: refused, then accepted; at neither moment did Thanh Hóa's count as sent.
    assert len(FailingBackend.calls) == 2
    assert all("tinh-38" not in seen for seen in FailingBackend.calls)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ubnd@thanhhoa.gov.vn"]
    th = Reminder.objects.get(assignment__organisation=tree.th)
    assert th.sent_at is not None and th.attempts == 2 and th.last_error == ""
    # Units without an address had their reminder in the app: delivered, no message, one try.
    others = Reminder.objects.exclude(pk=th.pk)
    assert all(r.sent_at and r.attempts == 1 for r in others)
    # Later passes send nothing more: exactly once.
    assert services.reminders_deliver() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_failed_reminder_email_waits_for_its_retry_then_the_daily_pass_sends_it(
    tree, settings, django_capture_on_commit_callbacks
):
    """Guards "not counted as sent before": after the failure the row has no `sent_at`, is not
    due again before its retry delay, and the daily `send-reminders` run delivers it."""
    from io import StringIO

    from django.core.management import call_command

    from .mail_backends import FailingBackend

    settings.EMAIL_BACKEND = FAILING_MAIL
    settings.DXDAY_REMINDER_RETRY_MINUTES = (5, 30)
    FailingBackend.reset(failures=1)
    _th_with_address(tree)
    make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    start = datetime.datetime(2025, 10, 7, 1, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.reminders_send(day=datetime.date(2025, 10, 7)) == 3
        th = Reminder.objects.get(assignment__organisation=tree.th)
        assert th.sent_at is None and th.attempts == 1
        assert "SMTPException" in th.last_error and mail.outbox == []
        assert services.reminders_undelivered() == 1
        assert services.reminders_deliver() == {"sent": 0, "failed": 0}  # not due yet
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        call_command("send_reminders", "--date", "2025-10-07", stdout=StringIO())
    th.refresh_from_db()
    assert th.sent_at is not None and th.attempts == 2
    reminder_mails = [m for m in mail.outbox if m.subject.startswith("Sắp đến hạn")]
    assert len(reminder_mails) == 1 and services.reminders_undelivered() == 0
    assert Reminder.objects.count() == 3  # the daily run created nothing twice


def test_reminder_email_retries_are_bounded(tree, settings, django_capture_on_commit_callbacks):
    """Guards the retry loop: a mail server that always refuses gets a bounded number of tries,
    and the reminder stays undelivered with its last error for the operator."""
    from .mail_backends import FailingBackend

    settings.EMAIL_BACKEND = FAILING_MAIL
    settings.DXDAY_REMINDER_RETRY_MINUTES = (0,)
    settings.DXDAY_REMINDER_EMAIL_ATTEMPTS = 3
    FailingBackend.reset(failures=100)
    _th_with_address(tree)
    make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(day=datetime.date(2025, 10, 7))
    th = Reminder.objects.get(assignment__organisation=tree.th)
    assert th.attempts == 3 and th.sent_at is None and th.last_error
    assert len(FailingBackend.calls) == 3
    assert services.reminders_deliver() == {"sent": 0, "failed": 0}
    assert mail.outbox == []


def test_a_refused_reminder_email_is_requeued_for_later_on_a_deferring_backend(tree, settings):
    """Guards the retry on the real (database) backend, which can defer: after a refusal the
    `reminders_email` task enqueues its next attempt `run_after` the retry delay."""
    from django_tasks import task_backends

    from dxday.plans.tasks import reminders_email

    from .mail_backends import FailingBackend

    settings.EMAIL_BACKEND = FAILING_MAIL
    settings.DXDAY_REMINDER_RETRY_MINUTES = (5, 30)
    FailingBackend.reset(failures=1)
    _th_with_address(tree)
    make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    services.reminders_create(day=datetime.date(2025, 10, 7))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    now = datetime.datetime(2025, 10, 7, 1, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        assert reminders_email.call() == {"sent": 2, "failed": 1}  # 2 without an address
    (queued,) = task_backends["default"].results
    assert queued.task.name == "reminders_email" and queued.args == [2]
    assert queued.task.run_after == now + datetime.timedelta(minutes=5)
    assert mail.outbox == []


def test_campaign_save_is_one_transaction(tree, people):
    """Guards the campaign form's service: the campaign, its windows and key dates are saved
    together, and an error in any row leaves nothing changed (it used to be the view's own
    transaction around several services)."""
    national = people.actor(people.national_coordinator)
    campaign = make_campaign(2025)
    window, ceremony = campaign.windows.get(), campaign.key_dates.get()
    bad_window = {
        "id": None, "delete": False, "kind": "peak", "name": "Sai",
        "starts_on": datetime.date(2025, 10, 31), "ends_on": datetime.date(2025, 10, 1),
    }  # fmt: skip
    with pytest.raises(DomainError) as err:
        services.campaign_save(
            by=national, campaign=campaign, fields={"theme": "Chủ đề mới"}, windows=[bad_window]
        )
    assert err.value.code == "window_order"
    campaign.refresh_from_db()
    assert campaign.theme != "Chủ đề mới" and campaign.windows.count() == 1
    saved = services.campaign_save(
        by=national,
        campaign=campaign,
        fields={"theme": "Chủ đề mới"},
        windows=[{"id": window.pk, "delete": True}],
        key_dates=[{"id": ceremony.pk, "delete": False, "kind": "ceremony",
                    "name": "Lễ hưởng ứng", "date": datetime.date(2025, 10, 21), "note": ""}],
    )  # fmt: skip
    assert saved.theme == "Chủ đề mới" and not saved.windows.exists()
    ceremony.refresh_from_db()
    assert ceremony.date == datetime.date(2025, 10, 21)
    other = make_campaign(2024).key_dates.get()
    with pytest.raises(NotFound):  # a key date of another campaign is not this one's
        services.campaign_save(
            by=national, campaign=campaign, fields={}, key_dates=[{"id": other.pk, "delete": True}]
        )
    assert type(other).objects.filter(pk=other.pk).exists()
    with pytest.raises(DomainError) as err:
        services.campaign_save(by=people.actor(people.th_coordinator), campaign=None, year=2030,
                               fields={"theme": "x"})  # fmt: skip
    assert err.value.status == 403
