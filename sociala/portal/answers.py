"""The questions of the monthly e-application, one group per page, and how the answers are checked.

Answers are kept as typed (``IncomeSupportApplication.answers``, one dict per group) so that a draft
can be saved at every keystroke and continued later; they are checked with the forms below when the
person moves on and again, all together, when the application is sent. ``normalized`` turns checked
answers into what the caseworker reads and the income-support calculation takes.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from sociala.benefits.choices import IncomeType, MemberRole
from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number
from sociala.web.forms import StyledForm

from .choices import Occupation, OtherCost, Tenure

MAX_ROWS = 20
MAX_AMOUNT = 10_000_000
MAX_CHILD_AGE = 20
ADULT_AGE = 18
DAYS_IN_MONTH = 30

# The question groups in order; "documents" and "review" have no answers of their own.
STEPS = ("household", "costs", "incomes", "changes", "documents", "review")
ANSWER_STEPS = ("household", "costs", "incomes", "changes")
STEP_TITLES = {
    "household": _("Hushåll"),
    "costs": _("Boende och kostnader"),
    "incomes": _("Inkomster och tillgångar"),
    "changes": _("Ändringar sedan förra månaden"),
    "documents": _("Kvitton och underlag"),
    "review": _("Granska och skicka"),
}

YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]


class AmountField(forms.CharField):
    """Whole kronor as people write them: "9200", "9 200", "9 200 kr"; empty is 0."""

    default_error_messages = {
        "invalid": _("Skriv beloppet i hela kronor med siffror, till exempel 9 200."),
        "negative": _("Beloppet kan inte vara mindre än 0."),
        "too_large": _("Beloppet är för stort. Kontrollera siffrorna."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"})

    def to_python(self, value):
        text = super().to_python(value)
        text = re.sub(r"[\s\u00a0\u202f]", "", text or "").lower().removesuffix("kr").removesuffix(":-")
        text = re.sub(r"[,.]00?$", "", text)
        if not text:
            return 0
        if text.startswith("-") and text[1:].isdigit():
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if not text.isdigit() or len(text) > 20:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(text)
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


def _choices(enum, blank) -> list:
    return [("", blank)] + list(enum.choices)


# --- household ---------------------------------------------------------------------------------


class HouseholdForm(StyledForm):
    occupation = forms.ChoiceField(
        label=_("Vad gör du den här månaden?"),
        choices=_choices(Occupation, _("Välj")),
        help_text=_("Välj det som stämmer bäst."),
    )


MEMBER_ROLES = [
    ("", _("Välj")),
    (MemberRole.PARTNER.value, _("Make, maka eller sambo")),
    (MemberRole.CHILD.value, _("Barn")),
    (MemberRole.OTHER_ADULT.value, _("Annan vuxen som bor hos dig")),
]


class MemberForm(StyledForm):
    role = forms.ChoiceField(label=_("Vem är det?"), choices=MEMBER_ROLES)
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    personal_identity_number = forms.CharField(
        label=_("Personnummer"), max_length=20, help_text=_("ÅÅÅÅMMDD-NNNN")
    )
    occupation = forms.ChoiceField(
        label=_("Vad gör personen den här månaden?"),
        choices=_choices(Occupation, _("Gäller inte barn")),
        required=False,
    )
    days_in_household = forms.IntegerField(
        label=_("Dagar som barnet bor hos dig"),
        required=False,
        min_value=1,
        max_value=DAYS_IN_MONTH,
        help_text=_("Bara om barnet bor hos dig en del av månaden. Räkna med 30 dagar på en månad."),
    )
    preschool_lunch = forms.BooleanField(label=_("Barnet äter lunch på förskolan"), required=False)

    def __init__(self, *args, month: date | None = None, **kwargs):
        self.month = month or date.today().replace(day=1)
        super().__init__(*args, **kwargs)
        self.fields["personal_identity_number"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "numeric"}
        )

    def clean_personal_identity_number(self):
        try:
            return parse_identity_number(self.cleaned_data["personal_identity_number"]).value
        except InvalidIdentityNumber as error:
            raise forms.ValidationError(error.message) from error

    def clean(self):
        data = super().clean()
        role, number = data.get("role"), data.get("personal_identity_number")
        if not role or not number:
            return data
        age = age_on(parse_identity_number(number).birth_date, self.month)
        if role == MemberRole.CHILD and age > MAX_CHILD_AGE:
            self.add_error("role", _("Barn räknas till och med 20 år. Välj annan vuxen för en äldre person."))
        if role != MemberRole.CHILD and age < ADULT_AGE:
            self.add_error("role", _("Personen är under 18 år. Välj barn."))
        if role != MemberRole.CHILD:
            if data.get("days_in_household"):
                self.add_error("days_in_household", _("Gäller bara barn."))
            if data.get("preschool_lunch"):
                self.add_error("preschool_lunch", _("Gäller bara barn."))
            if not data.get("occupation"):
                self.add_error("occupation", _("Välj vad personen gör den här månaden."))
        return data


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args, month: date | None = None, **kwargs):
        self.month = month
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "month": self.month}

    def clean(self):
        if any(self.errors):
            return
        partners = [f for f in self.forms if f.cleaned_data.get("role") == MemberRole.PARTNER]
        if len(partners) > 1:
            raise forms.ValidationError(_("Du kan bara ange en make, maka eller sambo."))
        numbers = [f.cleaned_data.get("personal_identity_number") for f in self.forms]
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(_("Samma personnummer står flera gånger."))


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=0, max_num=MAX_ROWS, validate_max=True
)


# --- costs -------------------------------------------------------------------------------------


class CostsForm(StyledForm):
    tenure = forms.ChoiceField(label=_("Hur bor du?"), choices=_choices(Tenure, _("Välj")))
    housing = AmountField(
        label=_("Hyra eller boendekostnad per månad"),
        help_text=_("Kronor. Skriv 0 om du inte betalar något."),
    )
    household_electricity = AmountField(label=_("Hushållsel per månad"), help_text=_("Kronor"))
    home_insurance = AmountField(label=_("Hemförsäkring per månad"), help_text=_("Kronor"))
    work_travel = AmountField(label=_("Resor till och från arbetet per månad"), help_text=_("Kronor"))
    union_fee = AmountField(label=_("Avgift till fackförening per månad"), help_text=_("Kronor"))
    unemployment_fund_fee = AmountField(label=_("Avgift till a-kassa per månad"), help_text=_("Kronor"))


class OtherCostForm(StyledForm):
    kind = forms.ChoiceField(label=_("Vad gäller kostnaden?"), choices=_choices(OtherCost, _("Välj")))
    amount = AmountField(label=_("Belopp"), help_text=_("Kronor"))
    description = forms.CharField(label=_("Beskriv kort"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Skriv hur mycket kostnaden är."))
        return data


OtherCostFormSet = forms.formset_factory(OtherCostForm, extra=0, max_num=MAX_ROWS, validate_max=True)


# --- incomes -----------------------------------------------------------------------------------


class IncomesForm(StyledForm):
    has_assets = forms.ChoiceField(
        label=_("Har du eller någon i hushållet pengar på banken, en bil, en bostad eller annat av värde?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    assets_description = forms.CharField(
        label=_("Beskriv vad och ungefär hur mycket det är värt"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_assets") == "yes" and not (data.get("assets_description") or "").strip():
            self.add_error("assets_description", _("Beskriv vad ni äger."))
        return data


class IncomeForm(StyledForm):
    member = forms.ChoiceField(label=_("Vems inkomst?"))
    type = forms.ChoiceField(label=_("Vilken sorts inkomst?"), choices=_choices(IncomeType, _("Välj")))
    amount = AmountField(label=_("Belopp efter skatt"), help_text=_("Kronor den här månaden"))

    def __init__(self, *args, members: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        assert isinstance(member_field, forms.ChoiceField)
        member_field.choices = [("", _("Välj"))] + list(members or [])

    def clean(self):
        data = super().clean()
        if not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Skriv hur mycket du får efter skatt."))
        return data


class BaseIncomeFormSet(forms.BaseFormSet):
    def __init__(self, *args, members=None, **kwargs):
        self.members = members or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "members": self.members}


IncomeFormSet = forms.formset_factory(
    IncomeForm, formset=BaseIncomeFormSet, extra=0, max_num=MAX_ROWS, validate_max=True
)


# --- changes -----------------------------------------------------------------------------------


class ChangesForm(StyledForm):
    has_changes = forms.ChoiceField(
        label=_("Har något ändrats för dig eller ditt hushåll sedan förra ansökan?"),
        help_text=_("Till exempel flytt, nytt arbete, ändrad hyra eller någon som flyttat in eller ut."),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Vad har ändrats?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_changes") == "yes" and not (data.get("description") or "").strip():
            self.add_error("description", _("Beskriv vad som har ändrats."))
        return data


class DeclarationForm(StyledForm):
    declaration = forms.BooleanField(
        label=_("Jag intygar att uppgifterna är sanna och att jag inte har lämnat bort något."),
        help_text=_("Det är ett brott att lämna fel uppgifter för att få ekonomiskt bistånd."),
        error_messages={"required": _("Kryssa i rutan för att intyga att uppgifterna stämmer.")},
    )


class AttachmentForm(StyledForm):
    title = forms.CharField(
        label=_("Vad är det för underlag?"),
        max_length=200,
        help_text=_("Till exempel hyresavi för mars eller kvitto från apoteket."),
    )
    file = forms.FileField(
        label=_("Välj fil eller ta ett foto"),
        help_text=_("PDF eller bild (JPEG, PNG), högst 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


# --- keeping answers as typed -------------------------------------------------------------------

# Each group: (main form, [(list name in the answers, formset, prefix)]).
GROUPS = {
    "household": (HouseholdForm, [("members", MemberFormSet, "members")]),
    "costs": (CostsForm, [("other_costs", OtherCostFormSet, "other_costs")]),
    "incomes": (IncomesForm, [("incomes", IncomeFormSet, "incomes")]),
    "changes": (ChangesForm, []),
}


def _field_value(field: forms.Field, data, name: str):
    if isinstance(field.widget, forms.CheckboxInput):
        return name in data and data.get(name) not in ("", "false", "off", "0")
    value = data.get(name, "")
    return str(value)[:2000]


def raw_from_post(step: str, data) -> dict:
    """The answers of one group as typed, from a POST (nothing is checked; rows left empty are dropped)."""
    form_class, sets = GROUPS[step]
    raw = {name: _field_value(field, data, name) for name, field in form_class.base_fields.items()}
    for key, formset_class, prefix in sets:
        rows = []
        try:
            total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS + 5)
        except (TypeError, ValueError):
            total = 0
        fields = formset_class.form.base_fields
        for index in range(total):
            row = {
                name: _field_value(field, data, f"{prefix}-{index}-{name}") for name, field in fields.items()
            }
            if any(value for value in row.values()):
                rows.append(row)
        raw[key] = rows
    return raw


def data_from_raw(step: str, raw: dict) -> dict:
    """POST-shaped data from stored answers, to check them with the forms."""
    form_class, sets = GROUPS[step]
    data: dict[str, str] = {}
    for name, field in form_class.base_fields.items():
        _put(data, field, name, raw.get(name))
    for key, formset_class, prefix in sets:
        rows = raw.get(key) or []
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            for name, field in formset_class.form.base_fields.items():
                _put(data, field, f"{prefix}-{index}-{name}", row.get(name))
    return data


def _put(data: dict, field: forms.Field, name: str, value) -> None:
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
    elif value not in (None, ""):
        data[name] = str(value)


def member_choices(answers: dict, applicant_name: str) -> list[tuple[str, str]]:
    """Whose income it can be: the applicant (0) and each member of the household (1, 2 …)."""
    choices = [("0", _("Jag (%(name)s)") % {"name": applicant_name})]
    for index, row in enumerate((answers.get("household") or {}).get("members") or [], start=1):
        name = (row.get("first_name") or "").strip() or _("Person %(number)s") % {"number": index}
        choices.append((str(index), name))
    return choices


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def build_forms(
    step: str, *, answers: dict, month: date, applicant_name: str, data=None, bound_from_raw=False
):
    """The main form and formsets of a group: bound to a POST, to the stored answers, or unbound."""
    form_class, sets = GROUPS[step]
    raw = answers.get(step) or {}
    if bound_from_raw:
        data = data_from_raw(step, raw)
    extra_kwargs: dict = {}
    if step == "household":
        extra_kwargs = {"month": month}
    elif step == "incomes":
        extra_kwargs = {"members": member_choices(answers, applicant_name)}
    if data is not None:
        form = form_class(data)
        formsets = {key: cls(data, prefix=prefix, **extra_kwargs) for key, cls, prefix in sets}
    else:
        initial = {name: raw.get(name) for name in form_class.base_fields if raw.get(name) not in (None, "")}
        form = form_class(initial=initial)
        formsets = {
            key: cls(initial=raw.get(key) or [], prefix=prefix, **extra_kwargs) for key, cls, prefix in sets
        }
    return form, formsets


def check_step(step: str, *, answers: dict, month: date, applicant_name: str, data=None):
    """(valid, form, formsets) for one group: a POST when given, else the stored answers."""
    form, formsets = build_forms(
        step,
        answers=answers,
        month=month,
        applicant_name=applicant_name,
        data=data,
        bound_from_raw=data is None,
    )
    valid = form.is_valid() and all(fs.is_valid() for fs in formsets.values())
    return valid, form, formsets


def normalized(answers: dict, *, month: date, applicant_name: str) -> tuple[dict, list[str]]:
    """Checked answers and the calculation input; the groups with errors (empty when all is well)."""
    checked: dict[str, dict] = {}
    failed: list[str] = []
    for step in ANSWER_STEPS:
        valid, form, formsets = check_step(step, answers=answers, month=month, applicant_name=applicant_name)
        if not valid:
            failed.append(step)
            continue
        checked[step] = {
            **form.cleaned_data,
            **{key: [f.cleaned_data for f in fs.forms] for key, fs in formsets.items()},
        }
    if failed:
        return {}, failed
    household, costs, incomes = checked["household"], checked["costs"], checked["incomes"]
    members = [
        {
            "role": MemberRole.APPLICANT.value,
            "first_name": applicant_name,
            "occupation": household["occupation"],
        }
    ]
    for row in household["members"]:
        members.append(
            {
                "role": row["role"],
                "first_name": row["first_name"].strip(),
                "personal_identity_number": row["personal_identity_number"],
                "occupation": row["occupation"],
                "days_in_household": row["days_in_household"],
                "preschool_lunch": bool(row["preschool_lunch"]),
            }
        )
    calculation_members = [{"role": MemberRole.APPLICANT.value, "age": None}]
    for row in household["members"]:
        born = parse_identity_number(row["personal_identity_number"]).birth_date
        member = {"role": row["role"], "age": age_on(born, month)}
        if row["role"] == MemberRole.CHILD:
            member["preschool_lunch"] = bool(row["preschool_lunch"])
            member["days_in_household"] = row["days_in_household"]
        calculation_members.append(member)
    reasonable_costs = {
        name: costs[name]
        for name in (
            "housing",
            "household_electricity",
            "work_travel",
            "home_insurance",
            "union_fee",
            "unemployment_fund_fee",
        )
    }
    income_rows = [
        {"member": int(row["member"]), "type": row["type"], "amount": row["amount"]}
        for row in incomes["incomes"]
    ]
    result = {
        "month": month.strftime("%Y-%m"),
        "members": members,
        "tenure": costs["tenure"],
        "reasonable_costs": reasonable_costs,
        "other_costs": [
            {"kind": row["kind"], "amount": row["amount"], "description": row["description"].strip()}
            for row in costs["other_costs"]
        ],
        "incomes": income_rows,
        "has_assets": incomes["has_assets"] == "yes",
        "assets_description": incomes["assets_description"].strip(),
        "has_changes": checked["changes"]["has_changes"] == "yes",
        "changes_description": checked["changes"]["description"].strip(),
        # The request body of POST /api/v1/financial-assistance/calculations (the applicant's age is
        # filled in by the sender, who knows the birth date).
        "calculation_input": {
            "month": month.strftime("%Y-%m"),
            "members": calculation_members,
            "reasonable_costs": reasonable_costs,
            "incomes": [{**row, "job_stimulus": False} for row in income_rows],
        },
    }
    return result, []


# --- reading the answers back -------------------------------------------------------------------


def _display(field: forms.Field, value) -> str:
    if isinstance(field.widget, forms.CheckboxInput):
        return str(_("Ja")) if value else str(_("Nej"))
    if isinstance(field, AmountField):
        from sociala.core.money import format_sek

        try:
            return format_sek(field.to_python(value))
        except forms.ValidationError:
            return str(value or "")
    if isinstance(field, forms.ChoiceField):
        choices = {str(key): label for key, label in field.choices}  # type: ignore[misc,union-attr]  # a list of pairs here
        return str(choices.get(str(value), value or "")) if value not in (None, "") else ""
    return str(value if value is not None else "")


def summary(answers: dict, *, month: date, applicant_name: str) -> list[dict]:
    """Every question group as (question, answer) pairs, rows under their own headings, for reading."""
    sections = []
    for step in ANSWER_STEPS:
        form, formsets = build_forms(step, answers=answers, month=month, applicant_name=applicant_name)
        raw = answers.get(step) or {}
        pairs = [
            (str(field.label), _display(field, raw.get(name)))
            for name, field in form.fields.items()
            if raw.get(name) not in (None, "", False)
        ]
        groups = []
        for key, formset in formsets.items():
            for index, row in enumerate(raw.get(key) or [], start=1):
                fields = formset.form(**formset.get_form_kwargs(0)).fields
                groups.append(
                    {
                        "heading": ROW_LABELS[key] % {"number": index},
                        "pairs": [
                            (str(field.label), _display(field, row.get(name)))
                            for name, field in fields.items()
                            if row.get(name) not in (None, "", False)
                        ],
                    }
                )
        sections.append({"step": step, "title": STEP_TITLES[step], "pairs": pairs, "groups": groups})
    return sections


ROW_LABELS = {
    "members": _("Person %(number)s"),
    "other_costs": _("Annan kostnad %(number)s"),
    "incomes": _("Inkomst %(number)s"),
}

COMPARED_COSTS = (
    "housing",
    "household_electricity",
    "home_insurance",
    "work_travel",
    "union_fee",
    "unemployment_fund_fee",
)


def _amount(value) -> int | None:
    try:
        return AmountField().to_python(value)
    except forms.ValidationError:
        return None


def differences(current: dict, previous: dict) -> list[str]:
    """What differs from last month's application, in words (people, costs and incomes)."""
    from sociala.core.money import format_sek

    lines: list[str] = []

    def members(answers):
        rows = (answers.get("household") or {}).get("members") or []
        return {re.sub(r"\D", "", str(row.get("personal_identity_number") or ""))[-10:]: row for row in rows}

    now, before = members(current), members(previous)
    for key in now.keys() - before.keys():
        lines.append(str(_("Ny i hushållet: %(name)s") % {"name": now[key].get("first_name") or "?"}))
    for key in before.keys() - now.keys():
        lines.append(
            str(_("Bor inte längre i hushållet: %(name)s") % {"name": before[key].get("first_name") or "?"})
        )
    cost_fields = CostsForm.base_fields
    for name in COMPARED_COSTS:
        a = _amount((previous.get("costs") or {}).get(name))
        b = _amount((current.get("costs") or {}).get(name))
        if a != b and a is not None and b is not None:
            lines.append(
                str(
                    _("%(what)s: %(before)s → %(now)s")
                    % {"what": cost_fields[name].label, "before": format_sek(a), "now": format_sek(b)}
                )
            )

    def incomes(answers):
        totals: dict[str, int] = {}
        for row in (answers.get("incomes") or {}).get("incomes") or []:
            totals[row.get("type") or ""] = totals.get(row.get("type") or "", 0) + (
                _amount(row.get("amount")) or 0
            )
        return totals

    income_now, income_before = incomes(current), incomes(previous)
    labels = dict(IncomeType.choices)
    for kind in sorted(income_now.keys() | income_before.keys()):
        a, b = income_before.get(kind, 0), income_now.get(kind, 0)
        if a != b:
            lines.append(
                str(
                    _("%(what)s: %(before)s → %(now)s")
                    % {"what": labels.get(kind, kind), "before": format_sek(a), "now": format_sek(b)}
                )
            )
    return lines
