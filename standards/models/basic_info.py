"""B00 basic information: the implementation-level data of the item (one row per version)."""

from standards.registry.i18n import bilingual

from .content_base import SectionContent
from .fields import registered


class BasicInfo(SectionContent):
    """B00 基本信息 (basic information)."""

    registry_group = "basic_info"

    implementation_code = registered("B00.01")
    handling_item_code = registered("B00.02")
    common_name = registered("B00.03")
    item_type = registered("B00.04")
    power_source = registered("B00.05")
    exercise_level = registered("B00.06")
    authority_division = registered("B00.07")
    exercise_content = registered("B00.08")
    service_object = registered("B00.09")
    theme_natural_person = registered("B00.10")
    theme_legal_person = registered("B00.11")
    case_type = registered("B00.12")
    review_type = registered("B00.13")
    through_scope = registered("B00.14")
    handling_forms = registered("B00.15")
    online_depth = registered("B00.16")
    online_address = registered("B00.17")
    mobile_address = registered("B00.18")
    on_site_visits = registered("B00.19")
    on_site_reason = registered("B00.20")
    supports_appointment = registered("B00.21")
    supports_online_payment = registered("B00.22")
    supports_express = registered("B00.23")
    supports_self_service_terminal = registered("B00.24")
    in_service_hall = registered("B00.25")
    joint_agencies = registered("B00.26")
    notification_commitment = registered("B00.27")
    standard_effective_date = registered("B00.28")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("基本信息", "basic information")
        verbose_name_plural = bilingual("基本信息", "basic information")
