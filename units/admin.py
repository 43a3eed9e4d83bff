from django.contrib import admin

from units.models import Unit, UnitSuccession


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """The reporter code says which indicators a unit reports (section IV of the programme)."""

    list_display = ["name", "code", "kind", "parent", "reporter_code", "valid_from", "valid_to"]
    list_filter = ["kind", "reporter_code"]
    list_editable = ["reporter_code"]
    search_fields = ["name", "code"]
    inlines = [SuccessionInline]
