"""Äldreomsorg and LSS: IBIC investigations, what a decision grants, the choice of provider, what the
provider receives, the implementation plan, the provider's social documentation and messages back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from sociala.cases.models import Case, Deadline, DecisionItem, Intervention, Order
from sociala.core.choices import ServiceArea
from sociala.organization.models import Provider
from sociala.people.models import Person

from .choices import ChoiceMethod, MessageKind, ScopeUnit, SignatureMethod, TerminationReason

# --- code lists (rules as data) --------------------------------------------------------------


class LifeArea(models.Model):
    """An IBIC life area (livsområde): the nine ICF activity chapters and the two IBIC additions."""

    code = models.SlugField(max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(help_text="Order on the page")
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    icf_chapter = models.CharField(
        max_length=10, help_text="The ICF chapter (d1 … d9) or the IBIC code (b1528A, e398A) of the area"
    )
    valid_from = models.DateField()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name


class IcfCode(models.Model):
    """An ICF code of activities and participation with its Swedish and English title."""

    code = models.CharField(max_length=10, unique=True)
    title = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    chapter = models.CharField(max_length=4, help_text="d1 … d9")
    search_text = models.CharField(max_length=420, editable=False, db_index=True)
    valid_from = models.DateField()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.label}"

    def save(self, *args, **kwargs):
        self.search_text = f"{self.code} {self.title} {self.title_en}".lower()
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return self.title_en if translation.get_language() == "en" else self.title


class InterventionKind(models.Model):
    """A kind of intervention (hemtjänst, LSS 9 § …) with its legal basis and how its scope is measured."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    scope_unit = models.CharField(max_length=30, choices=ScopeUnit.choices)
    legal_basis = models.CharField(max_length=200)
    valid_from = models.DateField()

    class Meta:
        ordering = ["service_area", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name


class ProviderApproval(models.Model):
    """A provider approved in the choice scheme (LOV) for a kind of intervention, in its districts."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="approvals")
    intervention_kind = models.SlugField(max_length=60)
    is_default = models.BooleanField(
        default=False,
        help_text="The municipality's provider for clients who do not choose (ickevalsalternativ)",
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["intervention_kind", "-is_default", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "intervention_kind", "valid_from"], name="provider_approval_version"
            )
        ]

    def __str__(self):
        return f"{self.provider} – {self.intervention_kind}"


# --- the IBIC investigation ------------------------------------------------------------------


class Investigation(models.Model):
    """An IBIC utredning in a case: needs per life area, proposed interventions, and what the provider
    needs to know (practical information, contact persons, good-to-know notes)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="care_investigation")
    background = models.TextField(blank=True)
    practical_information = models.TextField(blank=True, help_text="Keys, door code, pets … (to the order)")
    good_to_know = models.TextField(
        blank=True, help_text="'Bra att veta' notes for the provider (to the order)"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"IBIC {self.case.reference}"


class InvestigationContact(models.Model):
    """A contact person of the client (relative, trustee, nurse) to pass on with the order."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=160)
    relation = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class LifeAreaAssessment(models.Model):
    """Needs, resources, goals and the person's own view in one life area, with ICF codes."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="assessments")
    life_area = models.ForeignKey(LifeArea, on_delete=models.PROTECT, related_name="+")
    needs = models.TextField(blank=True)
    resources = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    person_view = models.TextField(blank=True)
    icf_codes = models.ManyToManyField(IcfCode, blank=True, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["life_area__number"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "life_area"], name="one_assessment_per_area")
        ]

    def __str__(self):
        return str(self.life_area)

    @property
    def is_empty(self) -> bool:
        return not any((self.needs, self.resources, self.goals, self.person_view))


class ProposedIntervention(models.Model):
    """An intervention the investigation proposes; it fills a part of the decision."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="proposals")
    intervention_kind = models.SlugField(max_length=60)
    description = models.CharField(max_length=300)
    scope_amount = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    goals = models.TextField()
    life_areas = models.ManyToManyField(LifeArea, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.description


class Communication(models.Model):
    """Kommunicering before a refusal (FL 25 §): the material as it was sent to the client, the date a
    reply is due (a deadline of the case) and the reply. The letter is made from this row."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="care_communications")
    considered_refusal = models.TextField(help_text="What the authority considers refusing, and why")
    material = models.JSONField(help_text="The investigation as sent: background, life areas, proposals")
    sent_on = models.DateField()
    reply_due_on = models.DateField()
    deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="care_communication")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    replied_on = models.DateField(null=True, blank=True)
    reply = models.TextField(blank=True)
    reply_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.case} {self.sent_on}"

    def is_answered_or_passed(self, today) -> bool:
        """The client has answered, or the last day to answer has passed."""
        return self.replied_on is not None or self.reply_due_on < today


# --- what was granted, and to whom it was sent -----------------------------------------------


class InterventionTerms(models.Model):
    """What a decision item grants in care terms: the kind, the scope as a number and the goals."""

    decision_item = models.OneToOneField(DecisionItem, on_delete=models.PROTECT, related_name="care_terms")
    intervention_kind = models.SlugField(max_length=60)
    scope_amount = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    scope_unit = models.CharField(max_length=30, choices=ScopeUnit.choices)
    goals = models.TextField()

    def __str__(self):
        return f"{self.intervention_kind} {self.scope_amount} {self.scope_unit}"


class ProviderChoice(models.Model):
    """The client's choice of provider in the choice scheme (LOV), or the default; sent as the order."""

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="provider_choices")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20, choices=ChoiceMethod.choices)
    chosen_on = models.DateField(help_text="When the client chose (or was told of the default)")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="provider_choice")

    def __str__(self):
        return f"{self.provider} ({self.get_method_display()})"


class OrderDetails(models.Model):
    """What the provider receives with an order, as it was when sent: not the whole investigation."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="care_details")
    intervention_kind = models.SlugField(max_length=60)
    scope_amount = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    scope_unit = models.CharField(max_length=30, choices=ScopeUnit.choices)
    goals = models.TextField()
    period_start = models.DateField()
    period_end = models.DateField(null=True, blank=True)
    practical_information = models.TextField(blank=True)
    good_to_know = models.TextField(blank=True)
    contacts = models.JSONField(default=list, help_text='[{"name", "relation", "phone"}]')
    # Consent (OSL 12:2) that lets the authority read the provider's social documentation.
    authority_may_read_journal = models.BooleanField(default=False)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_note = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"{self.order}"

    def terms(self) -> dict:
        """The parts of the order the implementation plan is based on, for comparing versions."""
        return {
            "intervention_kind": self.intervention_kind,
            "description": self.order.intervention.description,
            "scope_amount": str(self.scope_amount) if self.scope_amount is not None else "",
            "scope_unit": self.scope_unit,
            "goals": self.goals,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat() if self.period_end else "",
        }


# --- the provider's side ---------------------------------------------------------------------


class ImplementationPlan(models.Model):
    """A genomförandeplan: how one provider carries out one kind of intervention with the client."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="implementation_plans")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="implementation_plans")
    intervention_kind = models.SlugField(max_length=60)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "provider", "intervention_kind"], name="one_plan_per_client_and_kind"
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.intervention_kind}"


class ImplementationPlanVersion(models.Model):
    """One saved version of a plan; a new save is a new version, the old ones stay as history."""

    plan = models.ForeignKey(ImplementationPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    goals = models.TextField()
    how = models.TextField(help_text="What is done and how")
    schedule = models.TextField(help_text="When")
    performed_by = models.TextField(help_text="By whom")
    client_wishes = models.TextField(blank=True)
    participants = models.CharField(max_length=300, blank=True, help_text="Who took part in writing it")
    basis_order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    basis = models.JSONField(help_text="The order's terms this version was written against")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signature_method = models.CharField(max_length=20, choices=SignatureMethod.choices, blank=True)
    signed_name = models.CharField(max_length=160, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number")]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    @property
    def is_signed(self) -> bool:
        return bool(self.signature_method)


class ProviderJournalEntry(models.Model):
    """Social documentation at the provider (SoL 11:5, LSS 21 a §), kept apart from the authority's journal."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="provider_journal_entries")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="journal_entries")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="provider_journal_entries")
    occurred_on = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name_plural = "provider journal entries"
        indexes = [models.Index(fields=["person", "provider", "-occurred_on"], name="provider_journal_idx")]

    def __str__(self):
        return f"{self.occurred_on} {self.provider}"


class ProviderMessage(models.Model):
    """A structured report from the provider to the caseworker (changed needs, deviation, hospital …)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="provider_messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    occurred_on = models.DateField()
    text = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["read_at", "-sent_at"], name="provider_message_unread_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"


# --- reassessment and termination ------------------------------------------------------------


class Reassessment(models.Model):
    """An omprövning: a new case of the same type whose decision replaces the old one from a date."""

    previous_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reassessments")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reassessment_of")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    replaces_from = models.DateField(null=True, blank=True, help_text="The new decision's first day")
    previous_orders_ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.previous_case} → {self.case}"


class Termination(models.Model):
    """Why a case's interventions ended (moved, deceased, declined); the orders were ended with it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="care_terminations")
    reason = models.CharField(max_length=20, choices=TerminationReason.choices)
    ended_on = models.DateField()
    note = models.TextField(blank=True)
    order_ids = models.JSONField(default=list)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.case} {self.get_reason_display()}"
