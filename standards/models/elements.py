"""The 13 approval elements E01–E13 (审批要素): one model per registry group."""

from standards.registry.i18n import bilingual

from .content_base import RowContent, SectionContent
from .fields import registered


class AcceptanceScope(SectionContent):
    """E01 受理范围 (acceptance scope)."""

    registry_group = "acceptance_scope"
    _history_m2m_fields = ["scope_basis"]

    applicable_matters = registered("E01.01")
    applicant_scope = registered("E01.02")
    territorial_scope = registered("E01.03")
    excluded_circumstances = registered("E01.04")
    agent_allowed = registered("E01.05")
    agent_requirements = registered("E01.06")
    scope_basis = registered("E01.07")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("受理范围", "acceptance scope")
        verbose_name_plural = bilingual("受理范围", "acceptance scope")


class LegalBasis(RowContent):
    """E02 办理依据 (legal basis) — one row each."""

    registry_group = "legal_basis"

    basis_kind = registered("E02.01")
    law_name = registered("E02.02")
    law_level = registered("E02.03")
    document_number = registered("E02.04")
    issuing_authority = registered("E02.05")
    revision_date = registered("E02.06")
    effective_date = registered("E02.07")
    article_number = registered("E02.08")
    article_text = registered("E02.09")
    link = registered("E02.10")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("办理依据", "legal basis")
        verbose_name_plural = bilingual("办理依据", "legal basis")


class ImplementingAgency(SectionContent):
    """E03 实施主体 (implementing agency)."""

    registry_group = "implementing_agency"

    agency_name = registered("E03.01")
    agency_credit_code = registered("E03.02")
    agency_nature = registered("E03.03")
    entrusting_department = registered("E03.04")
    entrustment_document = registered("E03.05")
    accepting_body = registered("E03.06")
    deciding_body = registered("E03.07")
    undertaking_unit = registered("E03.08")
    undertaking_unit_code = registered("E03.09")
    co_implementing_departments = registered("E03.10")
    co_implementing_codes = registered("E03.11")
    has_preliminary_review = registered("E03.12")
    preliminary_review_level = registered("E03.13")
    preliminary_review_body = registered("E03.14")
    acceptance_level = registered("E03.15")
    prerequisite_approvals = registered("E03.16")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("实施主体", "implementing agency")
        verbose_name_plural = bilingual("实施主体", "implementing agency")


class Condition(RowContent):
    """E04 审批条件 (approval condition) — one row each."""

    registry_group = "condition"
    _history_m2m_fields = ["legal_basis", "proving_materials"]

    condition_kind = registered("E04.01")
    condition_text = registered("E04.02")
    legal_basis = registered("E04.03")
    applicant_types = registered("E04.04")
    applies_to_processes = registered("E04.05")
    review_standard = registered("E04.06")
    verification_methods = registered("E04.07")
    proving_materials = registered("E04.08")
    commitment_allowed = registered("E04.09")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("审批条件", "approval condition")
        verbose_name_plural = bilingual("审批条件", "approval condition")


class Material(RowContent):
    """E05 申请材料 (application material) — one row each."""

    registry_group = "material"
    _history_m2m_fields = ["legal_basis"]

    name = registered("E05.01")
    material_type = registered("E05.02")
    material_form = registered("E05.03")
    necessity = registered("E05.04")
    source_channel = registered("E05.05")
    source_note = registered("E05.06")
    issuing_agency = registered("E05.07")
    issuance_time_requirement = registered("E05.08")
    obtaining_place = registered("E05.09")
    originals_count = registered("E05.10")
    copies_count = registered("E05.11")
    paper_spec = registered("E05.12")
    electronic_required = registered("E05.13")
    blank_form = registered("E05.14")
    sample_form = registered("E05.15")
    filling_instructions = registered("E05.16")
    acceptance_standard = registered("E05.17")
    legal_basis = registered("E05.18")
    exempt_by_sharing = registered("E05.19")
    sharing_source = registered("E05.20")
    e_license_accepted = registered("E05.21")
    tolerance_conditions = registered("E05.22")
    tolerance_deadline = registered("E05.23")
    tolerance_deadline_unit = registered("E05.24")
    applicability_condition = registered("E05.25")
    applies_to_processes = registered("E05.26")
    remarks = registered("E05.27")
    order = registered("E05.28")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("申请材料", "application material")
        verbose_name_plural = bilingual("申请材料", "application material")


class TimeLimit(SectionContent):
    """E06 审批时限 (time limit)."""

    registry_group = "time_limit"
    _history_m2m_fields = ["statutory_limit_basis"]

    statutory_limit = registered("E06.01")
    statutory_limit_unit = registered("E06.02")
    statutory_limit_note = registered("E06.03")
    statutory_limit_basis = registered("E06.04")
    promised_limit = registered("E06.05")
    promised_limit_unit = registered("E06.06")
    promised_limit_note = registered("E06.07")
    extension_allowed = registered("E06.08")
    extension_limit = registered("E06.09")
    extension_limit_unit = registered("E06.10")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("审批时限", "time limit")
        verbose_name_plural = bilingual("审批时限", "time limit")


class SpecialProcedure(RowContent):
    """E06 特别程序 (special procedure) — one row each."""

    registry_group = "special_procedure"
    _history_m2m_fields = ["legal_basis", "fee_basis"]

    kind = registered("E06.11")
    description = registered("E06.12")
    duration = registered("E06.13")
    duration_unit = registered("E06.14")
    legal_basis = registered("E06.15")
    is_charged = registered("E06.16")
    fee_basis = registered("E06.17")
    counted_in_limit = registered("E06.18")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("特别程序", "special procedure")
        verbose_name_plural = bilingual("特别程序", "special procedure")


class Result(SectionContent):
    """E07 审批结果 (approval result)."""

    registry_group = "result"
    _history_m2m_fields = ["validity_basis", "annual_inspection_basis"]

    result_type = registered("E07.01")
    result_name = registered("E07.02")
    result_sample = registered("E07.03")
    validity_period = registered("E07.04")
    validity_unit = registered("E07.05")
    validity_basis = registered("E07.06")
    legal_effect = registered("E07.07")
    certificate_content = registered("E07.08")
    certificate_copies = registered("E07.09")
    numbering_rule = registered("E07.10")
    annual_inspection = registered("E07.11")
    annual_inspection_basis = registered("E07.12")
    delivery_methods = registered("E07.13")
    has_e_certificate = registered("E07.14")
    e_certificate_catalogue_code = registered("E07.15")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("审批结果", "approval result")
        verbose_name_plural = bilingual("审批结果", "approval result")


class Fee(SectionContent):
    """E08 审批收费 (fee)."""

    registry_group = "fee"

    is_charged = registered("E08.01")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("审批收费", "fee")
        verbose_name_plural = bilingual("审批收费", "fee")


class FeeItem(RowContent):
    """E08 收费项目 (fee item) — one row each."""

    registry_group = "fee_item"
    _history_m2m_fields = ["basis", "reduction_basis"]

    name = registered("E08.02")
    fee_category = registered("E08.03")
    standard = registered("E08.04")
    basis = registered("E08.05")
    reduction_allowed = registered("E08.06")
    reduction_circumstances = registered("E08.07")
    reduction_basis = registered("E08.08")
    payment_methods = registered("E08.09")
    payment_channel = registered("E08.10")
    payment_stage = registered("E08.11")
    remarks = registered("E08.12")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("收费项目", "fee item")
        verbose_name_plural = bilingual("收费项目", "fee item")


class QuantityLimit(SectionContent):
    """E09 数量限制 (quantity limit)."""

    registry_group = "quantity_limit"
    _history_m2m_fields = ["limit_basis"]

    has_limit = registered("E09.01")
    limit_description = registered("E09.02")
    limit_quantity = registered("E09.03")
    limit_basis = registered("E09.04")
    allocation_method = registered("E09.05")
    allocation_rules = registered("E09.06")
    quota_publication = registered("E09.07")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("数量限制", "quantity limit")
        verbose_name_plural = bilingual("数量限制", "quantity limit")


class Intermediary(SectionContent):
    """E10 中介服务 (intermediary services)."""

    registry_group = "intermediary"

    has_intermediary = registered("E10.01")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("中介服务", "intermediary services")
        verbose_name_plural = bilingual("中介服务", "intermediary services")


class IntermediaryService(RowContent):
    """E10 中介服务事项 (intermediary service) — one row each."""

    registry_group = "intermediary_service"
    _history_m2m_fields = ["legal_basis", "output_material"]

    service_name = registered("E10.02")
    service_content = registered("E10.03")
    legal_basis = registered("E10.04")
    free_choice = registered("E10.05")
    provider_qualification = registered("E10.06")
    fee_standard = registered("E10.07")
    payer = registered("E10.08")
    time_limit = registered("E10.09")
    time_limit_unit = registered("E10.10")
    output_material = registered("E10.11")
    provider_directory = registered("E10.12")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("中介服务事项", "intermediary service")
        verbose_name_plural = bilingual("中介服务事项", "intermediary service")


class Post(RowContent):
    """E11 审批岗位 (approval post) — one row each."""

    registry_group = "post"

    post_name = registered("E11.01")
    qualifications = registered("E11.02")
    headcount = registered("E11.03")
    duties = registered("E11.04")
    authority = registered("E11.05")
    training = registered("E11.06")
    enforcement_certificate_required = registered("E11.07")
    recusal_rules = registered("E11.08")
    backup_post = registered("E11.09")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("审批岗位", "approval post")
        verbose_name_plural = bilingual("审批岗位", "approval post")


class Service(SectionContent):
    """E12 审批服务 (approval service)."""

    registry_group = "service"

    consultation_channels = registered("E12.01")
    consultation_phone = registered("E12.02")
    consultation_window = registered("E12.03")
    consultation_website = registered("E12.04")
    consultation_email = registered("E12.05")
    complaint_channels = registered("E12.06")
    complaint_phone = registered("E12.07")
    complaint_window = registered("E12.08")
    complaint_website = registered("E12.09")
    complaint_letter_address = registered("E12.10")
    office_address = registered("E12.11")
    office_hours = registered("E12.12")
    transport_guide = registered("E12.13")
    mail_address = registered("E12.14")
    postage_payer = registered("E12.15")
    terminal_locations = registered("E12.16")
    assisted_services = registered("E12.17")
    service_commitments = registered("E12.18")
    evaluation_channels = registered("E12.19")

    class Meta(SectionContent.Meta):
        verbose_name = bilingual("审批服务", "approval service")
        verbose_name_plural = bilingual("审批服务", "approval service")


class Faq(RowContent):
    """E12 常见问题 (FAQ) — one row each."""

    registry_group = "faq"

    question = registered("E12.20")
    answer = registered("E12.21")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("常见问题", "FAQ")
        verbose_name_plural = bilingual("常见问题", "FAQ")


class Document(RowContent):
    """E13 表格文书 (form or document) — one row each."""

    registry_group = "document"
    _history_m2m_fields = ["related_material"]

    name = registered("E13.01")
    category = registered("E13.02")
    audience = registered("E13.03")
    blank_template = registered("E13.04")
    filled_sample = registered("E13.05")
    instructions = registered("E13.06")
    used_in_processes = registered("E13.07")
    related_material = registered("E13.08")
    seal_requirement = registered("E13.09")

    class Meta(RowContent.Meta):
        verbose_name = bilingual("表格文书", "form or document")
        verbose_name_plural = bilingual("表格文书", "form or document")
