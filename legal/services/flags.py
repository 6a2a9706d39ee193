"""Law change flags: raised when a cited law changes, closed by publication or dismissal.

A flag names the standard, the law version it cites, the version replacing it
and the fields concerned: the legal-basis rows citing the old version and every
field that refers to those rows (the registry's `ref` fields whose ref group is
`legal_basis`, found from the registry so a new reference field is covered
without a list here).

Only these functions change a flag's state.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legal.models import Citation, LawChangeFlag, LawVersion
from legal.services.citations import link_versions, live_versions
from standards.access import roles_of
from standards.models import Notification, StandardVersion
from standards.models.elements import LegalBasis
from standards.registry import REGISTRY, FieldType
from standards.roles import Role

logger = logging.getLogger(__name__)

LEGAL_BASIS = "legal_basis"
# The legal-basis row itself is named by its law-name field in a flag.
ROW_FIELD = REGISTRY.field(LEGAL_BASIS, "law_name").code
DISMISSAL_REASON_MAX = 2000


def reference_fields() -> list[Any]:
    """Registry fields that point at legal-basis rows."""
    return [f for f in REGISTRY if f.type is FieldType.REF and f.ref_group == LEGAL_BASIS]


def fields_concerned(cited: set[tuple[int, Any]]) -> dict[int, list[dict[str, Any]]]:
    """For (version id, row uid) pairs of cited rows: the fields concerned, by version id.

    One query for the rows and one per reference field, whatever the number of
    standards.
    """
    version_ids = {version_id for version_id, _uid in cited}
    rows = LegalBasis.objects.filter(version_id__in=version_ids).values(
        "pk", "version_id", "uid", "position"
    )
    cited_rows = {r["pk"]: r for r in rows if (r["version_id"], r["uid"]) in cited}
    found: dict[int, dict[tuple[str, str | None], dict[str, Any]]] = defaultdict(dict)
    for row in cited_rows.values():
        uid: str | None = str(row["uid"])
        found[row["version_id"]][(ROW_FIELD, uid)] = {
            "group": LEGAL_BASIS,
            "code": ROW_FIELD,
            "row_uid": uid,
            "row": row["position"] + 1,
            "via": [],
        }
    if not cited_rows:
        return {}
    for ref in reference_fields():
        group = REGISTRY.group(ref.group)
        relation = group.model._meta.get_field(ref.attribute)
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        values = [f"{source}__version_id", f"{target}_id"]
        if group.repeats:
            values += [f"{source}__uid", f"{source}__position"]
        links = relation.remote_field.through.objects.filter(
            **{f"{target}_id__in": list(cited_rows)}
        ).values(*values)
        for link in links:
            version_id = link[f"{source}__version_id"]
            uid = str(link[f"{source}__uid"]) if group.repeats else None
            entry = found[version_id].setdefault(
                (ref.code, uid),
                {
                    "group": ref.group,
                    "code": ref.code,
                    "row_uid": uid,
                    "row": link[f"{source}__position"] + 1 if group.repeats else None,
                    "via": [],
                },
            )
            entry["via"].append(str(cited_rows[link[f"{target}_id"]]["uid"]))
    return {
        version_id: sorted(entries.values(), key=_field_order)
        for version_id, entries in found.items()
    }


_ORDER = {f.code: index for index, f in enumerate(REGISTRY)}


def _field_order(entry: dict[str, Any]) -> tuple[int, int]:
    return (_ORDER.get(entry["code"], 0), entry["row"] or 0)


def flag_standards_citing(*, old: LawVersion, new: LawVersion) -> list[LawChangeFlag]:
    """Flag every standard whose open draft or current publication cites `old`."""
    citations = Citation.objects.filter(law_version=old, version__in=live_versions()).values(
        "version_id", "version__number", "version__standard_id", "row_uid"
    )
    by_standard: dict[int, list[Any]] = defaultdict(list)
    for citation in citations:
        by_standard[citation["version__standard_id"]].append(citation)
    if not by_standard:
        return []
    concerned = fields_concerned({(c["version_id"], c["row_uid"]) for c in citations})
    already = set(
        LawChangeFlag.objects.filter(
            old_law_version=old, new_law_version=new, standard_id__in=by_standard
        ).values_list("standard_id", flat=True)
    )
    flags = []
    for standard_id, cited in sorted(by_standard.items()):
        if standard_id in already:
            continue
        entries = []
        for version_id, number in sorted({(c["version_id"], c["version__number"]) for c in cited}):
            entries += [{"version": number, **entry} for entry in concerned.get(version_id, [])]
        flags.append(
            LawChangeFlag(
                standard_id=standard_id, old_law_version=old, new_law_version=new, fields=entries
            )
        )
    created = LawChangeFlag.objects.bulk_create(flags)
    _notify(created, old=old, new=new)
    return created


def resolve_on_publish(version: StandardVersion) -> list[LawChangeFlag]:
    """Close the standard's open flags that the published version no longer concerns.

    A flag is resolved when the version no longer cites the old law version:
    it cites the new one instead, or (after a repeal) no longer relies on the law.
    """
    link_versions([version.pk])
    flags = list(LawChangeFlag.objects.open().filter(standard_id=version.standard_id))
    if not flags:
        return []
    cited = set(Citation.objects.filter(version=version).values_list("law_version_id", flat=True))
    resolved = [flag for flag in flags if flag.old_law_version_id not in cited]
    now = timezone.now()
    for flag in resolved:
        flag.state = LawChangeFlag.State.RESOLVED
        flag.resolved_by_version = version
        flag.closed_at = now
        flag.save(update_fields=["state", "resolved_by_version", "closed_at"])
    return resolved


def may_dismiss(user: Any, flag: LawChangeFlag) -> bool:
    return (
        Role.DEPARTMENT_LEADER in roles_of(user)
        and bool(user.department_id)
        and user.department_id == flag.standard.department_id
    )


@transaction.atomic
def dismiss(*, flag: LawChangeFlag, user: Any, reason: str) -> LawChangeFlag:
    """The department's leader closes a flag, saying why no new version is needed."""
    flag = LawChangeFlag.objects.select_for_update().select_related("standard").get(pk=flag.pk)
    if not may_dismiss(user, flag):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for dismissing.")})
    if len(reason) > DISMISSAL_REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(max)s characters.")
                % {"max": DISMISSAL_REASON_MAX}
            }
        )
    if flag.state != LawChangeFlag.State.OPEN:
        raise ValidationError({"reason": _("This flag is already closed.")})
    flag.state = LawChangeFlag.State.DISMISSED
    flag.dismissal_reason = reason
    flag.closed_by = user
    flag.closed_at = timezone.now()
    flag.save(update_fields=["state", "dismissal_reason", "closed_by", "closed_at"])
    return flag


def _notify(flags: list[LawChangeFlag], *, old: LawVersion, new: LawVersion) -> None:
    """An inbox entry (and e-mail) for the staff and leaders of each flagged department."""
    if not flags:
        return
    standards = {
        v.standard_id: v
        for v in live_versions()
        .filter(standard_id__in=[f.standard_id for f in flags])
        .select_related("standard__item")
        .order_by("standard_id", "number")  # the open draft, when there is one, last
    }
    people: dict[int | None, list[Any]] = defaultdict(list)
    for person in (
        get_user_model()
        .objects.filter(
            department_id__in={v.standard.department_id for v in standards.values()},
            groups__name__in=[Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER],
            is_active=True,
        )
        .distinct()
    ):
        people[person.department_id].append(person)
    notes, mails = [], []
    for flag in flags:
        version = standards.get(flag.standard_id)
        if version is None:
            continue
        if new.status == LawVersion.Status.REPEALED:
            text = _("%(law)s was repealed; %(item)s still cites it. Check the fields concerned.")
        else:
            text = _(
                "%(law)s was amended (%(document)s); %(item)s cites the earlier version. "
                "Check the fields concerned."
            )
        text = text % {
            "law": str(old.law),
            "document": new.document_number,
            "item": version.standard.item.name,
        }
        for person in people[version.standard.department_id]:
            notes.append(
                Notification(recipient=person, version=version, action="law_changed", message=text)
            )
            if person.email:
                mails.append((text, text, None, [person.email]))
    Notification.objects.bulk_create(notes)
    if mails:
        transaction.on_commit(lambda: _send(mails))


def _send(mails: list[tuple[str, str, None, list[str]]]) -> None:
    try:
        send_mass_mail(mails, fail_silently=False)
    except Exception:  # a mail server failure must not undo the law's new version
        logger.exception("Sending %s law-change e-mail(s) failed", len(mails))
