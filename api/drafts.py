"""Saving one section of a draft through the editor's forms, with the editor's guards.

The order of checks follows the editor (standards.views.editor.section): the
version is fetched for this user (another department's is a 404) and locked,
its state must allow editing (403), the caller's base must still hold (412 for
If-Match, 409 for a base token, with the other person's changes), and only
then are the forms bound, validated (422) and saved by `save_section`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import PermissionDenied

from api.conditional import etag_for, matches
from api.errors import ApiError, ContentInvalid, PreconditionRequired, error
from api.section_input import content_errors, form_data
from standards.access import department_of, version_for_editor
from standards.diff import Change
from standards.models import StandardVersion
from standards.registry import Section
from standards.services.editing import (
    EditConflict,
    changes_since,
    read_base,
    save_section,
    section_state,
    sign_base,
)
from standards.views.section_page import SectionPage


def section_tag(state: dict[str, Any]) -> str:
    """The section's entity tag: it changes exactly when the section's content does."""
    return etag_for(state)


def section_payload(version: StandardVersion, section: Section) -> dict[str, Any]:
    state = section_state(version, section)
    return {
        "draft": version.pk,
        "section": section.code,
        "edit_count": version.edit_count,
        "base": sign_base(state),
        "etag": section_tag(state),
        "content": state,
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "kind": str(change.kind),
        "group": change.group,
        "field": change.code,
        "row_id": change.row_id,
        "before": change.before,
        "after": change.after,
    }


def _conflict(
    version: StandardVersion, section: Section, changes: list[Change], status_code: int
) -> ApiError:
    state = section_state(version, section)
    message = _(
        "Someone else saved this section since you read it. Read it again, then apply your changes."
    )
    return ApiError(
        [error(message, "edit_conflict")],
        status_code,
        data={
            "changes": [_change(c) for c in changes],
            "etag": section_tag(state),
            "base": sign_base(state),
            "edit_count": version.edit_count,
        },
    )


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


@transaction.atomic
def update_section(
    *, user: Any, pk: int, section: Section, body: Any, if_match: str | None
) -> StandardVersion:
    version = version_for_editor(user, pk, for_update=True)
    if not version.is_editable or department_of(user) is None:
        raise PermissionDenied(_("Only drafts and returned versions can be changed."))
    stored = section_state(version, section)
    body = body if isinstance(body, dict) else {}
    base_state: dict[str, Any] | None
    if if_match:
        if not matches(if_match, section_tag(stored)):
            raise _conflict(version, section, [], status.HTTP_412_PRECONDITION_FAILED)
        base_count, base_state = version.edit_count, stored
    elif "base" in body:
        base_state = read_base(str(body.get("base")))
        sent_count = _int(body.get("edit_count"))
        if sent_count is None:
            raise ContentInvalid(
                [error(_("Send the edit_count you read with the base."), "invalid", field=None)]
            )
        base_count = sent_count
        theirs = changes_since(version, section, base_count, base_state)
        if theirs is not None:
            raise _conflict(version, section, theirs, status.HTTP_409_CONFLICT)
    else:
        raise PreconditionRequired
    if "content" not in body:
        raise ContentInvalid(
            [error(_("Send the section's content as an object keyed by group."), "required")]
        )
    encoded = form_data(version, section, stored, body["content"])
    page = SectionPage(version, section).build(encoded.data)
    if not page.is_valid():
        raise ContentInvalid(content_errors(page, encoded.places))
    try:
        return save_section(
            user=user,
            version_pk=version.pk,
            section=section,
            data=page.validated_input(),
            base_count=base_count,
            base_state=base_state,
            uid_to_pk=page.uid_to_pk,
        )
    except EditConflict as conflict:  # not expected under the lock; answered all the same
        raise _conflict(
            conflict.current, section, conflict.changes, status.HTTP_409_CONFLICT
        ) from None
