"""The editor's view of adoption: which fields are inherited (locked) and which are overridden."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from adoption.services.locks import lock_state

register = template.Library()


@register.inclusion_tag("adoption/_editor_state.html")
def adoption_state(page: Any) -> dict[str, Any]:
    """Mark the page's inherited inputs read-only and say so; a banner names the template.

    One query for a standard that adopts nothing, three for one that does. The
    save is refused by `adoption.services.locks.refuse_locked_changes` whatever
    the browser sends; marking the inputs only tells people before they type.
    """
    state = lock_state(page.version.standard_id)
    if not state.adopted:
        return {"adoption": None}
    locked = overridden = 0
    forms = list(page.forms.values())
    for formset in page.formsets.values():
        forms += [f for f in formset.forms if f.instance.pk is not None]
    for form in forms:
        row = str(form.instance.uid) if form.registry_group.repeats else ""
        if row and not state.is_inherited_row(row):
            continue  # a local row: an extension, the adopter's own
        for field_ in form.registry_group.fields:
            bound = form.fields.get(field_.attribute)
            if bound is None:
                continue
            if state.is_locked(field_.code, row):
                locked += 1
                bound.widget.attrs.update({"readonly": True, "aria-readonly": "true"})
                css = bound.widget.attrs.get("class", "")
                bound.widget.attrs["class"] = f"{css} adoption-locked bg-body-secondary".strip()
                note = _("Inherited from the template (locked).")
                bound.help_text = format_html(
                    '<span class="badge text-bg-secondary adoption-lock">{}</span> {}',
                    note,
                    bound.help_text or "",
                )
            else:
                overridden += 1
                bound.help_text = format_html(
                    '<span class="badge text-bg-info">{}</span> {}',
                    _("Overridden locally"),
                    bound.help_text or "",
                )
    return {"adoption": state.adoption, "locked": locked, "overridden": overridden}
