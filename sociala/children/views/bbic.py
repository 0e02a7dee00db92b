"""The BBIC investigation's pages, the communication to the guardians, the decision with its placement,
the LVU path, the follow-up of placements and the child's plans."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.cases.choices import Stage
from sociala.cases.services import delegation_for
from sociala.children import party, selectors
from sociala.children.choices import TriangleSide
from sociala.children.models import GuardianCommunication
from sociala.children.services import investigation as inv
from sociala.children.services import placement as plc
from sociala.core.errors import InvalidInput, NotPermitted

from .forms import (
    AreaForm,
    ChildDecisionForm,
    ChildViewForm,
    CommunicationForm,
    CompleteInvestigationForm,
    ExtensionForm,
    LvuProgressForm,
    LvuStartForm,
    PlanForm,
    ReplyForm,
    ReviewForm,
    SourceForm,
    VisitForm,
)
from .pages import NAV, _child_case


def _run(request, form, call, success):
    """Call the service with the form's data; on success show the message and return the result."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except InvalidInput as error:
        form.add_service_errors(error)
        return None
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, success)
    return result if result is not None else True


def _form_page(request, case, form, *, title, submit, intro="", back=None, extra=None):
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "form": form,
        "title": title,
        "submit": submit,
        "intro": intro,
        "back": back,
        **(extra or {}),
    }
    return render(request, "children/form_page.html", context)


def _investigation(case):
    found = inv.ensure_investigation(case) if case.stage != Stage.INTAKE else None
    if found is None:
        raise Http404
    return found


@login_required
def investigation(request, case_id: int):
    """The investigation: the deadline and its extensions, the triangle, the child's view, the sources."""
    case = _child_case(request.user, case_id, "view_child_investigation")
    found = _investigation(case)
    today = timezone.localdate()
    documented = {a.area.code: a for a in found.areas.select_related("area", "recorded_by")}
    sides = []
    areas = inv.areas_in_force(found.started_on)
    for side in TriangleSide:
        rows = [(area, documented.get(area.code)) for area in areas if area.side == side]
        sides.append((side, rows))
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "investigation": found,
        "sides": sides,
        "missing": sum(1 for a in areas if a.code not in documented),
        "child_views": list(found.child_views.select_related("recorded_by")),
        "sources": list(found.sources.select_related("recorded_by")),
        "extensions": list(found.extensions.select_related("decided_by")),
        "is_open": case.stage == Stage.INVESTIGATION,
        "may_extend": inv.extension_delegation(request.user, case, today) is not None
        and case.stage in (Stage.INVESTIGATION, Stage.COMMUNICATION, Stage.DECISION),
        "days_left": (found.due_on - today).days,
        "today": today,
    }
    return render(request, "children/investigation.html", context)


def _back(case):
    return reverse("children:investigation", args=[case.pk])


@login_required
def area_edit(request, case_id: int, code: str):
    case = _child_case(request.user, case_id, "view_child_investigation")
    found = _investigation(case)
    area = next((a for a in inv.areas_in_force(found.started_on) if a.code == code), None)
    if area is None:
        raise Http404
    current = found.areas.filter(area=area).first()
    form = AreaForm(request.POST or None, initial={"text": current.text if current else ""})
    done = _run(
        request,
        form,
        lambda d: inv.save_area_assessment(actor=request.user, case=case, area_code=code, text=d["text"]),
        _("Området är sparat."),
    )
    if done:
        return redirect("children:investigation", case_id=case.pk)
    return _form_page(
        request,
        case,
        form,
        title=f"{area.get_side_display()}: {area.label}",
        submit=_("Spara området"),
        intro=area.note,
        back=_back(case),
    )


@login_required
def child_view_create(request, case_id: int):
    case = _child_case(request.user, case_id, "view_child_investigation")
    _investigation(case)
    form = ChildViewForm(request.POST or None, initial={"heard_on": timezone.localdate()})
    done = _run(
        request,
        form,
        lambda d: inv.record_child_view(actor=request.user, case=case, **d),
        _("Barnets syn är dokumenterad."),
    )
    if done:
        return redirect("children:investigation", case_id=case.pk)
    return _form_page(
        request,
        case,
        form,
        title=_("Barnets egen syn"),
        submit=_("Spara barnets syn"),
        intro=_("Barnets syn dokumenteras för sig, med hur barnet hördes och vilka som var med."),
        back=_back(case),
    )


@login_required
def source_create(request, case_id: int):
    case = _child_case(request.user, case_id, "view_child_investigation")
    _investigation(case)
    form = SourceForm(request.POST or None, initial={"contacted_on": timezone.localdate()})
    done = _run(
        request,
        form,
        lambda d: inv.record_information_source(actor=request.user, case=case, **d),
        _("Kontakten är registrerad."),
    )
    if done:
        return redirect("children:investigation", case_id=case.pk)
    return _form_page(
        request,
        case,
        form,
        title=_("Kontakt med annan källa"),
        submit=_("Spara kontakten"),
        intro=_("Vem som kontaktades, när, vad som kom fram och om vårdnadshavarna samtyckt."),
        back=_back(case),
    )


@login_required
def extension_create(request, case_id: int):
    case = _child_case(request.user, case_id, "view_child_investigation")
    found = _investigation(case)
    form = ExtensionForm(request.POST or None)
    done = _run(
        request,
        form,
        lambda d: inv.extend_investigation(actor=request.user, case=case, **d),
        _("Utredningstiden är förlängd."),
    )
    if done:
        return redirect("children:investigation", case_id=case.pk)
    intro = _(
        "Nuvarande slutdatum: %(date)s. Utredningstiden får förlängas om det finns särskilda skäl (SoL 20 kap. 3 §)."
    ) % {"date": found.due_on.isoformat()}
    if inv.extension_delegation(request.user, case, timezone.localdate()) is None:
        intro = f"{intro} {_('Du har inte delegation att förlänga utredningstiden.')}"
    return _form_page(
        request,
        case,
        form,
        title=_("Förläng utredningstiden"),
        submit=_("Förläng"),
        intro=intro,
        back=_back(case),
    )


@login_required
def investigation_complete(request, case_id: int):
    case = _child_case(request.user, case_id, "view_child_investigation")
    _investigation(case)
    form = CompleteInvestigationForm(request.POST or None)
    done = _run(
        request,
        form,
        lambda d: inv.complete_investigation(actor=request.user, case=case, summary=d["summary"]),
        _("Utredningen är klar. Kommunicera den med vårdnadshavarna."),
    )
    if done:
        return redirect("children:communication", case_id=case.pk)
    return _form_page(
        request,
        case,
        form,
        title=_("Avsluta utredningen"),
        submit=_("Avsluta utredningen"),
        intro=_("Alla områden i triangeln och barnets syn ska vara dokumenterade."),
        back=_back(case),
    )


@login_required
def communication(request, case_id: int):
    """Kommunicering with each guardian: send, record the reply, and go on to the decision."""
    case = _child_case(request.user, case_id, "view_child_communication")
    found = _investigation(case)
    parties = inv.parties_of(case.person)
    today = timezone.localdate()
    form = CommunicationForm(
        request.POST or None,
        parties=parties,
        initial={"sent_on": today, "reply_due_on": today + timedelta(days=14)},
    )
    by_pk = {p.pk: p for p in parties}
    done = _run(
        request,
        form,
        lambda d: inv.record_guardian_communication(
            actor=request.user,
            case=case,
            guardian=by_pk[d["guardian"]],
            sent_on=d["sent_on"],
            method=d["method"],
            reply_due_on=d["reply_due_on"],
        ),
        _("Kommuniceringen är registrerad."),
    )
    if done:
        return redirect("children:communication", case_id=case.pk)
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "investigation": found,
        "rows": inv.communication_status(found, parties, today),
        "communications": list(found.communications.select_related("guardian", "recorded_by")),
        "form": form,
        "is_open": case.stage == Stage.COMMUNICATION,
        "today": today,
    }
    return render(request, "children/communication.html", context)


@login_required
def communication_reply(request, case_id: int, communication_id: int):
    case = _child_case(request.user, case_id, "view_child_communication")
    found = _investigation(case)
    item = found.communications.select_related("guardian").filter(pk=communication_id).first()
    if item is None:
        raise Http404
    form = ReplyForm(request.POST or None, initial={"replied_on": timezone.localdate()})
    done = _run(
        request,
        form,
        lambda d: inv.record_guardian_reply(actor=request.user, communication=item, **d),
        _("Svaret är registrerat."),
    )
    if done:
        return redirect("children:communication", case_id=case.pk)
    return _form_page(
        request,
        case,
        form,
        title=_("Svar från %(name)s") % {"name": item.guardian_name},
        submit=_("Spara svaret"),
        intro=_("Skickad %(sent)s, sista dag för svar %(due)s.")
        % {"sent": item.sent_on.isoformat(), "due": item.reply_due_on.isoformat()},
        back=reverse("children:communication", args=[case.pk]),
    )


@login_required
@require_POST
def communication_finish(request, case_id: int):
    case = _child_case(request.user, case_id, "view_child_communication")
    try:
        inv.finish_communication(actor=request.user, case=case)
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
        return redirect("children:communication", case_id=case.pk)
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, _("Kommuniceringen är klar. Ärendet är redo för beslut."))
    return redirect("children:decision_create", case_id=case.pk)


@login_required
def decision_create(request, case_id: int):
    """The decision that ends the investigation: an in-home intervention, a placement, or none."""
    case = _child_case(request.user, case_id, "view_case_for_decision")
    if case.stage != Stage.DECISION:
        return redirect("children:case_detail", case_id=case.pk)
    form = ChildDecisionForm(request.POST or None, initial={"period_start": timezone.localdate()})
    done = _run(
        request,
        form,
        lambda d: plc.decide_child_case(actor=request.user, case=case, **d),
        _("Beslutet är fattat och beslutsbrevet finns i akten."),
    )
    if done:
        return redirect("children:case_detail", case_id=case.pk)
    intro = (
        ""
        if delegation_for(request.user, case, timezone.localdate())
        else _("Du har inte delegation att fatta beslut i den här typen av ärende.")
    )
    return _form_page(
        request,
        case,
        form,
        title=_("Beslut efter utredning"),
        submit=_("Fatta beslut"),
        intro=intro,
        extra={"hint": _("Vid placering: ange grund, plats och kommun. Placeringen gallras aldrig.")},
    )


@login_required
def lvu(request, case_id: int):
    """The LVU path: start it (grounds, court, immediate custody), then record dates and the court's outcomes."""
    case = _child_case(request.user, case_id, "view_child_lvu")
    matter = case.lvu_matters.order_by("-pk").first()
    if matter is None:
        form = LvuStartForm(request.POST or None)
        done = _run(
            request,
            form,
            lambda d: plc.start_lvu_matter(actor=request.user, case=case, **d),
            _("LVU-ärendet är registrerat."),
        )
    else:
        form = LvuProgressForm(request.POST or None)
        done = _run(
            request,
            form,
            lambda d: plc.record_lvu_progress(actor=request.user, matter=matter, **d),
            _("Uppgifterna är sparade."),
        )
    if done:
        return redirect("children:lvu", case_id=case.pk)
    deadlines = list(
        case.deadlines.filter(rule__code__startswith="child_lvu")
        .select_related("rule")
        .order_by("status", "due_on")
    )
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "matter": matter,
        "form": form,
        "deadlines": deadlines,
    }
    return render(request, "children/lvu.html", context)


def _placement(user, placement_id: int, action: str):
    placement = selectors.placement_for_user(user, placement_id, action=action)
    if placement is None:
        raise Http404
    return placement


@login_required
def placement_detail(request, placement_id: int):
    """A placement: where, from when, on what basis; visits and the six-monthly considerations."""
    placement = _placement(request.user, placement_id, "view_placement")
    case = placement.case
    today = timezone.localdate()
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "placement": placement,
        "visits": list(placement.visits.select_related("visited_by")),
        "reviews": list(placement.reviews.select_related("decided_by")),
        "deadline": case.deadlines.filter(
            rule__code=plc.REVIEW_RULES.get(placement.basis, "-"), status="open"
        )
        .select_related("rule")
        .first(),
        "visit_form": VisitForm(initial={"visited_on": today}, prefix="visit"),
        "review_form": ReviewForm(initial={"reviewed_on": today}, prefix="review"),
        "has_review": placement.basis in plc.REVIEW_RULES,
        "today": today,
    }
    if request.method == "POST":
        which = request.POST.get("which")
        if which == "visit":
            form = VisitForm(request.POST, prefix="visit")
            done = _run(
                request,
                form,
                lambda d: plc.record_placement_visit(actor=request.user, placement=placement, **d),
                _("Besöket är registrerat."),
            )
            context["visit_form"] = form
        elif which == "review":
            form = ReviewForm(request.POST, prefix="review")
            done = _run(
                request,
                form,
                lambda d: plc.record_placement_review(actor=request.user, placement=placement, **d),
                _("Övervägandet är registrerat."),
            )
            context["review_form"] = form
        else:
            raise Http404
        if done:
            return redirect("children:placement_detail", placement_id=placement.pk)
    return render(request, "children/placement_detail.html", context)


@login_required
def plans(request, case_id: int):
    """The child's vårdplan and genomförandeplan, every version kept; a change is a new version."""
    case = _child_case(request.user, case_id, "view_child_plans")
    form = PlanForm(request.POST or None, initial={"established_on": timezone.localdate()})
    done = _run(
        request,
        form,
        lambda d: plc.save_child_plan(actor=request.user, case=case, **d),
        _("Planen är sparad som en ny version."),
    )
    if done:
        return redirect("children:plans", case_id=case.pk)
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "plans": list(case.child_plans.select_related("recorded_by")),
        "form": form,
        "may_add": case.stage not in (Stage.INTAKE, Stage.CLOSED),
    }
    return render(request, "children/plans.html", context)


def _letter_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def communication_letter(request, case_id: int, communication_id: int):
    """The communication letter to one guardian, as staff print it: the same the guardian sees."""
    case = _child_case(request.user, case_id, "view_child_communication_letter")
    item = (
        GuardianCommunication.objects.filter(investigation__case=case, pk=communication_id)
        .select_related("guardian", "investigation")
        .first()
    )
    if item is None or item.guardian is None:
        raise Http404
    material = party.build_party_case(case, case.person, item.guardian)
    data = party.communication_letter_pdf(material, item.guardian, item)
    return _letter_response(data, f"Kommunicering {case.reference} {item.guardian.last_name}")


@login_required
def guardian_decision_letter(request, case_id: int, decision_id: int, guardian_id: int):
    """The decision about the child in a letter to one guardian (residence hidden when protected)."""
    case = _child_case(request.user, case_id, "view_guardian_decision_letter")
    guardian = next((p for p in inv.parties_of(case.person) if p.pk == guardian_id), None)
    decision = case.decisions.filter(pk=decision_id).first()
    if guardian is None or decision is None:
        raise Http404
    material = party.build_party_case(case, case.person, guardian)
    data = party.decision_letter_pdf(material, guardian, decision)
    return _letter_response(data, f"Beslut {decision.reference} {guardian.last_name}")
