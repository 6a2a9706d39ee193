from django.contrib import admin

from .models import Adoption, Override, Template, TemplateChange


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["standard", "levels", "created_at"]
    list_select_related = ["standard__item", "standard__department"]
    raw_id_fields = ["standard", "created_by"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["standard", "template", "adopted_template_version", "created_at"]
    list_select_related = [
        "standard__item",
        "standard__department",
        "template__standard__item",
        "template__standard__department",
        "adopted_template_version__standard__item",
        "adopted_template_version__standard__department",
    ]
    raw_id_fields = ["standard", "template", "adopted_template_version", "created_by"]


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    list_display = ["adoption", "field_code", "row_uid", "reason", "at"]
    raw_id_fields = ["adoption", "created_by"]


@admin.register(TemplateChange)
class TemplateChangeAdmin(admin.ModelAdmin):
    list_display = ["adoption", "from_version", "to_version", "state", "created_at"]
    raw_id_fields = ["adoption", "from_version", "to_version"]
