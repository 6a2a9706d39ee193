"""Registering a webhook subscription."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from standards.models import Department

from .models import WebhookSubscription
from .targets import TargetRefused, check_url


class SubscriptionForm(forms.ModelForm):
    """URL and description; administrators also choose the department (or all)."""

    class Meta:
        model = WebhookSubscription
        fields = ["url", "description", "department"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}

    def __init__(self, *args: Any, administrator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if administrator:
            field = cast(forms.ModelChoiceField, self.fields["department"])
            field.queryset = Department.objects.filter(kind=Department.Kind.DEPARTMENT)
            field.empty_label = str(_("All departments"))
        else:
            del self.fields["department"]
        self.fields["url"].help_text = _(
            "An HTTPS address on the public Internet. Each publication is POSTed to it "
            "as signed JSON."
        )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            check_url(url)
        except TargetRefused as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from refusal
        return url
