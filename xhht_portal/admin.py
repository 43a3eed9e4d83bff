from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from xhht_portal.models import Job, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Vai trò trong cổng thông tin"), {"fields": ["role", "unit"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò trong cổng thông tin"), {"fields": ["role", "unit"]}),
    ]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs, to see what ran and why one failed; they are made by the pages, not here."""

    list_display = ["title", "kind", "owner", "state", "done", "total", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
