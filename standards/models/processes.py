"""The general processes P01–P08, the other processes (PX) and the per-link
discretionary benchmark (PL): one model per registry group."""

from standards.registry.i18n import bilingual

from .content_base import RowContent, SectionContent
from .fields import registered


class Appointment(SectionContent):
    """P01 预约 (appointment)."""

    registry_group = "appointment"

    channels = registered("P01.01")
    appointment_required = registered("P01.02")
    lead_time = registered("P01.03")
    lead_time_unit = registered("P01.04")
    time_slots = registered("P01.05")
    booking_url = registered("P01.06")
    booking_phone = registered("P01.07")
    change_rules = registered("P01.08")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("预约", "appointment")
        verbose_name_plural = bilingual("预约", "appointment")


class Application(SectionContent):
    """P02 申请 (application)."""

    registry_group = "application"
    _history_m2m_fields = ["receipt_voucher"]

    application_places = registered("P02.01")
    application_period = registered("P02.02")
    online_steps = registered("P02.03")
    identity_authentication = registered("P02.04")
    electronic_file_requirements = registered("P02.05")
    pre_review_limit = registered("P02.06")
    pre_review_limit_unit = registered("P02.07")
    receipt_voucher = registered("P02.08")
    registration_rules = registered("P02.09")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("申请", "application")
        verbose_name_plural = bilingual("申请", "application")


class Acceptance(SectionContent):
    """P03 受理 (acceptance)."""

    registry_group = "acceptance"
    _history_m2m_fields = [
        "non_acceptance_basis",
        "acceptance_notice",
        "non_acceptance_notice",
        "rectification_notice",
    ]

    acceptance_criteria = registered("P03.01")
    rectification_notice_limit = registered("P03.02")
    rectification_notice_limit_unit = registered("P03.03")
    rectification_period = registered("P03.04")
    rectification_period_unit = registered("P03.05")
    on_spot_correction = registered("P03.06")
    non_acceptance_circumstances = registered("P03.07")
    non_acceptance_basis = registered("P03.08")
    acceptance_notice = registered("P03.09")
    non_acceptance_notice = registered("P03.10")
    rectification_notice = registered("P03.11")
    tolerance_acceptance_rules = registered("P03.12")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("受理", "acceptance")
        verbose_name_plural = bilingual("受理", "acceptance")


class Review(SectionContent):
    """P04 审查 (review)."""

    registry_group = "review"
    _history_m2m_fields = ["site_inspection_record", "review_opinion_form"]

    review_methods = registered("P04.01")
    site_inspection_required = registered("P04.02")
    site_inspection_rules = registered("P04.03")
    site_inspection_record = registered("P04.04")
    hearing_applicable = registered("P04.05")
    hearing_rules = registered("P04.06")
    affects_third_parties = registered("P04.07")
    statement_defence_rules = registered("P04.08")
    expert_review_rules = registered("P04.09")
    testing_requirements = registered("P04.10")
    preliminary_review_forwarding = registered("P04.11")
    review_opinion_form = registered("P04.12")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("审查", "review")
        verbose_name_plural = bilingual("审查", "review")


class Decision(SectionContent):
    """P05 决定 (decision)."""

    registry_group = "decision"
    _history_m2m_fields = ["approval_document", "denial_document"]

    decision_authority = registered("P05.01")
    approval_document = registered("P05.02")
    denial_document = registered("P05.03")
    denial_reason_rules = registered("P05.04")
    reconsideration_body = registered("P05.05")
    litigation_court = registered("P05.06")
    remedy_deadlines = registered("P05.07")
    collective_decision_required = registered("P05.08")
    on_the_spot_decision = registered("P05.09")
    attached_provisions = registered("P05.10")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("决定", "decision")
        verbose_name_plural = bilingual("决定", "decision")


class Delivery(SectionContent):
    """P06 制证送达 (certificate making and delivery)."""

    registry_group = "delivery"
    _history_m2m_fields = ["delivery_receipt"]

    production_time = registered("P06.01")
    production_time_unit = registered("P06.02")
    delivery_limit = registered("P06.03")
    delivery_limit_unit = registered("P06.04")
    service_methods = registered("P06.05")
    delivery_receipt = registered("P06.06")
    pickup_place = registered("P06.07")
    archiving_rules = registered("P06.08")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("制证送达", "certificate making and delivery")
        verbose_name_plural = bilingual("制证送达", "certificate making and delivery")


class Disclosure(SectionContent):
    """P07 决定公开 (decision disclosure)."""

    registry_group = "disclosure"

    disclosure_channels = registered("P07.01")
    disclosure_content = registered("P07.02")
    disclosure_limit = registered("P07.03")
    disclosure_limit_unit = registered("P07.04")
    non_disclosure_circumstances = registered("P07.05")
    credit_push = registered("P07.06")
    public_inquiry = registered("P07.07")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("决定公开", "decision disclosure")
        verbose_name_plural = bilingual("决定公开", "decision disclosure")


class Supervision(SectionContent):
    """P08 监督检查 (supervision and inspection)."""

    registry_group = "supervision"
    _history_m2m_fields = ["supervisory_basis"]

    inspection_methods = registered("P08.01")
    inspection_body = registered("P08.02")
    inspection_content = registered("P08.03")
    inspection_frequency = registered("P08.04")
    supervisory_basis = registered("P08.05")
    annual_inspection_rules = registered("P08.06")
    credit_records = registered("P08.07")
    classified_supervision = registered("P08.08")
    result_handling = registered("P08.09")
    complaint_handling = registered("P08.10")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("监督检查", "supervision and inspection")
        verbose_name_plural = bilingual("监督检查", "supervision and inspection")


class OtherProcess(RowContent):
    """PX 其他流程 (other process) — one row each."""

    registry_group = "other_process"
    _history_m2m_fields = ["material_refs", "fee_refs", "legal_basis"]

    process_code = registered("PX.01")
    applicable = registered("PX.02")
    handling_item_code = registered("PX.03")
    initiation = registered("PX.04")
    trigger_circumstances = registered("PX.05")
    conditions = registered("PX.06")
    material_refs = registered("PX.07")
    own_materials = registered("PX.08")
    filing_deadline = registered("PX.09")
    statutory_limit = registered("PX.10")
    statutory_limit_unit = registered("PX.11")
    promised_limit = registered("PX.12")
    promised_limit_unit = registered("PX.13")
    is_charged = registered("PX.14")
    fee_refs = registered("PX.15")
    procedure = registered("PX.16")
    result = registered("PX.17")
    legal_basis = registered("PX.18")
    online_available = registered("PX.19")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("其他流程", "other process")
        verbose_name_plural = bilingual("其他流程", "other process")


class LinkBenchmark(RowContent):
    """PL 环节自由裁量基准 (link benchmark) — one row each."""

    registry_group = "link_benchmark"
    _history_m2m_fields = [
        "post",
        "pass_basis",
        "rectification_basis",
        "denial_basis",
        "output_document",
    ]

    process_code = registered("PL.01")
    link_name = registered("PL.02")
    link_order = registered("PL.03")
    post = registered("PL.04")
    post_duties = registered("PL.05")
    approval_authority = registered("PL.06")
    review_content = registered("PL.07")
    review_method = registered("PL.08")
    pass_criteria = registered("PL.09")
    pass_basis = registered("PL.10")
    rectification_criteria = registered("PL.11")
    rectification_basis = registered("PL.12")
    denial_criteria = registered("PL.13")
    denial_basis = registered("PL.14")
    time_limit = registered("PL.15")
    time_limit_unit = registered("PL.16")
    output_document = registered("PL.17")
    discretion_bounds = registered("PL.18")
    dissent_handling = registered("PL.19")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("环节自由裁量基准", "link benchmark")
        verbose_name_plural = bilingual("环节自由裁量基准", "link benchmark")
