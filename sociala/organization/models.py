"""The city's organisation: committees, administrations, units, teams, and providers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sociala.core.choices import ServiceArea


class Committee(models.Model):
    """A nämnd: a district committee, the social committee or the elderly committee."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("Stadsdelsnämnd")
        SOCIAL = "social", _("Socialnämnd")
        ELDERLY = "elderly", _("Äldrenämnd")

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Administration(models.Model):
    """A förvaltning serving one committee."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="administrations")
    name = models.CharField(max_length=160)

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An enhet: where caseworkers of one service area work and own cases."""

    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=160)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def committee(self):
        return self.administration.committee


class Team(models.Model):
    """An arbetsgrupp within a unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=160)

    def __str__(self):
        return self.name


class Provider(models.Model):
    """An utförare: a municipal or private operator of interventions."""

    name = models.CharField(max_length=160)
    organization_number = models.CharField(max_length=11, unique=True)
    is_municipal = models.BooleanField(default=False)
    service_areas = models.JSONField(default=list)
    districts = models.ManyToManyField(Committee, blank=True, related_name="providers")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
