"""Forms for handing in, deciding on and revising documents. They validate input only;
the content checks and every write happen in :mod:`jembatan.documents.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jembatan.core.models import Region
from jembatan.core.uploads import ACCEPTED_TYPES, TYPE_LABELS
from jembatan.documents.models import DocumentRequirement, Route, Stage
from jembatan.organisations.models import SENDING_KINDS, Organisation

MB = 1024 * 1024


class UploadForm(forms.Form):
    """One file for one checklist line."""

    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, requirement: DocumentRequirement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = _("%(types)s, at most %(mb)s MB. Checked by its content.") % {
            "types": requirement.accepted_labels,
            "mb": requirement.max_size_mb,
        }
        # A hint for the browser's file picker only; the server judges the content.
        field.widget.attrs["accept"] = ",".join(requirement.accepted_types)


class RejectForm(forms.Form):
    """Why a document is refused, in words the participant can act on."""

    reason = forms.CharField(
        label=_("Reason"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The participant sees this reason. Say what to fix."),
    )


class RequirementForm(forms.Form):
    """The editable parts of a checklist line; saving opens a new version."""

    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=150)
    name_en = forms.CharField(label=_("Name (English)"), max_length=150)
    guidance_id = forms.CharField(
        label=_("Guidance (Indonesian)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidance_en = forms.CharField(
        label=_("Guidance (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needed_for = forms.ChoiceField(label=_("Needed for"))
    required = forms.BooleanField(label=_("Required for everyone"), required=False)
    required_below_age = forms.IntegerField(
        label=_("Required below age"), required=False, min_value=1, max_value=99
    )
    sensitive = forms.BooleanField(
        label=_("Specific (sensitive) personal data: health or criminal record"), required=False
    )
    accepted_types = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        choices=[(t, TYPE_LABELS[t]) for t in ACCEPTED_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )
    max_size_mb = forms.IntegerField(label=_("Maximum size (MB)"), min_value=1, max_value=20)
    reason = forms.CharField(label=_("Reason for the change"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["needed_for"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = DocumentRequirement._meta.get_field("needed_for").choices or []

    @classmethod
    def initial_for(cls, requirement: DocumentRequirement) -> dict[str, Any]:
        """The form's starting values: the current version of the line."""
        names = [n for n in cls.base_fields if n not in {"max_size_mb", "reason"}]
        initial = {n: getattr(requirement, n) for n in names}
        return {**initial, "max_size_mb": requirement.max_size_bytes // MB}

    def values(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        data["max_size_bytes"] = data.pop("max_size_mb") * MB
        data.pop("reason")
        return data


class QueueFilterForm(forms.Form):
    """Narrow the verification queue to a province and a sending organisation."""

    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Region.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Sending organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces: Any = self.fields["province"]
        provinces.queryset = Region.objects.filter(level="province").order_by("name")
        if getattr(user, "province_id", None):  # a provincial officer works in one province
            provinces.queryset = provinces.queryset.filter(pk=user.province_id)
        organisations: Any = self.fields["organisation"]
        organisations.queryset = Organisation.objects.filter(
            kind__in=sorted(SENDING_KINDS), archived_at__isnull=True
        ).order_by("name")


class DocumentTypeForm(forms.Form):
    """A new document type, and optionally its line on one route's checklist."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=30,
        help_text=_("Lower-case letters, digits and underscores; it never changes."),
    )
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=150)
    name_en = forms.CharField(label=_("Name (English)"), max_length=150)
    basis = forms.CharField(
        label=_("Basis or source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The regulation or announcement that asks for this document."),
    )
    sensitive = forms.BooleanField(
        label=_("Specific (sensitive) personal data: health or criminal record"), required=False
    )
    route = forms.ChoiceField(
        label=_("Add to the checklist of"),
        required=False,
        choices=[("", _("no route yet")), *Route.choices],
    )
    needed_for = forms.ChoiceField(label=_("Needed for"), choices=Stage.choices)
    required = forms.BooleanField(label=_("Required for everyone"), required=False, initial=True)
