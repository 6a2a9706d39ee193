"""Everything one section page of the editor shows: forms, row formsets, choices, findings.

Reads a fixed number of queries whatever the number of rows: one per group
of the section, one for the section's references, one per referenced group
for the picker choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from standards.diff import Change
from standards.forms.content import ContentForm, RowFormSet, form_class_for, formset_class_for
from standards.models import StandardVersion
from standards.registry import REGISTRY, FieldType, Group, Section
from standards.services.editing import SectionInput, read_base, section_state, sign_base
from standards.snapshot import References, load_references

# What a picker shows for a row of a referenced group (first found wins).
REF_LABEL_FIELDS = {
    "legal_basis": ("law_name", "article_number"),
    "material": ("name",),
    "document": ("name",),
    "post": ("post_name",),
    "fee_item": ("name", "standard"),
}


@dataclass
class SectionPage:
    version: StandardVersion
    section: Section
    forms: dict[str, ContentForm] = field(default_factory=dict)
    formsets: dict[str, RowFormSet] = field(default_factory=dict)
    ref_choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    uid_to_pk: dict[str, dict[str, int]] = field(default_factory=dict)
    base_token: str = ""
    conflict: list[Change] | None = None

    def __post_init__(self) -> None:
        self.groups: list[Group] = list(self.section.groups)
        self._load_choices()

    # Building --------------------------------------------------------------

    def _load_choices(self) -> None:
        targets = sorted(
            {f.ref_group for g in self.groups for f in g.fields if f.type is FieldType.REF}
        )
        for target in targets:
            rows = list(REGISTRY.group(target).model._default_manager.filter(version=self.version))
            self.ref_choices[target] = [
                (str(r.uid), _row_label(target, r, i)) for i, r in enumerate(rows)
            ]
            self.uid_to_pk[target] = {str(r.uid): r.pk for r in rows}

    def build(
        self, data: Any = None, files: Any = None, *, only_row: tuple[str, int] | None = None
    ) -> SectionPage:
        """The forms of every group; with `only_row` (group, row id), that group's
        formset holds that row alone (one folded row's inputs, without building
        every other row's form)."""
        references = load_references(self.version, self.groups)
        for group in self.groups:
            queryset = group.model._default_manager.filter(version=self.version)
            if only_row is not None and only_row[0] == group.name:
                queryset = queryset.filter(pk=only_row[1])
            if group.repeats:
                formset = formset_class_for(group.name)(
                    data, files, queryset=queryset, prefix=group.name,
                    form_kwargs={"ref_choices": self.ref_choices},
                )  # fmt: skip
                for form in formset.forms:
                    _set_ref_initial(form, references)
                    self._link_files(form)
                self.formsets[group.name] = formset
            else:
                instance = queryset.first() or group.model(version=self.version)
                form = form_class_for(group.name)(
                    data, files, instance=instance, prefix=group.name, ref_choices=self.ref_choices
                )
                _set_ref_initial(form, references)
                self._link_files(form)
                self.forms[group.name] = form
        if data is None and only_row is None:
            self.base_token = sign_base(self._state_from_forms(references))
        return self

    def _state_from_forms(self, references: References) -> dict[str, Any]:
        # Same shape as services.editing.section_state, from what is loaded already.
        from standards.snapshot import values_of

        state: dict[str, Any] = {}
        for group in self.groups:
            if group.repeats:
                state[group.name] = [
                    {"row_id": str(f.instance.uid), **values_of(f.instance, group, references)}
                    for f in self.formsets[group.name].forms
                ]
            else:
                instance = self.forms[group.name].instance
                state[group.name] = values_of(instance if instance.pk else None, group, references)
        return state

    def _link_files(self, form: ContentForm) -> None:
        if form.instance.pk is None:
            return
        row = str(form.instance.uid) if form.registry_group.repeats else "-"
        for field_ in form.registry_group.fields:
            if field_.type is FieldType.FILE and getattr(form.instance, field_.attribute):
                form.fields[field_.attribute].widget.download_url = reverse(
                    "standards:file", args=[self.version.pk, field_.code, row]
                )

    def refresh_base(self) -> None:
        """After a conflict: the next save is based on what is stored now."""
        self.base_token = sign_base(section_state(self.version, self.section))

    # Posting ---------------------------------------------------------------

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in self.forms.values()]
        results += [fs.is_valid() for fs in self.formsets.values()]
        return all(results)

    def validated_input(self) -> SectionInput:
        return SectionInput(forms=self.forms, formsets=self.formsets)

    @staticmethod
    def base_from(token: str) -> dict[str, Any] | None:
        return read_base(token)

    # Findings --------------------------------------------------------------

    def annotate(self, findings: list[Any]) -> None:
        """Show each rule finding under the input it concerns (escaped, then marked safe)."""
        for finding in findings:
            for code in finding.codes:
                field_ = REGISTRY[code]
                if field_.group not in {g.name for g in self.groups}:
                    continue
                for form in self._forms_for(field_.group, finding.row_id):
                    bound = form.fields.get(field_.attribute)
                    if bound is None:
                        continue
                    level = "danger" if finding.severity == "blocking" else "warning"
                    bound.help_text = format_html(
                        '{}<span class="finding d-block text-{}" role="note">{} {}</span>',
                        bound.help_text or "",
                        level,
                        finding.rule_id,
                        finding.message,
                    )
                    css = bound.widget.attrs.get("class", "")
                    bound.widget.attrs["class"] = f"{css} border-{level}".strip()
                    form.has_findings = True

    def _forms_for(self, group: str, row_id: str | None) -> list[ContentForm]:
        if group in self.forms:
            return [self.forms[group]]
        formset = self.formsets.get(group)
        if formset is None:
            return []
        return [f for f in formset.forms if row_id is None or str(f.instance.uid) == row_id]


def _set_ref_initial(form: ContentForm, references: References) -> None:
    for ref in form.ref_fields():
        uids = references.get((ref.code, form.instance.pk), []) if form.instance.pk else []
        form.initial[ref.attribute] = uids


def _row_label(group: str, row: Any, index: int) -> str:
    parts = [
        getattr(row, name) for name in REF_LABEL_FIELDS.get(group, ()) if getattr(row, name, "")
    ]
    text = " ".join(str(p) for p in parts) or "—"
    return f"{index + 1}. {text}"
