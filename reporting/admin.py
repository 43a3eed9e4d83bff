from django.contrib import admin

from reporting.models import Period, Submission, SubmissionEvent, SubmissionValue


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "kind", "year", "start", "end", "due"]
    list_filter = ["plan", "kind", "year"]


class ValueInline(admin.TabularInline):
    model = SubmissionValue
    extra = 0
    fields = ["indicator", "numerator", "denominator", "flags", "reviewer_comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    fields = ["at", "actor", "action", "field", "before", "after", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """View only: values and states change through the report pages and services, which keep the history."""

    list_display = ["unit", "period", "state", "submitted_at", "approved_at", "extended_until"]
    list_filter = ["period", "state", "unit__kind"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]
    inlines = [ValueInline, EventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(admin.ModelAdmin):
    list_display = ["submission", "at", "actor", "action", "field"]
    list_filter = ["action"]
    list_select_related = ["submission__unit", "submission__period", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
