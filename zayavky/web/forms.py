"""The forms of the staff pages: one small form per workflow action and the list filter.

A form only checks what a person can get wrong while typing (an empty field, a date that is not a date);
the rules of the procedure are checked by the workflow function the form's data is handed to, and its
refusals are shown on the same form (:meth:`ActionForm.add_workflow_errors`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zayavky.accounts import security
from zayavky.accounts.models import User
from zayavky.cases import answers, dues, rules, workflow
from zayavky.cases.access import executors_of, sees_all, signed_unit_ids
from zayavky.cases.models import Answer, Attachment, ContactAttempt, ServiceRequest, Status
from zayavky.cases.queries import ORDERINGS
from zayavky.catalog.models import URGENCY_CHOICES, Unit

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ActionForm(forms.Form):
    """A form that takes one workflow action on one request; its prefix is the action's name."""

    action: str = ""
    title: Any = ""
    help: Any = ""
    button: Any = _("Confirm")
    tone = "secondary"  # primary: moves the request on; secondary: an event; danger: sends it back or away
    multipart = False
    #: The action's function takes expected_status (comment and attach do not: they change no state).
    checks_status = True
    #: Folded into a ``<details>`` block on the request page: decided by :func:`folded` for each page.
    folded = False

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, sr: ServiceRequest, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.sr = sr
        self.user = user
        _plain_choice_errors(self)
        if not self.is_bound:
            # The status the page showed: a stale page is recognised by the workflow (Conflict "stale").
            self.fields["expected_status"].initial = sr.status

    def workflow_kwargs(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "expected_status"}
        if self.checks_status:
            data["expected_status"] = self.cleaned_data.get("expected_status") or None
        return data

    def add_workflow_errors(self, fields: dict[str, list[str]], message: str) -> None:
        """Put the workflow's refusal on the fields it names, or on the form as a whole."""
        placed = False
        for name, errors in fields.items():
            target = name if name in self.fields else None
            for error in errors:
                self.add_error(target, error)
                placed = True
        if not placed:
            self.add_error(None, message)


INVALID_CHOICE = _("Choose one of the values offered.")


def _plain_choice_errors(form: forms.Form) -> None:
    """One clear message for a value that is not among the choices (a tampered or outdated form)."""
    for field in form.fields.values():
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = INVALID_CHOICE


def _textarea(rows: int = 3, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class RouteForm(ActionForm):
    action = "route"
    title = _("Route to a unit")
    help = _(
        "Find the request type in the Classifier: it names the responsible unit and the urgency type, which "
        "decides the term (2.2, 2.12)."
    )
    button = _("Route")
    tone = "primary"

    category = forms.IntegerField(
        label=_("Request type of the Classifier"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a request type of the Classifier (2.2).")},
    )
    unit = forms.ModelChoiceField(
        label=_("Route to another unit"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label=_("— the unit the Classifier names —"),
        help_text=_("Only when the request plainly belongs to another unit than the Classifier's."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))

    def workflow_kwargs(self) -> dict[str, Any]:
        data = super().workflow_kwargs()
        data["unit"] = data["unit"].pk if data.get("unit") else None
        return data


class TakeForm(ActionForm):
    action = "take"
    title = _("Print the card and pass it to the head")
    help = _("The unit clerk prints the registration card immediately and passes it to the head of the unit (2.3).")
    button = _("Card printed, passed to the head")
    tone = "primary"


def _executors(sr: ServiceRequest) -> Any:
    """2.3: the people the head may name (the one rule: ``access.executors_of``)."""
    return executors_of([sr.unit_id])


class AssignForm(ActionForm):
    action = "assign"
    title = _("Name the executor")
    help = _("The head of the unit names the executor (2.3).")
    button = _("Assign")
    tone = "primary"

    executor = forms.ModelChoiceField(label=_("Executor"), queryset=User.objects.none(), empty_label=_("— choose —"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["executor"].queryset = _executors(self.sr)  # type: ignore[attr-defined]

    def workflow_kwargs(self) -> dict[str, Any]:
        data = super().workflow_kwargs()
        data["executor"] = data["executor"].pk
        return data


class ReassignForm(AssignForm):
    action = "reassign"
    title = _("Change the executor")
    help = _("The head of the unit may name another executor (2.3).")
    button = _("Change the executor")
    tone = "secondary"

    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=_textarea(2))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["executor"].queryset = _executors(self.sr).exclude(pk=self.sr.executor_id)  # type: ignore[attr-defined]


class ContactForm(ActionForm):
    action = "contact"
    title = _("Contact with the applicant")
    help = _(
        "Record each call or message: to clarify the request or because no e-mail was given (2.10). If the "
        "applicant cannot be reached, the answer will say so (2.11)."
    )
    button = _("Record the contact")

    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("— choose —")), *ContactAttempt.Channel.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("— choose —")), *ContactAttempt.Outcome.choices])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=_textarea(2),
        help_text=_("Required when the outcome is «other»."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("outcome") == ContactAttempt.Outcome.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the outcome of the contact."))
        return data


class AnswerForm(ActionForm):
    """The written answer to the applicant (2.5), offered with the 2.11 sentence when contact failed."""

    text = forms.CharField(label=_("Text of the answer"), max_length=20000, widget=_textarea(8))
    outcome = forms.ChoiceField(label=_("Result"), choices=[("", _("— choose —")), *Answer.Outcome.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["text"].initial = answers.suggested_answer_text(self.sr)
            answer = answers.current_answer(self.sr)
            if answer:
                self.fields["outcome"].initial = answer.outcome


class DraftForm(AnswerForm):
    action = "draft"
    # Not «Answer to the applicant»: that is the page's section showing the answer; this form saves a draft.
    title = _("Draft answer to the applicant")
    help = _(
        "The written answer, with photos of the completed work or an act of execution where needed (2.5). "
        "Saved as a draft; the head of the unit submits it for signature (2.6)."
    )
    button = _("Save the draft")


class SubmitForm(AnswerForm):
    action = "submit"
    title = _("Submit for signature")
    help = _(
        "The head of the unit personally submits the answer to the signatory under the distribution of duties (2.6)."
    )
    button = _("Submit for signature")
    tone = "primary"


class ReturnForm(ActionForm):
    action = "return"
    title = _("Return the answer to the unit")
    help = _("Say what has to be corrected; the answer goes back to the unit (2.4).")
    button = _("Return to the unit")
    tone = "danger"

    comment = forms.CharField(label=_("What to correct"), max_length=5000, widget=_textarea(3))


class SignForm(ActionForm):
    """Signing is deliberate (2.4, 2.8): the signatory confirms with the second factor or the password again."""

    action = "sign"
    title = _("Sign the answer")
    help = _("By signing you confirm the request is executed and may be removed from control (2.4, 2.8).")
    button = _("Sign")
    tone = "primary"

    confirmation = forms.CharField(
        label=_("Code of the second factor (or your password)"),
        max_length=security.MAX_SECRET,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "one-time-code"}),
        help_text=_("The six digits the authenticator app shows now; without a second factor, your password."),
        error_messages={"required": _("Confirm the signature with the code or your password.")},
    )

    def clean_confirmation(self) -> str:
        value: str = self.cleaned_data["confirmation"]
        if rules.may(self.user, "sign", self.sr) and not security.confirm(self.user, value):
            raise ValidationError(_("The code or password is wrong: the answer is not signed."))
        return value

    def workflow_kwargs(self) -> dict[str, Any]:
        data = super().workflow_kwargs()
        data.pop("confirmation", None)
        return data


class HandOverForm(ActionForm):
    action = "hand_over"
    title = _("Hand over to the general department")
    help = _(
        "Hand the signed answer, the documents and the card to the general department; the electronic "
        "version goes to its mailbox by e-mail (2.7)."
    )
    button = _("Handed over")
    tone = "primary"


class PublishForm(ActionForm):
    action = "publish"
    title = _("Post the answer to the Contact Center")
    help = _("The general department posts the unit's answer into the Contact Center's forms (2.9).")
    button = _("Posted")
    tone = "primary"

    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))


class ReworkForm(ActionForm):
    action = "rework"
    title = _("Returned for rework by the Contact Center")
    help = _(
        "The applicant did not confirm the result: the request goes back to the same unit and executor "
        "with a new term counted from now."
    )
    button = _("Return for rework")
    tone = "danger"

    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=_textarea(2))


class WithdrawForm(ActionForm):
    action = "withdraw"
    title = _("Withdrawn by the Contact Center")
    help = _("The Contact Center cancelled the request.")
    button = _("Withdraw")
    tone = "danger"

    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=_textarea(2))


class ReturnToGeneralForm(ActionForm):
    action = "return_to_general"
    title = _("Return to the general department")
    help = _("A request sent to the wrong unit, or not within competence, goes back to be routed again (2.2).")
    button = _("Return to the general department")
    tone = "danger"

    # Radio buttons, not a drop-down: the reasons are whole sentences that a closed select in the narrow
    # column of actions would cut off, and there are only two of them.
    reason = forms.ChoiceField(
        label=_("Reason"), choices=list(workflow.RETURN_REASONS.items()), widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Explanation"), max_length=5000, widget=_textarea(2))


class ExtendForm(ActionForm):
    action = "extend"
    title = _("Extend the term (emergency request)")
    help = _(
        "If an emergency request cannot be executed at once, the unit decides within 12 hours of receipt to "
        "extend its term by at most two working days, with a justification and a specific date (2.13)."
    )
    button = _("Extend the term")

    new_due = forms.DateTimeField(
        label=_("New due (Kyiv time)"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    justification = forms.CharField(label=_("Justification"), max_length=5000, widget=_textarea(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.window = dues.extension_window(self.sr)
        widget = self.fields["new_due"].widget
        if self.sr.control_due:
            widget.attrs["min"] = timezone.localtime(self.sr.control_due).strftime(DATETIME_LOCAL)
        if self.window:
            widget.attrs["max"] = timezone.localtime(self.window.latest_due).strftime(DATETIME_LOCAL)


class CommentForm(ActionForm):
    action = "comment"
    title = _("Comment")
    help = _("A note for everyone who handles the request.")
    button = _("Add the comment")
    checks_status = False

    text = forms.CharField(label=_("Comment"), max_length=5000, widget=_textarea(2))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class AttachForm(ActionForm):
    action = "attach"
    title = _("Attach files")
    help = _(
        "Photos of the completed work, acts of execution, scans — JPEG, PNG, WebP, HEIC, TIFF or PDF (2.5). "
        "On a phone you can take a photo with the camera."
    )
    button = _("Attach")
    multipart = True
    checks_status = False

    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices, initial=Attachment.Kind.PHOTO)
    file = MultipleFileField(
        label=_("Files"),
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
        error_messages={"required": _("Choose the files to attach.")},
    )


FORMS: dict[str, type[ActionForm]] = {
    cls.action: cls
    for cls in (
        RouteForm,
        TakeForm,
        AssignForm,
        ReassignForm,
        ContactForm,
        DraftForm,
        SubmitForm,
        ReturnForm,
        SignForm,
        HandOverForm,
        PublishForm,
        ReworkForm,
        WithdrawForm,
        ReturnToGeneralForm,
        ExtendForm,
        CommentForm,
        AttachForm,
    )
}
assert set(FORMS) == set(workflow.ACTIONS), "every workflow action has its form"

#: The next steps of the procedure: their forms stay open at the top of the request page. Extend is one
#: of them: it is offered only for an emergency request while the 12 hours of 2.13 run, and then it is the
#: decision the head must not miss.
NEXT_STEPS = frozenset({"route", "take", "assign", "submit", "sign", "hand_over", "publish", "rework", "extend"})
#: The executor's own work on the request (2.5, 2.10, 2.11): open for the executor, folded for anyone else.
EXECUTOR_WORK = frozenset({"draft", "contact", "attach"})


def folded(action: str, *, offered: set[str] | frozenset[str], user: User, sr: ServiceRequest) -> bool:
    """Whether the action's form starts folded into a ``<details>`` block on the request page.

    A unit head may be offered eight forms at once; the page stays calm by keeping the next step of the
    procedure open and folding the rest (comment, reassign, the steps that send the request back) under
    their titles. The draft folds when submit is offered too: the submit form carries the same answer (2.6).
    """
    if action in NEXT_STEPS:
        return False
    if action in EXECUTOR_WORK and sr.executor_id is not None and sr.executor_id == user.pk:
        return action == "draft" and "submit" in offered
    return True


#: The order of the forms on a request page: the step that moves the request on comes first.
ORDER = [
    "route",
    "take",
    "assign",
    "submit",
    "sign",
    "hand_over",
    "publish",
    "draft",
    "contact",
    "attach",
    "extend",
    "reassign",
    "comment",
    "return",
    "return_to_general",
    "rework",
    "withdraw",
]


# --- the list filter -----------------------------------------------------------------


class FilterForm(forms.Form):
    """The filters of the list, checked here so that a bad value gets a Ukrainian message, never a 500."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, help_text=_("Number, text, address or applicant.")
    )
    status = forms.CharField(label=_("Status"), required=False, widget=forms.Select)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    category = forms.CharField(label=_("Type (Classifier code)"), required=False, max_length=32)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    executor = forms.ChoiceField(label=_("Executor"), required=False)
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = forms.DateField(
        label=_("Received to"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    due_after = forms.DateField(
        label=_("Due from"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    due_before = forms.DateField(
        label=_("Due to"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[
            ("", _("all")),
            ("1", _("overdue now")),
            ("unit", _("the unit's due missed")),
            ("district", _("the Regulation's due missed")),
        ],
    )
    ordering = forms.ChoiceField(
        label=_("Order"), required=False, choices=[(k, k) for k in ORDERINGS], widget=forms.HiddenInput
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _plain_choice_errors(self)
        self.fields["status"].widget.choices = [("", _("all")), *Status.choices]  # type: ignore[attr-defined]
        units = Unit.objects.all()
        if not sees_all(user):
            units = units.filter(pk__in=user.unit_ids() | signed_unit_ids(user))
        self.fields["unit"].choices = [("", _("all")), *((u.pk, str(u)) for u in units)]  # type: ignore[attr-defined]
        self.fields["urgency"].choices = [("", _("all")), *URGENCY_CHOICES]  # type: ignore[attr-defined]
        executors = executors_of(None if sees_all(user) else user.unit_ids() | signed_unit_ids(user))
        self.fields["executor"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            ("me", _("me")),
            *((str(u.pk), u.short_name) for u in executors),
        ]

    def clean_status(self) -> str:
        value = (self.cleaned_data.get("status") or "").strip()
        bad = [s for s in value.split(",") if s.strip() and s.strip() not in Status.values]
        if bad:
            raise ValidationError(_("Unknown status: %(value)s."), params={"value": ", ".join(bad)})
        return value

    def params(self) -> dict[str, str]:
        """The cleaned filters as strings, the way zayavky.cases.queries.filter_requests takes them."""
        out: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if name in ("ordering", "page") or value in (None, "", False):
                continue
            if hasattr(value, "isoformat"):
                out[name] = value.isoformat()
            elif value is True:
                out[name] = "1"
            else:
                out[name] = str(value)
        return out
