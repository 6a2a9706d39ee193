"""Demo data for the workflow: four sample standards published, one awaiting review.

Runs the real transitions as the demo users would, so the trail (rounds,
transitions, notifications, the published snapshot) is what the product
itself writes. Only versions still in their first draft are moved: running
it again changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from standards.models import StandardVersion
from standards.services import workflow

# (item basic code, department, staff, reviewer, leader): the demo users who
# carry each sample from draft to publication — a district, a city and two
# provincial departments, so the portal has guides at every level to browse.
PUBLISHED = (
    ("010130001000", "440605-scjgj", "nanhai_staff", "foshan_reviewer", "nanhai_leader"),
    ("010140001000", "440600-scjgj", "foshan_staff", "foshan_reviewer", "foshan_leader"),
    ("010090001000", "440000-jtt", "jtt_staff", "reviewer", "jtt_leader"),
    ("010020001000", "440000-jyt", "jyt_staff", "reviewer", "jyt_leader"),
)
# The construction permit stays with the provincial reviewer, to be reviewed.
AWAITING_REVIEW = ("010080001000", "440000-zjt", "province_staff")


@transaction.atomic
def run_demo_workflow() -> list[str]:
    users = {u.username: u for u in get_user_model().objects.all()}
    done = []
    for item, department, staff, reviewer, leader in PUBLISHED:
        version = _first_draft(item, department)
        if version is None:
            continue
        workflow.submit(version=version, user=users[staff])
        workflow.start_review(version=version, user=users[reviewer])
        workflow.approve_filing(
            version=version, user=users[reviewer], reason="符合要求，予以备案。"
        )
        workflow.confirm(version=version, user=users[leader])
        workflow.publish(version=version, user=users[leader])
        done.append(f"{version} published")
    item, department, staff = AWAITING_REVIEW
    version = _first_draft(item, department)
    if version is not None:
        workflow.submit(version=version, user=users[staff])
        done.append(f"{version} submitted for review")
    return done


def _first_draft(item: str, department: str) -> StandardVersion | None:
    return (
        StandardVersion.objects.filter(
            standard__item__basic_code=item,
            standard__department__code=department,
            number=1,
            state=StandardVersion.State.DRAFT,
            rounds__isnull=True,
        )
        .select_related("standard")
        .first()
    )
