"""What a participant should do next at each stage of the journey (moves: workflows.py)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.participants.models import JourneyStatus

NEXT_STEP: dict[str, Promise] = {
    JourneyStatus.REGISTERED: _(
        "Upload your documents (ID card, diploma, passport if you have one). "
        "An officer will then verify your identity."
    ),
    JourneyStatus.VERIFIED: _(
        "Your identity is verified. Enrol in a training batch at a BLK or LPK."
    ),
    JourneyStatus.IN_TRAINING: _(
        "Attend your training and language lessons; your assessments are recorded."
    ),
    JourneyStatus.CERTIFIED: _(
        "You are certified. Wait for the next selection round you are eligible for."
    ),
    JourneyStatus.IN_SELECTION: _("Follow the selection stages; each result appears here."),
    JourneyStatus.SELECTED: _("You passed selection. Rank the job orders you are eligible for."),
    JourneyStatus.MATCHED: _(
        "You are matched to a job order. Wait for the host company's confirmation."
    ),
    JourneyStatus.CONTRACTED: _(
        "Sign your contract and prepare your visa and departure documents."
    ),
    JourneyStatus.DEPARTED: _("Safe travels. Report your arrival to your sending organisation."),
    JourneyStatus.IN_PLACEMENT: _(
        "Send your monitoring reports. If you have a problem, report it here at any time."
    ),
    JourneyStatus.COMPLETED: _("Welcome home. Tell us about your work and plans as an alumnus."),
    JourneyStatus.RETURNED_EARLY: _(
        "Contact your sending organisation; the reason of your return is recorded."
    ),
    JourneyStatus.ALUMNUS: _("Keep your alumni profile up to date; IKAPEKSI connects returnees."),
    JourneyStatus.WITHDRAWN: _("You have withdrawn. You may register again later."),
    JourneyStatus.REJECTED: _(
        "Your application was not accepted; the reason is shown in your record."
    ),
}
