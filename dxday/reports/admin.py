"""Operators' admin: reading reports and snapshots, setting a campaign's reporting deadline.

Reports and snapshots are read-only here: every change goes through reports.services."""

from django.contrib import admin

from .models import Report, ReportDeadline, ReportJob, ReportSnapshot


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ("organisation", "campaign", "status", "submitted_on", "reviewed_at")
    list_filter = ("status", "campaign")
    search_fields = ("organisation__name", "organisation__code", "number")
    list_select_related = ("organisation", "campaign")


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnly):
    list_display = ("report", "version", "created_at")
    list_select_related = ("report__organisation", "report__campaign")


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnly):
    list_display = ("organisation", "campaign", "format", "status", "progress", "created_at")
    list_select_related = ("organisation", "campaign")


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(admin.ModelAdmin):
    list_display = ("campaign", "due_on")
