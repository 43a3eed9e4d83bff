from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from units.models import Reorganisation, ReorganisationLink, Unit


class PredecessorInline(admin.TabularInline):
    """On a unit's page: what it was formed from."""

    model = ReorganisationLink
    fk_name = "successor"
    extra = 0
    fields = ["reorganisation", "predecessor", "share", "share_basis"]
    raw_id_fields = ["reorganisation", "predecessor"]
    verbose_name = verbose_name_plural = _("Hình thành từ")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """The reporter code says which indicators a unit reports (section IV of the programme)."""

    list_display = ["name", "code", "kind", "parent", "reporter_code", "valid_from", "valid_to"]
    list_filter = ["kind", "reporter_code"]
    list_editable = ["reporter_code"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]
    inlines = [PredecessorInline]


class LinkInline(admin.TabularInline):
    model = ReorganisationLink
    extra = 2
    fields = ["predecessor", "successor", "share", "share_basis"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(Reorganisation)
class ReorganisationAdmin(admin.ModelAdmin):
    """A merger, split, partial transfer, rename or re-parenting: the links say who went where, with shares."""

    list_display = ["__str__", "kind", "legal_act", "effective"]
    list_filter = ["kind", "effective"]
    search_fields = ["legal_act", "note", "links__successor__name", "links__predecessor__name"]
    date_hierarchy = "effective"
    inlines = [LinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("links__successor")  # for __str__ on the list
