from django.contrib import admin

from documents.models import ConsolidatedReport, DocumentSettings, ReportIssue, SignedCopy


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    """The letterhead, signer and recipients of a unit's documents: a committee, a commune, a department."""

    list_display = ["unit", "issuer", "symbol", "signer_title", "signer_name"]
    search_fields = ["unit__name", "issuer", "signer_name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["unit"]}),
        ("Thể thức", {"fields": ["issuer_parent", "issuer", "place", "symbol"]}),
        ("Người ký", {"fields": ["signer_authority", "signer_title", "signer_name"]}),
        ("Nơi nhận", {"fields": ["recipients", "filing"]}),
    ]


class IssueInline(admin.TabularInline):
    model = ReportIssue
    extra = 0
    fields = ["revision", "number", "date", "issued_by", "issued_at", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(admin.ModelAdmin):
    """View only: the report is compiled, edited and issued on its page, which keeps every issue."""

    list_display = ["unit", "period", "updated_at", "updated_by"]
    list_filter = ["period"]
    readonly_fields = ["unit", "period", "narrative", "version", "compiled_at", "updated_by"]
    inlines = [IssueInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SignedCopy)
class SignedCopyAdmin(admin.ModelAdmin):
    """View only, withdrawal included: copies are uploaded and withdrawn on the report pages, never deleted."""

    list_display = [
        "original_name",
        "issue",
        "submission",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "withdrawn_at",
        "withdrawn_by",
    ]
    list_filter = [("withdrawn_at", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in SignedCopy._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
