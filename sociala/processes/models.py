"""Process definitions (BPMN 2.0, versioned) and the running instance of each case's process."""

from django.db import models


class ProcessDefinition(models.Model):
    """One published version of a BPMN process; running cases keep the version they started with."""

    code = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=160)
    process_id = models.CharField(
        max_length=100, help_text="The id of the executable process in the BPMN file"
    )
    bpmn_xml = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="process_version")]
        ordering = ["code", "-version"]

    def __str__(self):
        return f"{self.name} v{self.version}"


class ProcessInstance(models.Model):
    """The small engine state of one running process; case data lives in the case tables."""

    definition = models.ForeignKey(ProcessDefinition, on_delete=models.PROTECT, related_name="instances")
    state = models.JSONField()
    ready_steps = models.JSONField(default=list)
    is_finished = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.definition} {self.ready_steps}"
