"""Forms of the registry. They validate and show errors; services write.

Every form that takes a NIK checks it the way the services do
(validation.check_identity): Excel-mangled numbers explained, birth date and
sex compared with what was declared, unknown regions as warnings.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jembatan.accounts.forms import check_new_password, new_password_fields
from jembatan.accounts.models import User
from jembatan.core.models import Region
from jembatan.core.nik import NikCheck
from jembatan.organisations.models import (
    ACTING_STATUSES,
    SENDING_KINDS,
    Organisation,
)
from jembatan.organisations.rules import ensure_can_act
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.fields import DETAILS, IDENTITY, SELF_REGISTERED, ParticipantDetails
from jembatan.participants.models import (
    ConsentPurpose,
    ConsentText,
    DuplicateFlag,
    JourneyStatus,
    Participant,
)
from jembatan.participants.selectors import participants_visible_to
from jembatan.participants.validation import (
    check_birth_date,
    check_identity,
    clean_passport_number,
    clean_phone,
    identity_errors,
    identity_warnings,
    nik_mismatch_refusal,
    nik_regency_today,
    regency_contradiction,
)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class RegencyChoiceField(forms.ModelChoiceField):
    """A regency or city, labelled with its province and code."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.parent.name} ({obj.code})"


def regencies() -> QuerySet[Region]:
    return Region.objects.filter(level__in=["regency", "city"]).select_related("parent")


def all_sending_organisations() -> QuerySet[Organisation]:
    """Every sending organisation: choosing one without a licence gets the licence's refusal."""
    return Organisation.objects.filter(
        kind__in=sorted(SENDING_KINDS), archived_at__isnull=True
    ).order_by("name")


def sending_organisations() -> QuerySet[Organisation]:
    """Sending organisations with a licence that lets them act today."""
    return (
        all_sending_organisations()
        .filter(
            licences__status__in=sorted(ACTING_STATUSES),
            licences__valid_to__gte=timezone.localdate(),
        )
        .distinct()
    )


def organisation_field(label: Any, help_text: Any) -> forms.ModelChoiceField:
    """Lists the licensed organisations; accepts any, so that an unlicensed one is explained."""
    field = forms.ModelChoiceField(
        queryset=all_sending_organisations(), required=False, label=label, help_text=help_text
    )
    field.widget.choices = [("", "---------")] + [(o.pk, o.name) for o in sending_organisations()]
    return field


class ParticipantForm(forms.ModelForm[Participant]):
    """The details a participant declares; NIK checked against birth date, sex and regions."""

    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,  # room for spaces and Excel shapes, so that we can explain them
        help_text=_("16 digits, as on the identity card (KTP)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    regency = RegencyChoiceField(
        queryset=regencies(),
        label=_("Regency/city"),
        required=False,
        help_text=_("Where the person lives. Left empty, it is taken from the NIK."),
    )
    regency_confirmed = forms.BooleanField(
        label=_("The person lives elsewhere than the regency/city of their NIK (they moved)"),
        required=False,
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    nik_mismatch_reason = forms.CharField(
        label=_("Why the NIK may disagree"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the NIK's birth date or sex part disagrees with the person's: a NIK is "
            "not reissued when the civil registry corrects them. Say what you checked (e.g. "
            "the KTP shows this NIK; the birth certificate shows the corrected date)."
        ),
    )
    passport_expiry = forms.DateField(
        label=_("Passport valid until"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    duplicate_message = _("This NIK is already registered.")
    # The public form answers a registered NIK like a new one (the service tells its holder).
    refuses_registered_nik = True
    # Staff confirm a NIK that disagrees with a reason; the public form does not ask (and does
    # not say): the record is flagged for an officer.
    asks_mismatch_reason = True

    class Meta:
        model = Participant
        fields = DETAILS
        widgets = {
            "sex": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812-3456-7890"}),
            "emergency_contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {"phone": _("Indonesian number, e.g. 0812-3456-7890.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nik_warnings: list[str] = []
        self.duplicate_nik: str | None = None
        self.fields["sex"].choices = self.fields["sex"].choices[1:]  # type: ignore[attr-defined]
        order = list(self.fields)
        order.remove("regency_confirmed")
        order.insert(order.index("regency") + 1, "regency_confirmed")
        order.remove("nik_mismatch_reason")
        order.insert(order.index("birth_date") + 1, "nik_mismatch_reason")
        self.order_fields(order)
        if not self.asks_mismatch_reason:
            del self.fields["nik_mismatch_reason"]
        elif self.instance.pk:
            self.initial.setdefault("nik_mismatch_reason", self.instance.nik_mismatch_reason)

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        check_birth_date(value)
        return value

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_emergency_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("emergency_contact_phone", ""))

    def clean_passport_number(self) -> str:
        return clean_passport_number(self.cleaned_data.get("passport_number", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "nik" in data:
            self._check_nik(data)
        if bool(data.get("passport_number")) != bool(data.get("passport_expiry")):
            self.add_error(
                "passport_expiry" if data.get("passport_number") else "passport_number",
                _("Give both the passport number and its expiry date, or neither."),
            )
        return data

    def _check_nik(self, data: dict[str, Any]) -> None:
        check = check_identity(data["nik"], birth_date=data.get("birth_date"), sex=data.get("sex"))
        for field_name, messages in identity_errors(check).items():
            self.add_error(field_name if field_name in self.fields else "nik", messages)
        if not check.ok or check.nik is None:
            return
        self._ask_mismatch_reason(check, data)
        data["nik"] = check.nik
        if not data.get("regency"):
            issued = Region.objects.filter(code=nik_regency_today(check.nik) or "").first()
            if issued is None:
                self.add_error("regency", _("Choose the regency/city where the person lives."))
            data["regency"] = issued
        else:
            moved = regency_contradiction(check.nik, data["regency"].code)
            if moved and not data.get("regency_confirmed"):
                self.add_error("regency", moved)
        self.nik_warnings = identity_warnings(check)
        others = Participant.objects.filter(nik=check.nik)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            self.duplicate_nik = check.nik
            if self.refuses_registered_nik:
                self.add_error("nik", self._registered_nik_error(others))

    def _ask_mismatch_reason(self, check: NikCheck, data: dict[str, Any]) -> None:
        """A NIK that disagrees with the birth date or sex needs a reason (staff forms only)."""
        if not check.to_confirm or not self.asks_mismatch_reason:
            return
        if (data.get("nik_mismatch_reason") or "").strip():
            return
        for field_name, errors in nik_mismatch_refusal(check).error_dict.items():
            self.add_error(field_name if field_name in self.fields else "nik", errors)

    def _registered_nik_error(self, holders: QuerySet[Participant]) -> ValidationError:
        return ValidationError(self.duplicate_message, code=ParticipantErrorCode.DUPLICATE_NIK)

    def validate_unique(self) -> None:
        """The NIK's uniqueness is checked in clean() with friendlier words (and by the DB)."""

    def details(self) -> ParticipantDetails:
        """The validated details, for the services."""
        return ParticipantDetails.from_cleaned(self.cleaned_data)


def _consent_field(label: Any) -> forms.BooleanField:
    return forms.BooleanField(
        label=label,
        error_messages={"required": _("Registration needs agreement to the privacy notice.")},
    )


class StaffRegistrationForm(ParticipantForm):
    """A sending organisation or an officer registers a candidate."""

    privacy_notice = forms.ModelChoiceField(
        queryset=ConsentText.objects.all(), widget=forms.HiddenInput
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)
    privacy_agreed = _consent_field(
        _("The candidate has read the privacy notice below and agrees to it.")
    )
    duplicate_message = _(
        "A participant with this NIK is already registered. Search the list by NIK "
        "to find the record, or correct the NIK."
    )

    not_accepted_message = _(
        "This NIK cannot be registered by you. Ask the candidate to contact their "
        "provincial manpower office (Disnaker) with their identity card."
    )

    class Meta(ParticipantForm.Meta):
        pass

    def __init__(
        self,
        *args: Any,
        organisation_choice: bool = False,
        registrar: Any = None,
        **kwargs: Any,
    ) -> None:
        self.registrar = registrar
        # The NIK of a record the registrar may not see, refused without saying why.
        self.hidden_holder_nik: str | None = None
        super().__init__(*args, **kwargs)
        if organisation_choice:
            self.fields["sending_organisation"] = organisation_field(
                _("Sending organisation"),
                _(
                    "Only organisations with an active licence are listed; leave empty for "
                    "a candidate of the government-to-government route."
                ),
            )
            self.order_fields(["sending_organisation"])

    def clean_sending_organisation(self) -> Organisation | None:
        return _acting_or_error(self.cleaned_data.get("sending_organisation"))

    def _registered_nik_error(self, holders: QuerySet[Participant]) -> ValidationError:
        """Inside the registrar's scope the record is named; outside it, nothing is said."""
        if (
            self.registrar is None
            or participants_visible_to(self.registrar).filter(pk__in=holders.values("pk")).exists()
        ):
            return super()._registered_nik_error(holders)
        self.hidden_holder_nik = self.duplicate_nik
        return ValidationError(
            self.not_accepted_message, code=ParticipantErrorCode.NIK_NOT_ACCEPTED
        )


# --- choosing how to sign in (self-registration, accepting an invitation) ------------


def username_field() -> forms.RegexField:
    """The username a person chooses to sign in with."""
    return forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]{4,150}$",
        help_text=_("4 or more letters, digits or . @ + - _; you sign in with it."),
        error_messages={"invalid": _("Use 4 or more letters, digits or . @ + - _ only.")},
    )


def free_username(username: str) -> str:
    """``username`` if no account has it (in any case), else a field error."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("This username is taken; choose another."), code=ParticipantErrorCode.USERNAME_TAKEN
        )
    return username


def check_passwords(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """The password rules of every password form (accounts/forms.py), for the new username."""
    check_new_password(form, data, User(username=data.get("username", "")))


class SelfRegistrationForm(ParticipantForm):
    """A person registers themselves and chooses how to sign in."""

    username = username_field()
    password1, password2 = new_password_fields()
    privacy_agreed = _consent_field(_("I have read the privacy notice below and agree to it."))
    # A field people never see: robots fill it in, and are refused.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    privacy_notice = forms.ModelChoiceField(
        queryset=ConsentText.objects.all(), widget=forms.HiddenInput
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)
    refuses_registered_nik = False
    asks_mismatch_reason = False

    class Meta(ParticipantForm.Meta):
        fields = SELF_REGISTERED

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sending_organisation"] = organisation_field(
            _("Sending organisation (optional)"),
            _("Only licensed organisations are listed. Leave empty if you have none yet."),
        )
        self.order_fields(
            [*self._meta.fields, "sending_organisation", "username", "password1", "password2"]  # type: ignore[misc]
        )

    def is_robot(self) -> bool:
        """The honeypot was filled in."""
        return bool(self.data.get("website"))

    def clean_username(self) -> str:
        return free_username(self.cleaned_data["username"])

    def clean_sending_organisation(self) -> Organisation | None:
        return _acting_or_error(self.cleaned_data.get("sending_organisation"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_passwords(self, data)
        return data


def _acting_or_error(organisation: Organisation | None) -> Organisation | None:
    """The organisation chosen, if its licence lets it act (the refusal is the licence's own)."""
    if organisation is not None:
        ensure_can_act(organisation)
    return organisation


def new_submission() -> uuid.UUID:
    """The hidden token that recognises a second submission of the same form."""
    return uuid.uuid4()


class EditForm(ParticipantForm):
    """An edit of the record made on a known version (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta(ParticipantForm.Meta):
        pass

    def __init__(self, *args: Any, identity_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if identity_locked:
            for name in IDENTITY:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Verified by an officer; only an officer may change it."
                )


class TransitionForm(forms.Form):
    """The next step of the journey and why."""

    to_status = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when withdrawing, rejecting, returning early or going back a step."),
    )

    def __init__(self, *args: Any, targets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(t, JourneyStatus(t).label) for t in targets]  # type: ignore[attr-defined]


class NikMismatchConfirmForm(forms.Form):
    """An officer's confirmation that a NIK may disagree with the birth date or sex, and why."""

    reason = forms.CharField(
        label=_("Why the NIK may disagree"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you checked: e.g. the KTP shows this NIK and the birth certificate shows the "
            "corrected date (a NIK is not reissued when a birth date or sex is corrected)."
        ),
    )


class VerifyIdentityForm(forms.Form):
    """An officer's statement that the identity was checked against the card."""

    checked = forms.BooleanField(
        label=_(
            "I compared the NIK, name, sex and date of birth with the identity card (KTP) "
            "or the population registry (Dukcapil)."
        )
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you checked, e.g. “KTP original seen at the Disnaker office”."),
    )


class DuplicateDecisionForm(forms.Form):
    """An officer's decision on one probable duplicate."""

    flag = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, flag: DuplicateFlag | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decision_choices(flag)  # type: ignore[attr-defined]


def decision_choices(flag: DuplicateFlag | None) -> list[tuple[str, Any]]:
    """Merge into either record, or dismiss; naming the records when the flag is known."""
    first = f"#{flag.participant_id}" if flag else ""
    second = f"#{flag.candidate_id}" if flag else ""
    return [
        (
            "keep_participant",
            _("Same person: keep record %(pk)s, archive the other") % {"pk": first},
        ),
        (
            "keep_candidate",
            _("Same person: keep record %(pk)s, archive the other") % {"pk": second},
        ),
        ("dismiss", _("Different people: dismiss the flag")),
    ]


class TransferForm(forms.Form):
    """The stated purpose of handing the full record to the participant's partner."""

    purpose = forms.CharField(
        label=_("Purpose of the transfer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "What the partner needs the full record for, e.g. 'visa application at the "
            "immigration office' or 'employment contract'. The participant can read this."
        ),
    )


class SignedConsentForm(forms.Form):
    """Staff record that the participant signed the transfer-abroad text shown."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    signed = forms.BooleanField(
        label=_("The participant signed this version of the text on paper"),
        required=True,
    )

    def __init__(self, *args: Any, current_version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_version = current_version
        self.fields["version"].initial = current_version

    def clean_version(self) -> int:
        version: int = self.cleaned_data["version"]
        if version != self.current_version:
            raise forms.ValidationError(
                _("The text was replaced by version %(v)d while you read it; read it again.")
                % {"v": self.current_version}
            )
        return version


class InviteForm(forms.Form):
    """How the invitation reaches the person: by e-mail, or as a link handed over."""

    send_email = forms.BooleanField(
        label=_("Also send the link to the e-mail address on the record"), required=False
    )


class AcceptInvitationForm(forms.Form):
    """The invited person proves their date of birth and chooses how to sign in."""

    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("As on your identity card (KTP)."),
    )
    username = username_field()
    password1, password2 = new_password_fields()

    def clean_username(self) -> str:
        return free_username(self.cleaned_data["username"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_passwords(self, data)
        return data


class ConsentTextForm(forms.Form):
    """A new version of a consent text, in both languages."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    title_id = forms.CharField(label=_("Title (Indonesian)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    body_id = forms.CharField(
        label=_("Text (Indonesian)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    body_en = forms.CharField(
        label=_("Text (English)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
