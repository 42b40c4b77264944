"""The only writers of rounds, stages, impact assessments and candidacies. Each change is audited.

National staff set a round up (stages from the reference data, the impact
assessment), open it and may cancel it. Officers (national and provincial)
enrol candidates of their registry scope and withdraw them. Scores have their
own services in :mod:`jembatan.selection.scoring`.

Journey: enrolment moves a participant *verified*/*certified* → *in selection*
(``Candidacy.status_before`` keeps where they came from); a withdrawal or a
cancelled round moves them back there, with the reason. A failed stage does
not move the journey at once (a correction may undo it): closing the round does
(:func:`jembatan.selection.services.ranking.round_close`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.roles import STAFF, Role
from jembatan.core.transitions import TransitionRefused
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.locks import lock_participants
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.services.registry import journey_action_to, participant_transition
from jembatan.participants.workflows import JourneyAction
from jembatan.selection import selectors
from jembatan.selection.errors import SelectionErrorCode
from jembatan.selection.locks import lock_candidacy, lock_round_stage, lock_selection_round
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    EnteredBy,
    ImpactAssessment,
    RoundStage,
    RoundStatus,
    Scoring,
    SelectionRound,
    StageType,
)
from jembatan.selection.workflows import (
    CANDIDACY_WORKFLOW,
    ROUND_WORKFLOW,
    CandidacyAction,
    RoundAction,
)
from jembatan.training.models import Programme

ROUND_FIELDS = ("name", "partner_id", "programme_id", "status", "status_reason", "version")
STAGE_FIELDS = ("position", "stage_type_id", "scoring", "max_score", "pass_mark", "weight")
IMPACT_FIELDS = (
    "purpose",
    "data_used",
    "protected_attributes",
    "risks",
    "mitigations",
    "legal_basis",
)
EXAMINER_ROLES = STAFF | {Role.PARTNER}


def _audit(
    acting_user: Any, name: str, instance: Any, action: str, changes: Any, reason: str = ""
) -> None:
    record_change(
        acting_user=acting_user,
        operation=f"selection.{name}",
        instance=instance,
        action=action,
        changes=changes,
        reason=reason,
    )


def _ensure_manager(acting_user: Any) -> None:
    if not selectors.may_manage(acting_user):
        raise PermissionDenied(_("Only national officers set up selection rounds."))


def bump_version(selection_round: SelectionRound) -> None:
    """Something that affects the ranking changed: stale forms will be refused."""
    SelectionRound.objects.filter(pk=selection_round.pk).update(version=F("version") + 1)


def _ensure_status(selection_round: SelectionRound, allowed: Iterable[str], message: str) -> None:
    if selection_round.status not in allowed:
        raise ValidationError(message % {"status": selection_round.get_status_display()})


def _check_move(selection_round: SelectionRound, action: RoundAction, message: str) -> None:
    """The round table's check, refused in the words of ``message`` (with its status)."""
    ROUND_WORKFLOW.check(
        selection_round.status,
        action,
        refusal=lambda: TransitionRefused(
            message % {"status": selection_round.get_status_display()}
        ),
    )


def _ensure_draft(selection_round: SelectionRound) -> None:
    _ensure_status(
        selection_round,
        [RoundStatus.DRAFT],
        _("The round is “%(status)s”: its stages can be changed only while it is being set up."),
    )


# --- rounds ------------------------------------------------------------------------------


def _check_round_fields(name: str, partner: Organisation, programme: Programme | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the round a name.")})
    if partner.kind != OrganisationKind.PARTNER or partner.archived_at is not None:
        raise ValidationError({"partner": _("Choose a partner abroad that is in the register.")})
    if programme is not None and programme.archived_at is not None:
        raise ValidationError({"programme": _("The training programme is archived.")})
    return name


@transaction.atomic
def round_create(
    *, name: str, partner: Organisation, programme: Programme | None, acting_user: Any
) -> SelectionRound:
    """A new round being set up for ``partner`` (and optionally a training programme)."""
    _ensure_manager(acting_user)
    name = _check_round_fields(name, partner, programme)
    created = SelectionRound.objects.create(
        name=name, partner=partner, programme=programme, created_by=acting_user
    )
    _audit(
        acting_user, "round_create", created, "create", diff({}, snapshot(created, ROUND_FIELDS))
    )
    return created


@transaction.atomic
def round_update(
    *,
    selection_round: SelectionRound,
    name: str,
    partner: Organisation,
    programme: Programme | None,
    acting_user: Any,
) -> SelectionRound:
    """Change a round's name, partner or programme while it is being set up."""
    _ensure_manager(acting_user)
    locked = lock_selection_round(selection_round.pk)
    _ensure_status(
        locked,
        [RoundStatus.DRAFT],
        _("The round is “%(status)s”: only a round being set up can be changed."),
    )
    before = snapshot(locked, ROUND_FIELDS)
    locked.name = _check_round_fields(name, partner, programme)
    locked.partner, locked.programme = partner, programme
    locked.version += 1
    locked.save(update_fields=["name", "partner", "programme", "version"])
    _audit(
        acting_user, "round_update", locked, "update", diff(before, snapshot(locked, ROUND_FIELDS))
    )
    return locked


def opening_blockers(selection_round: SelectionRound) -> list[str]:
    """What stands between a draft round and opening it, in words (empty: ready)."""
    stages = selectors.stages_of(selection_round)
    missing = []
    if not stages:
        missing.append(_("Add at least one stage."))
    if not ImpactAssessment.objects.filter(round=selection_round).exists():
        missing.append(_("Record the impact assessment (UU PDP) of the round's scoring."))
    scored = [s for s in stages if s.scoring == Scoring.SCORE]
    if scored and not any(s.weight > 0 for s in scored):
        missing.append(
            _("Give at least one scored stage a weight above 0: the final score is weighted.")
        )
    for stage in stages:
        if stage.entered_by == EnteredBy.EXAMINER and not stage.examiners.all():
            missing.append(
                _("Assign an examiner to “%(stage)s”: only its examiners enter its results.")
                % {"stage": stage.stage_type}
            )
    return missing


@transaction.atomic
def round_open(*, selection_round: SelectionRound, acting_user: Any) -> SelectionRound:
    """Open a draft round for scoring; refused with the list of what is missing."""
    _ensure_manager(acting_user)
    locked = lock_selection_round(selection_round.pk)
    _check_move(locked, RoundAction.OPEN, _("The round is “%(status)s”; only a draft round opens."))
    missing = opening_blockers(locked)
    if missing:
        raise ValidationError(
            [_("The round cannot open yet:"), *missing], code=SelectionErrorCode.NOT_READY
        )
    before = snapshot(locked, ROUND_FIELDS)
    locked.status, locked.opened_at = RoundStatus.OPEN, timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "opened_at", "version"])
    _audit(
        acting_user,
        "round_open",
        locked,
        "transition",
        diff(before, snapshot(locked, ROUND_FIELDS)),
    )
    return locked


@transaction.atomic
def round_cancel(
    *, selection_round: SelectionRound, reason: str, acting_user: Any
) -> SelectionRound:
    """Cancel a draft or open round; every candidate still in it returns to where they were."""
    _ensure_manager(acting_user)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the round is cancelled.")})
    locked = lock_selection_round(selection_round.pk)
    _check_move(
        locked,
        RoundAction.CANCEL,
        _("The round is “%(status)s”; only a round being set up or open can be cancelled."),
    )
    before = snapshot(locked, ROUND_FIELDS)
    locked.status, locked.status_reason = RoundStatus.CANCELLED, reason
    locked.closed_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "status_reason", "closed_at", "version"])
    stop = _("The round was cancelled: %(reason)s") % {"reason": reason}
    for candidacy in locked.candidacies.exclude(status=CandidacyStatus.WITHDRAWN):
        _release(candidacy, stop, acting_user, withdraw=candidacy.status != CandidacyStatus.FAILED)
    _audit(
        acting_user,
        "round_cancel",
        locked,
        "transition",
        diff(before, snapshot(locked, ROUND_FIELDS)),
        reason,
    )
    return locked


# --- stages ------------------------------------------------------------------------------


def check_scale(
    scoring: str, max_score: Decimal | None, pass_mark: Decimal | None, weight: Decimal
) -> None:
    """Refuse a scale that does not fit the marking (the database constraint, in words)."""
    if weight < 0 or weight > 100:
        raise ValidationError({"weight": _("The weight is a number from 0 to 100.")})
    if scoring == Scoring.PASS_FAIL:
        if weight != 0:
            raise ValidationError(
                {"weight": _("A pass/fail stage has no score to weigh: set its weight to 0.")}
            )
        return
    if max_score is None or max_score <= 0:
        raise ValidationError({"max_score": _("Give the maximum score, a number above 0.")})
    if pass_mark is None or pass_mark < 0:
        raise ValidationError({"pass_mark": _("Give the pass mark, a number from 0.")})
    if pass_mark > max_score:
        raise ValidationError(
            {
                "pass_mark": _("The pass mark (%(mark)s) cannot be above the maximum (%(max)s).")
                % {"mark": pass_mark, "max": max_score}
            }
        )


def _scale(
    scoring: str, max_score: Decimal | None, pass_mark: Decimal | None, weight: Decimal
) -> tuple[Decimal | None, Decimal | None, Decimal]:
    if scoring == Scoring.PASS_FAIL:
        return None, None, Decimal(0)
    return max_score, pass_mark, weight


def _check_stage_type(selection_round: SelectionRound, stage_type: StageType) -> None:
    """A type still in use, and not in the round yet."""
    if not stage_type.active:
        raise ValidationError({"stage_type": _("This stage type is no longer in use.")})
    if selection_round.stages.filter(stage_type=stage_type).exists():
        message = _("The round already has the stage “%(stage)s”.") % {"stage": stage_type}
        raise ValidationError({"stage_type": message})


@transaction.atomic
def stage_add(
    *,
    selection_round: SelectionRound,
    stage_type: StageType,
    max_score: Decimal | None,
    pass_mark: Decimal | None,
    weight: Decimal,
    acting_user: Any,
) -> RoundStage:
    """Add a stage of ``stage_type`` at the end; marking and who enters results are copied."""
    _ensure_manager(acting_user)
    locked = lock_selection_round(selection_round.pk)
    _ensure_draft(locked)
    _check_stage_type(locked, stage_type)
    if stage_type.scoring == Scoring.SCORE:
        max_score = max_score if max_score is not None else stage_type.default_max_score
        pass_mark = pass_mark if pass_mark is not None else stage_type.default_pass_mark
    check_scale(stage_type.scoring, max_score, pass_mark, weight)
    max_score, pass_mark, weight = _scale(stage_type.scoring, max_score, pass_mark, weight)
    last = locked.stages.aggregate(m=Max("position"))["m"] or 0
    stage = RoundStage.objects.create(
        round=locked,
        position=last + 1,
        stage_type=stage_type,
        scoring=stage_type.scoring,
        max_score=max_score,
        pass_mark=pass_mark,
        weight=weight,
        entered_by=stage_type.entered_by,
    )
    bump_version(locked)
    _audit(acting_user, "stage_add", stage, "create", diff({}, snapshot(stage, STAGE_FIELDS)))
    return stage


@transaction.atomic
def stage_update(
    *,
    stage: RoundStage,
    max_score: Decimal | None,
    pass_mark: Decimal | None,
    weight: Decimal,
    acting_user: Any,
) -> RoundStage:
    """Change a draft round's stage scale: maximum, pass mark, weight."""
    _ensure_manager(acting_user)
    _ensure_draft(lock_selection_round(stage.round_id))
    locked = lock_round_stage(stage.pk)
    check_scale(locked.scoring, max_score, pass_mark, weight)
    before = snapshot(locked, STAGE_FIELDS)
    locked.max_score, locked.pass_mark, locked.weight = _scale(
        locked.scoring, max_score, pass_mark, weight
    )
    locked.save(update_fields=["max_score", "pass_mark", "weight"])
    bump_version(locked.round)
    _audit(
        acting_user, "stage_update", locked, "update", diff(before, snapshot(locked, STAGE_FIELDS))
    )
    return locked


@transaction.atomic
def stage_move(*, stage: RoundStage, direction: str, acting_user: Any) -> RoundStage:
    """Swap a draft round's stage with the one before (``up``) or after (``down``) it."""
    _ensure_manager(acting_user)
    _ensure_draft(lock_selection_round(stage.round_id))
    locked = RoundStage.objects.get(pk=stage.pk)
    siblings = RoundStage.objects.filter(round_id=locked.round_id)
    if direction == "up":
        other = siblings.filter(position__lt=locked.position).order_by("-position").first()
    elif direction == "down":
        other = siblings.filter(position__gt=locked.position).order_by("position").first()
    else:
        raise ValidationError(_("Move a stage “up” or “down”."))
    if other is None:
        raise ValidationError(_("The stage is already at that end of the order."))
    mine, theirs = locked.position, other.position
    _set_position(locked, 0)  # free the slot: (round, position) is unique
    _set_position(other, mine)
    _set_position(locked, theirs)
    bump_version(locked.round)
    _audit(
        acting_user, "stage_move", locked, "update", {"position": {"before": mine, "after": theirs}}
    )
    return locked


def _set_position(stage: RoundStage, position: int) -> None:
    stage.position = position
    stage.save(update_fields=["position"])


@transaction.atomic
def stage_remove(*, stage: RoundStage, acting_user: Any) -> SelectionRound:
    """Remove a stage from a draft round (no results exist yet); the others close ranks.

    Returns the round, whose stages are renumbered.
    """
    _ensure_manager(acting_user)
    selection_round = lock_selection_round(stage.round_id)
    _ensure_draft(selection_round)
    locked = RoundStage.objects.get(pk=stage.pk)
    _audit(acting_user, "stage_remove", locked, "update", diff(snapshot(locked, STAGE_FIELDS), {}))
    locked.delete()
    for number, rest in enumerate(selection_round.stages.order_by("position"), start=1):
        if rest.position != number:
            _set_position(rest, number)
    bump_version(selection_round)
    return selection_round


def examiner_choices() -> Any:
    """Users who may be assigned as examiners: active officials and partner users."""
    from jembatan.accounts.models import User

    return User.objects.filter(is_active=True, role__in=list(EXAMINER_ROLES)).order_by(
        "first_name", "last_name", "username"
    )


@transaction.atomic
def stage_set_examiners(
    *, stage: RoundStage, examiners: Iterable[Any], acting_user: Any
) -> RoundStage:
    """Name who examines a stage (a draft or open round: an examiner may be replaced)."""
    _ensure_manager(acting_user)
    selection_round = lock_selection_round(stage.round_id)
    _ensure_status(
        selection_round,
        selectors.LIVE,
        _("The round is “%(status)s”: its examiners can no longer change."),
    )
    chosen = sorted({user.pk for user in examiners})
    allowed = set(examiner_choices().filter(pk__in=chosen).values_list("pk", flat=True))
    if set(chosen) - allowed:
        raise ValidationError(
            {"examiners": _("Examiners are active officials or partner users; choose again.")}
        )
    before = sorted(stage.examiners.values_list("pk", flat=True))
    stage.examiners.set(chosen)
    _audit(
        acting_user,
        "stage_set_examiners",
        stage,
        "update",
        {"examiners": {"before": before, "after": chosen}},
    )
    return stage


# --- impact assessment -----------------------------------------------------------------


@transaction.atomic
def impact_assessment_save(
    *, selection_round: SelectionRound, fields: Mapping[str, str], acting_user: Any
) -> ImpactAssessment:
    """Record or revise the round's impact assessment (UU PDP); who and when are kept."""
    _ensure_manager(acting_user)
    locked = lock_selection_round(selection_round.pk)
    _ensure_status(
        locked,
        selectors.LIVE,
        _("The round is “%(status)s”: its impact assessment is final."),
    )
    values = {name: str(fields.get(name, "")).strip() for name in IMPACT_FIELDS}
    empty = {
        name: _("This part of the assessment is required.") for name, v in values.items() if not v
    }
    if empty:
        raise ValidationError(empty)
    found = ImpactAssessment.objects.filter(round=locked).first()
    before = snapshot(found, IMPACT_FIELDS) if found else {}
    assessment = found or ImpactAssessment(round=locked)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.assessed_by, assessment.assessed_at = acting_user, timezone.now()
    assessment.save()
    action = "update" if found else "create"
    _audit(
        acting_user,
        "impact_assessment_save",
        assessment,
        action,
        diff(before, snapshot(assessment, IMPACT_FIELDS)),
    )
    return assessment


# --- candidacies ------------------------------------------------------------------------


def _enrolment_refusal(person: Participant, eligible: set[int]) -> str | None:
    if person.pk in eligible:
        return None
    if person.archived_at is not None:
        return _("%(name)s: the record is archived (merged into another one).")
    if person.status not in selectors.ENTRY_STATUSES:
        return _("%(name)s is “%(status)s”: only verified or certified participants enter a round.")
    return _("%(name)s is already in this round or in another round that is still running.")


@transaction.atomic
def candidacy_enrol(
    *, selection_round: SelectionRound, participants: Iterable[Participant], acting_user: Any
) -> list[Candidacy]:
    """Enrol participants in a draft or open round: all of them, or none with the reasons.

    Each must be in ``acting_user``'s registry scope, verified or certified, not archived,
    not in this round before and not held by another live round. Side effects per
    person: the journey moves to *in selection* (participant_transition), a
    candidacy keeps the status before, change records.
    """
    if not selectors.may_enrol(acting_user):
        raise PermissionDenied(_("Only officers enrol candidates in a selection round."))
    locked = lock_selection_round(selection_round.pk)
    _ensure_status(
        locked,
        selectors.LIVE,
        _("The round is “%(status)s”; candidates join a round being set up or open."),
    )
    ids = sorted({p.pk for p in participants})
    if not ids:
        raise ValidationError(_("Choose at least one participant."))
    people = lock_participants(ids)
    if len(people) != len(ids) or not _all_in_scope(acting_user, ids):
        raise PermissionDenied(_("This participant is not in your scope."))
    eligible = set(
        selectors.enrolment_candidates(acting_user, locked)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    problems = _enrolment_problems(people, eligible)
    if problems:
        raise ValidationError(problems, code=SelectionErrorCode.NOT_ELIGIBLE)
    return [_enrol_one(locked, person, acting_user) for person in people]


def _enrolment_problems(people: list[Participant], eligible: set[int]) -> list[str]:
    """One sentence per participant who may not enter the round, naming them."""
    refusals = [(p, _enrolment_refusal(p, eligible)) for p in people]
    return [
        message % {"name": p.full_name, "status": p.get_status_display()}
        for p, message in refusals
        if message
    ]


def _all_in_scope(acting_user: Any, ids: list[int]) -> bool:
    from jembatan.participants.selectors import participants_visible_to

    return participants_visible_to(acting_user).filter(pk__in=ids).count() == len(ids)


def _enrol_one(selection_round: SelectionRound, person: Participant, acting_user: Any) -> Candidacy:
    status_before = person.status
    participant_transition(
        participant=person,
        action=JourneyAction.ENTER_SELECTION,
        acting_user=acting_user,
        reason=_("Enrolled in the selection round “%(round)s”.") % {"round": selection_round},
    )
    candidacy = Candidacy.objects.create(
        round=selection_round,
        participant=person,
        status_before=status_before,
        enrolled_by=acting_user,
        enrolled_at=timezone.now(),
    )
    _audit(
        acting_user,
        "candidacy_enrol",
        candidacy,
        "create",
        {"status_before": {"after": status_before}},
    )
    return candidacy


def _release(candidacy: Candidacy, reason: str, acting_user: Any, *, withdraw: bool = True) -> None:
    """Withdraw a candidacy (unless it failed) and return the participant to where they were.

    A participant who is no longer *in selection* (they left the programme) stays where they are.
    """
    if withdraw:
        before = snapshot(candidacy, ["status", "stop_reason"])
        candidacy.status, candidacy.stop_reason = CandidacyStatus.WITHDRAWN, reason
        candidacy.save(update_fields=["status", "stop_reason"])
        changes = diff(before, snapshot(candidacy, ["status", "stop_reason"]))
        _audit(acting_user, "candidacy_withdraw", candidacy, "transition", changes, reason)
    person = Participant.objects.get(pk=candidacy.participant_id)
    if person.status == JourneyStatus.IN_SELECTION:
        participant_transition(
            participant=person,
            action=journey_action_to(person, candidacy.status_before),
            acting_user=acting_user,
            reason=reason,
        )


@transaction.atomic
def candidacy_withdraw(*, candidacy: Candidacy, reason: str, acting_user: Any) -> Candidacy:
    """Take a candidate out of a draft or open round, with a reason; the journey goes back.

    A failed candidate may be withdrawn too (to free them for another round before
    this one closes); their scores stay in the history.
    """
    if not selectors.may_enrol(acting_user):
        raise PermissionDenied(_("Only officers withdraw candidates from a selection round."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the candidate leaves the round.")})
    selection_round = lock_selection_round(candidacy.round_id)
    _ensure_status(
        selection_round,
        selectors.LIVE,
        _("The round is “%(status)s”: its candidacies are final."),
    )
    if not _all_in_scope(acting_user, [candidacy.participant_id]):
        raise PermissionDenied(_("This participant is not in your scope."))
    locked = lock_candidacy(candidacy.pk, with_participant=True)
    CANDIDACY_WORKFLOW.check(
        locked.status,
        CandidacyAction.WITHDRAW,
        refusal=lambda: TransitionRefused(
            _("The candidate has already been withdrawn from the round.")
        ),
    )
    _release(locked, reason, acting_user)
    bump_version(selection_round)
    return locked
