from django import forms
from django.utils.translation import gettext_lazy as _

from .services.flags import DISMISSAL_REASON_MAX


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the standard need no new version?"),
        max_length=DISMISSAL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for dismissing.")},
    )
