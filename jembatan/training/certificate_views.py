"""Certificate pages, the public verification page, the feedback loop, the units."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jembatan.core.access import allow, public, role_of
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.participants.selectors import own_participant
from jembatan.training.forms import (
    CompetencyCertificateForm,
    CompetencyUnitForm,
    ReasonForm,
    VerifyForm,
)
from jembatan.training.models import CompetencyUnit
from jembatan.training.pdf import render_certificate_pdf, verification_url
from jembatan.training.rules import (
    EDIT_UNITS,
    RUN_TRAINING,
    SEE_OUTCOMES,
    SEE_TRAINING,
    runs,
)
from jembatan.training.selectors import (
    batch_for,
    certificate_by_number_and_holder,
    certificate_by_token,
    certificate_for,
    enrolment_for,
    outcomes_for,
    units_in_use,
)
from jembatan.training.services.certification import certificate_revoke
from jembatan.training.services.competency import competency_certificate_record
from jembatan.training.services.programmes import competency_unit_save

SEE_CERTIFICATES = SEE_TRAINING | {Role.PARTICIPANT}


@allow(SEE_CERTIFICATES)
def certificate_detail(request: HttpRequest, certificate_pk: int) -> HttpResponse:
    """A certificate as its holder's officials (and the holder) see it."""
    certificate = certificate_for(request.user, certificate_pk)
    if role_of(request.user) != Role.PARTICIPANT:
        record_access(
            acting_user=request.user,
            purpose="training.certificate",
            instance=certificate,
            request=request,
        )
    return TemplateResponse(
        request,
        "training/certificate_detail.html",
        {
            "certificate": certificate,
            "verify_url": verification_url(certificate, request),
            "may_revoke": runs(request.user, certificate.issuer) and not certificate.is_revoked,
            "form": ReasonForm(),
        },
    )


@allow(SEE_CERTIFICATES)
def certificate_pdf(request: HttpRequest, certificate_pk: int) -> HttpResponse:
    """The certificate as PDF, rendered from what was frozen at issue."""
    certificate = certificate_for(request.user, certificate_pk)
    if certificate.issuer_licence_number:  # an LSP's certificate: it printed its own
        raise Http404
    if role_of(request.user) != Role.PARTICIPANT:
        record_access(
            acting_user=request.user,
            purpose="training.certificate_pdf",
            instance=certificate,
            request=request,
        )
    pdf = render_certificate_pdf(certificate, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = certificate.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@allow(RUN_TRAINING)
def certificate_revoke_view(request: HttpRequest, certificate_pk: int) -> HttpResponse:
    """Revoke a certificate with the reason (issuer or ministry)."""
    certificate = certificate_for(request.user, certificate_pk)
    if not runs(request.user, certificate.issuer):
        raise PermissionDenied
    record_access(
        acting_user=request.user,
        purpose="training.certificate",
        instance=certificate,
        request=request,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revoked = attempt(
            request,
            None,
            lambda: certificate_revoke(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            ),
        )
        if revoked is not None:
            messages.success(request, _("The certificate has been revoked."))
        return redirect("training:certificate", certificate_pk=certificate.pk)
    return TemplateResponse(
        request, "training/certificate_detail.html", {"certificate": certificate, "form": form}
    )


@allow(RUN_TRAINING)
def competency_record(request: HttpRequest, batch_pk: int, enrolment_pk: int) -> HttpResponse:
    """Record the competency certificate an LSP issued to a participant certified here."""
    batch = batch_for(request.user, batch_pk)
    if not runs(request.user, batch.programme.organisation):
        raise PermissionDenied
    enrolment = enrolment_for(request.user, batch, enrolment_pk)
    record_access(
        acting_user=request.user,
        purpose="training.competency_record",
        instance=enrolment.participant,
        request=request,
    )
    form = CompetencyCertificateForm(request.POST or None, programme=batch.programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        certificate = attempt(
            request,
            form,
            lambda: competency_certificate_record(
                enrolment=enrolment,
                lsp=data["lsp"],
                number=data["number"],
                unit_codes=data["units"],
                issued_on=data["issued_on"],
                valid_until=data["valid_until"],
                acting_user=request.user,
            ),
        )
        if certificate is not None:
            messages.success(request, _("The LSP's competency certificate is recorded."))
            return redirect("training:certificate", certificate_pk=certificate.pk)
    return TemplateResponse(
        request,
        "training/record_form.html",
        {
            "form": form,
            "batch": batch,
            "enrolment": enrolment,
            "title": _("Competency certificate (LSP)"),
        },
    )


@allow(Role.PARTICIPANT)
def my_certificates(request: HttpRequest) -> HttpResponse:
    """The signed-in participant's certificates."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    return TemplateResponse(
        request,
        "training/my_certificates.html",
        {"certificates": participant.certificates.select_related("issuer")},
    )


@never_cache
@public
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate by the number and name printed on it."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        found = certificate_by_number_and_holder(
            form.cleaned_data["number"], form.cleaned_data["holder"]
        )
        if found is not None:
            return redirect("verify:certificate", token=found.token)
        form.add_error(
            None,
            _(
                "No certificate issued through Jembatan has this number and this holder's "
                "name. Check both as printed on the certificate; a certificate that cannot be "
                "found here was not issued through Jembatan."
            ),
        )
    return TemplateResponse(request, "training/verify_lookup.html", {"form": form})


@public
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone checks a certificate: name, certificate, date, issuer, status. Nothing else."""
    certificate = certificate_by_token(token)
    return TemplateResponse(request, "training/verify.html", {"certificate": certificate})


@allow(SEE_OUTCOMES)
def outcomes(request: HttpRequest) -> HttpResponse:
    """How the centre's graduates fare later: selected, departed, completed."""
    return TemplateResponse(
        request, "training/outcomes.html", {"outcomes": outcomes_for(request.user)}
    )


@allow(SEE_TRAINING)
def units(request: HttpRequest) -> HttpResponse:
    """The SKKNI units programmes are built from."""
    return TemplateResponse(
        request,
        "training/units.html",
        {"units": units_in_use(), "may_edit": role_of(request.user) in EDIT_UNITS},
    )


@allow(EDIT_UNITS)
def unit_edit(request: HttpRequest, unit_pk: int | None = None) -> HttpResponse:
    """Add a unit, or correct one (national administrator)."""
    unit = get_object_or_404(CompetencyUnit, pk=unit_pk) if unit_pk else None
    initial = (
        {f: getattr(unit, f) for f in ("code", "title_id", "title_en", "title_ja", "hours")}
        if unit
        else None
    )
    form = CompetencyUnitForm(request.POST or None, initial=initial)
    if unit is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            form,
            lambda: competency_unit_save(acting_user=request.user, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("The competency unit has been saved."))
            return redirect("training:units")
    return TemplateResponse(request, "training/unit_form.html", {"form": form, "unit": unit})
