from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programme.models import (
    Cohort,
    CohortMembership,
    FocusArea,
    Keyword,
    Module,
    ModuleAttachment,
    ModuleLink,
    NetworkGroup,
    NetworkRound,
    Programme,
    Theme,
)


@admin.register(Theme, FocusArea, Keyword)
class FrameworkItemAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    filter_horizontal = ["coaches"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = CohortMembership
    fields = ["user", "joined_on", "left_on"]
    readonly_fields = ["user", "joined_on", "left_on"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Memberships are added through the coach's pages, which enforce the rules.
        return False


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "starts_on", "ends_on"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    filter_horizontal = ["coaches"]
    search_fields = ["name"]
    inlines = [MembershipInline]


class NetworkGroupInline(admin.TabularInline):
    model = NetworkGroup
    fields = ["number", "members"]
    extra = 0


@admin.register(NetworkRound)
class NetworkRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "created_at", "published_at"]
    list_filter = ["programme"]
    inlines = [NetworkGroupInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "created_by":
            kwargs["label"] = _("Created by")  # the model names it in English only
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LinkInline(admin.TabularInline):
    model = ModuleLink
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = ModuleAttachment
    fields = ["title", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        # Uploads go through the coach's page, which checks type, content and size.
        return False


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "theme", "order"]
    list_filter = ["programme", "theme"]
    inlines = [LinkInline, AttachmentInline]
