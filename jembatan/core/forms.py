"""Forms for reference data edited by the national administrator."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jembatan.core.models import Occupation


class OccupationForm(forms.ModelForm[Occupation]):
    """The names of one occupation in each language."""

    class Meta:
        model = Occupation
        fields = ["name_id", "name_en", "name_ja"]


class SchemeRulesForm(forms.Form):
    """A new version of one programme's rules: the rules as CSV, the source, why, from when."""

    text = forms.CharField(
        label=_("Rules (CSV)"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_(
            "One rule a line, under the header line: kind (age, education, test, physical), "
            "condition (e.g. education=smk or sex=female), min, max, value, stage, name, "
            "Indonesian name, source."
        ),
    )
    source = forms.CharField(
        label=_("Source followed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where sources differ, say which one these rules follow."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )
