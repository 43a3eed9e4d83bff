from django.contrib import admin

from reporting.models import Period, Submission, SubmissionEvent, SubmissionValue, Unit, UnitSuccession


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "reporter_code", "valid_from", "valid_to"]
    list_filter = ["kind", "reporter_code"]
    search_fields = ["name", "code"]
    inlines = [SuccessionInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "kind", "year", "start", "end", "due"]
    list_filter = ["plan", "kind", "year"]


class ValueInline(admin.TabularInline):
    model = SubmissionValue
    extra = 0
    readonly_fields = ["indicator", "numerator", "denominator", "flags"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only here: states change only through the review pages, which keep the history."""

    list_display = ["unit", "period", "state", "submitted_at", "approved_at"]
    list_filter = ["period", "state"]
    inlines = [ValueInline]
    readonly_fields = ["state", "version", "submitted_at", "approved_at", "approved_by"]


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(admin.ModelAdmin):
    list_display = ["submission", "at", "actor", "action", "field"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
