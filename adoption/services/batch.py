"""Adopting many templates at once: a batch row the page polls, worked off in the background."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from adoption.models import AdoptionBatch, Template

from .adopting import AdoptionError, adopt


def start_batch(*, user: Any, template_ids: list[int]) -> AdoptionBatch:
    batch = AdoptionBatch.objects.create(
        department=user.department,
        created_by=user,
        template_ids=sorted(set(template_ids)),
        total=len(set(template_ids)),
    )
    from adoption.tasks import run_adoption_batch

    transaction.on_commit(lambda: run_adoption_batch.enqueue(batch.pk))
    return batch


def run_batch(batch_id: int) -> AdoptionBatch:
    """Adopt each template in its own transaction, counting progress as it goes.

    One template that cannot be adopted is noted and skipped; the others go on.
    """
    batch = AdoptionBatch.objects.get(pk=batch_id)
    if batch.state == AdoptionBatch.State.FINISHED:
        return batch
    user = get_user_model().objects.select_related("department__region").get(pk=batch.created_by_id)
    AdoptionBatch.objects.filter(pk=batch_id).update(state=AdoptionBatch.State.RUNNING)
    templates = Template.objects.select_related("standard__item").in_bulk(batch.template_ids)
    for template_id in batch.template_ids:
        template = templates.get(template_id)
        problem = ""
        try:
            if template is None:
                raise AdoptionError("—")
            adopt(template=template, user=user)
        except AdoptionError as error:
            name = template.standard.item.name if template else str(template_id)
            problem = f"{name}: {error}"
        if problem:
            batch.problems.append(problem)
            AdoptionBatch.objects.filter(pk=batch_id).update(
                done=F("done") + 1, problems=batch.problems
            )
        else:
            AdoptionBatch.objects.filter(pk=batch_id).update(done=F("done") + 1)
    AdoptionBatch.objects.filter(pk=batch_id).update(state=AdoptionBatch.State.FINISHED)
    batch.refresh_from_db()
    return batch
