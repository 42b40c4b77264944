"""Forms for reference data edited by the national administrator."""

from __future__ import annotations

from django import forms

from jembatan.core.models import Occupation


class OccupationForm(forms.ModelForm[Occupation]):
    """The names of one occupation in each language."""

    class Meta:
        model = Occupation
        fields = ["name_id", "name_en", "name_ja"]
