from django.contrib import admin

from recognition.models import (
    CriteriaLevel,
    CriteriaSet,
    Criterion,
    CriterionItem,
    Decision,
    Nomination,
    NominationEvent,
    Register,
    Title,
)


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    """An administrator adds a title here: no programmer needed (see also import_criteria)."""

    list_display = [
        "name",
        "code",
        "nominee_kind",
        "recognised_by",
        "recognised_by_verified",
        "years_in_force",
        "indicator_code",
        "active",
    ]
    list_filter = ["nominee_kind", "active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Registers and criteria sets point to the code: once used it cannot change.
        if obj is not None and (obj.registers.exists() or obj.criteria_sets.exists()):
            return ["code"]
        return []


class CriteriaLevelInline(admin.TabularInline):
    model = CriteriaLevel
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    show_change_link = True


class CriterionItemInline(admin.TabularInline):
    model = CriterionItem
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "valid_from", "valid_to", "scoring", "pass_mark", "pass_rule_verified"]
    list_filter = ["title", "scoring"]
    inlines = [CriteriaLevelInline, CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "max_points", "verified"]
    list_filter = ["criteria_set", "verified"]
    inlines = [CriterionItemInline]


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["commune", "title", "year", "submitted_at"]
    list_filter = ["title", "year", "commune"]


class NominationEventInline(admin.TabularInline):
    model = NominationEvent
    extra = 0
    readonly_fields = ["action", "state", "by", "at", "reason"]
    can_delete = False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    # States change only through recognition.services; the admin shows them.
    list_display = ["name", "village", "register", "state", "total_points"]
    list_filter = ["state", "register__title", "register__year"]
    search_fields = ["name"]
    raw_id_fields = ["register", "decision", "village"]
    readonly_fields = ["state", "total_points", "passed", "decision", "criteria_set"]
    inlines = [NominationEventInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "date", "register", "signer_name"]
    raw_id_fields = ["register"]
