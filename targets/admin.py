from django.contrib import admin

from targets.models import AssignedTarget, Indicator, Plan, Section, Target


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "owner", "start_year", "end_year", "is_active"]
    list_filter = ["is_active"]
    autocomplete_fields = ["owner"]
    inlines = [SectionInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["year", "section", "comparator", "value_min", "value_max", "unit", "wording", "note"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "plan", "measure", "entry", "reporters"]
    list_filter = ["plan", "measure", "topic"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


class AssignedTargetInline(admin.TabularInline):
    model = AssignedTarget
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "value_min", "value_max", "note"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "section", "comparator", "value_min", "value_max", "unit"]
    list_filter = ["indicator__plan", "year", "unit", "comparator"]
    search_fields = ["indicator__name", "wording", "note"]
    inlines = [AssignedTargetInline]


@admin.register(AssignedTarget)
class AssignedTargetAdmin(admin.ModelAdmin):
    list_display = ["target", "unit", "value_min", "value_max", "note"]
    list_filter = ["target__indicator__plan", "target__year"]
    search_fields = ["unit__name", "unit__code", "target__indicator__code", "note"]
    autocomplete_fields = ["unit", "target"]
