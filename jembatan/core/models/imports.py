"""Spreadsheet imports: one row per file someone asked Jembatan to read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One import of one file: who, when, which file and options, progress and outcome."""

    class Kind(models.TextChoices):
        PARTICIPANTS = "participants", _("Participants")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        READING = "reading", _("Reading the file")
        CHECKING = "checking", _("Checking rows")
        WRITING = "writing", _("Writing")
        FINISHED = "finished", _("Finished")

    class Outcome(models.TextChoices):
        NONE = "", _("Not finished")
        WRITTEN = "written", _("All rows imported")
        PARTIAL = "partial", _("Valid rows imported, invalid rows skipped")
        REFUSED = "refused", _("Nothing imported: some rows have errors")
        CHECKED = "checked", _("Dry run: nothing written")
        UNREADABLE = "unreadable", _("The file could not be read")

    class Authority(models.TextChoices):
        """On whose authority the imported people's data was collected (UU PDP art. 20)."""

        SIGNED_FORMS = (
            "signed_forms",
            _("Each person signed the privacy notice on a paper form the organisation keeps"),
        )
        ORGANISATION_FORM = (
            "organisation_form",
            _(
                "Collected through the organisation's own registration form, which showed the "
                "privacy notice and recorded each person's agreement"
            ),
        )
        MANPOWER_OFFICE = (
            "manpower_office",
            _(
                "Collected by a manpower office (Disnaker) at registration, with the privacy "
                "notice shown"
            ),
        )

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.WAITING
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A permanent name for whoever imported (a person, or "cli" for the console command).
    created_by_label = models.CharField(_("imported by"), max_length=150)
    # The importer's organisation when they imported: history stays scoped if they move.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    file_name = models.CharField(_("file name"), max_length=255)
    # Its name in the file storage (core/stored_files.py), never a path on disk.
    file_path = models.CharField(_("stored file"), max_length=500, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    sheet_name = models.CharField(_("sheet read"), max_length=200, blank=True)

    dry_run = models.BooleanField(_("dry run (write nothing)"), default=False)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    default_licence = models.CharField(_("default licence number"), max_length=60, blank=True)
    # What the importer declared: empty only for a dry run, which writes nothing.
    authority = models.CharField(
        _("authority for collecting the data"),
        max_length=20,
        choices=Authority.choices,
        blank=True,
    )
    privacy_notice_version = models.PositiveIntegerField(
        _("privacy notice version shown"), null=True, blank=True
    )

    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    rows_existing = models.PositiveIntegerField(_("already registered"), default=0)
    rows_created = models.PositiveIntegerField(_("records created"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    error_message = models.TextField(_("why the file was refused"), blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)

    report_path = models.CharField(_("report (xlsx)"), max_length=500, blank=True)
    report_csv_path = models.CharField(_("report (CSV)"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["organisation", "created_at"]),
            models.Index(fields=["created_by", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def is_finished(self) -> bool:
        """True once the job will not change any more (done or failed)."""
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        """Progress through the rows, 0-100, for the progress bar."""
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_checked * 100 // self.rows_total)

    @property
    def result(self) -> tuple[str, str]:
        """What happened, in one line, and its badge tone (success, warning, danger, neutral).

        "Done" alone would call an import that created nothing a success; this says
        how many records were created and why the others were not.
        """
        if not self.is_finished:
            return str(self.get_status_display()), "neutral"
        if self.status == self.Status.FAILED or self.outcome == self.Outcome.UNREADABLE:
            return str(_("Failed: the file could not be read")), "danger"
        if self.outcome == self.Outcome.CHECKED:
            return str(_("Dry run: nothing written")), "neutral"
        if self.outcome == self.Outcome.REFUSED:
            return str(
                _("Nothing imported: %(n)d rows have errors") % {"n": self.rows_invalid}
            ), "danger"
        if not self.rows_created:
            return str(
                _(
                    "Nothing imported: %(invalid)d rows refused, %(existing)d already "
                    "registered, of %(total)d"
                )
                % {
                    "invalid": self.rows_invalid,
                    "existing": self.rows_existing,
                    "total": self.rows_total,
                }
            ), "warning"
        if self.rows_invalid or self.rows_existing:
            return str(
                _(
                    "%(created)d of %(total)d imported; %(invalid)d refused, %(existing)d "
                    "already registered"
                )
                % {
                    "created": self.rows_created,
                    "total": self.rows_total,
                    "invalid": self.rows_invalid,
                    "existing": self.rows_existing,
                }
            ), "warning"
        return str(_("%(created)d imported") % {"created": self.rows_created}), "success"
