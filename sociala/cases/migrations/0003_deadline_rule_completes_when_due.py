from django.db import migrations, models


def update_rules(apps, schema_editor):
    """The appeal period ends by itself; the follow-up opens only when something was granted."""
    apps.get_model("cases", "DeadlineRule").objects.filter(code="appeal_period").update(completes_when_due=True)
    for case_type in apps.get_model("cases", "CaseType").objects.all():
        rules = [
            {**spec, "on": "granted"} if spec.get("rule") == "intervention_follow_up" else spec
            for spec in case_type.deadline_rules
        ]
        if rules != case_type.deadline_rules:
            case_type.deadline_rules = rules
            case_type.save(update_fields=["deadline_rules"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_rules_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadlinerule",
            name="completes_when_due",
            field=models.BooleanField(
                default=False,
                help_text="A deadline that only marks time passing (the appeal period) ends by itself",
            ),
        ),
        migrations.AlterField(
            model_name="casetype",
            name="deadline_rules",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    'Deadlines to open, e.g. [{"rule": "appeal_period", "on": "decided"}]; "on" is opened, '
                    'decided, granted or a process step; "until" is the step that completes it'
                ),
            ),
        ),
        migrations.RunPython(update_rules, migrations.RunPython.noop),
    ]
