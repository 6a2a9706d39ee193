"""Telling the people concerned about a transition: an inbox entry and an e-mail.

E-mails go out after the transaction commits, so a failed transition sends
nothing and a failing mail server never undoes a transition.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from standards.models import Notification, StandardVersion
from standards.roles import Role

logger = logging.getLogger(__name__)

# Who hears of each action besides the actor.
AUDIENCE = {
    "submit": ("reviewers",),
    "start_review": ("department",),
    "return_for_revision": ("department",),
    "approve_filing": ("department",),
    "confirm": ("department", "reviewers"),
    "publish": ("department", "reviewers"),
    "withdraw": ("department", "reviewers"),
}


def _message(action: str, actor: Any, version: StandardVersion) -> str:
    # Marked here so makemessages finds each message.
    templates = {
        "submit": _("%(actor)s submitted %(item)s (v%(number)s) for filing review."),
        "start_review": _("%(actor)s started reviewing %(item)s (v%(number)s)."),
        "return_for_revision": _("%(actor)s returned %(item)s (v%(number)s) with comments."),
        "approve_filing": _("%(actor)s approved the filing of %(item)s (v%(number)s)."),
        "confirm": _("%(actor)s confirmed %(item)s (v%(number)s)."),
        "publish": _("%(actor)s published %(item)s (v%(number)s)."),
        "withdraw": _("%(actor)s withdrew %(item)s (v%(number)s)."),
    }
    return templates[action] % {
        "actor": actor.get_full_name() or actor.username,
        "item": version.standard.item.name,
        "number": version.number,
    }


def recipients(version: StandardVersion, action: str) -> list[Any]:
    user_model = get_user_model()
    query = Q()
    audience = AUDIENCE.get(action, ())
    if "department" in audience:
        query |= Q(
            department_id=version.standard.department_id,
            groups__name__in=[Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER],
        )
    if "reviewers" in audience:
        regions = [region.pk for region in version.standard.region.lineage()]
        query |= Q(reviewed_regions__in=regions, groups__name=Role.EDITORIAL_REVIEWER)
    if not query:
        return []
    return list(user_model.objects.filter(query, is_active=True).distinct())


def notify(*, version: StandardVersion, action: str, actor: Any, reason: str = "") -> None:
    people = [p for p in recipients(version, action) if p.pk != actor.pk]
    if not people:
        return
    text = _message(action, actor, version)
    if reason:
        text = f"{text} {_('Reason:')} {reason}"
    Notification.objects.bulk_create(
        Notification(recipient=person, version=version, action=action, message=text)
        for person in people
    )
    mails = [(text, text, None, [person.email]) for person in people if person.email]
    if mails:
        transaction.on_commit(lambda: _send(mails))


def _send(mails: list[tuple[str, str, None, list[str]]]) -> None:
    try:
        send_mass_mail(mails, fail_silently=False)
    except Exception:  # a mail server failure must not break the workflow
        logger.exception("Sending %s workflow e-mail(s) failed", len(mails))
