"""Emergency access grants (nödåtkomst)."""

from django.conf import settings
from django.db import models

from sociala.people.models import Person


class EmergencyAccess(models.Model):
    """Time-limited access to one person outside the user's normal scope, with a stated reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="emergency_accesses")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="emergency_lookup_idx")]

    def __str__(self):
        return f"{self.user} → {self.person} ({self.granted_at:%Y-%m-%d %H:%M})"
