from django.contrib import admin

from targets.models import Indicator, Plan, Section, Target


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_year", "end_year", "is_active"]
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


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "section", "comparator", "value_min", "value_max", "unit"]
    list_filter = ["indicator__plan", "year", "unit", "comparator"]
    search_fields = ["indicator__name", "wording", "note"]
