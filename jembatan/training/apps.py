from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Competency-based training at BLK/LPK: programmes, batches, assessments, certificates."""

    name = "jembatan.training"
    label = "training"
    verbose_name = _("Training")
