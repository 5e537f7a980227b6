"""The one table of the procedure: which action starts from which states, where it leads, who may take it.

:data:`RULES` drives the enforcement (:func:`check`, used by every action of :mod:`zayavky.cases.workflow`),
the actions offered to the pages and the API (:func:`available_actions`), the OpenAPI summaries, the
refusal texts and the work queues. Nothing else re-types a list of states: ask this table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zayavky import deadlines
from zayavky.accounts.models import Role, User
from zayavky.cases import clock, dues
from zayavky.cases.access import can_see, signed_unit_ids
from zayavky.cases.errors import Conflict, Forbidden, NotFound
from zayavky.cases.models import OPEN, ServiceRequest, Status

S = Status

# Who acts on a request, relative to it:
ANYWHERE = "anywhere"  # the role, in any unit or none (general department, integration account)
IN_UNIT = "in_unit"  # the role in the request's unit
ASSIGNED = "assigned"  # the executor named on the request
SIGNS_FOR_UNIT = "signs_for_unit"  # a signatory who signs for the request's unit under the duties in force
SEES_IT = "sees_it"  # anyone who may see the request


@dataclass(frozen=True)
class Rule:
    """Which states an action starts from, where it leads, and who may take it."""

    from_states: frozenset[str]
    to_state: str | None  # None: an event that changes no state
    who: tuple[tuple[str, str], ...]  # (role, scope) pairs; any one suffices; role "" = any role
    paragraph: str  # where order 170-р (or docs/design.md) says so
    #: A step offered on the request's page and as /api/v1/requests/{id}/{action}; False: taken from
    #: elsewhere (settling the intake log is done on the hand-over, not on the request).
    offered: bool = True


def _rule(
    states: Iterable[str], to: str | None, who: Iterable[tuple[str, str]], paragraph: str, *, offered: bool = True
) -> Rule:
    return Rule(frozenset(states), to, tuple(who), paragraph, offered)


WORKING = (S.ROUTED, S.WITH_HEAD, S.IN_WORK)

#: The one table of the procedure: action → from which states, to which state, by whom.
RULES: dict[str, Rule] = {
    "route": _rule([S.NEW], S.ROUTED, [(Role.GENERAL, ANYWHERE)], "2.2"),
    "take": _rule([S.ROUTED], S.WITH_HEAD, [(Role.UNIT_CLERK, IN_UNIT)], "2.3"),
    "assign": _rule([S.WITH_HEAD], S.IN_WORK, [(Role.UNIT_HEAD, IN_UNIT)], "2.3"),
    "reassign": _rule([S.IN_WORK], None, [(Role.UNIT_HEAD, IN_UNIT)], "2.3"),
    "contact": _rule([S.IN_WORK], None, [(Role.EXECUTOR, ASSIGNED), (Role.UNIT_HEAD, IN_UNIT)], "2.10, 2.11"),
    "draft": _rule([S.IN_WORK], None, [(Role.EXECUTOR, ASSIGNED), (Role.UNIT_HEAD, IN_UNIT)], "2.5"),
    "submit": _rule([S.IN_WORK], S.ON_SIGNATURE, [(Role.UNIT_HEAD, IN_UNIT)], "2.6"),
    "return": _rule([S.ON_SIGNATURE], S.IN_WORK, [(Role.SIGNATORY, SIGNS_FOR_UNIT)], "2.4"),
    "sign": _rule([S.ON_SIGNATURE], S.SIGNED, [(Role.SIGNATORY, SIGNS_FOR_UNIT)], "2.4, 2.8"),
    "hand_over": _rule([S.SIGNED], S.HANDED_OVER, [(Role.UNIT_CLERK, IN_UNIT)], "2.7"),
    "publish": _rule([S.HANDED_OVER], S.PUBLISHED, [(Role.GENERAL, ANYWHERE)], "2.9"),
    "rework": _rule(
        [S.PUBLISHED], S.IN_WORK, [(Role.GENERAL, ANYWHERE), (Role.INTEGRATION, ANYWHERE)], "docs/design.md 2"
    ),
    "withdraw": _rule(OPEN, S.WITHDRAWN, [(Role.GENERAL, ANYWHERE), (Role.INTEGRATION, ANYWHERE)], "docs/design.md 2"),
    "return_to_general": _rule(WORKING, S.NEW, [(Role.UNIT_HEAD, IN_UNIT), (Role.UNIT_CLERK, IN_UNIT)], "2.2"),
    "extend": _rule(WORKING, None, [(Role.UNIT_HEAD, IN_UNIT)], "2.13"),
    "comment": _rule(list(S.values), None, [("", SEES_IT)], "docs/design.md 2"),
    "attach": _rule(
        [S.NEW, *WORKING],
        None,
        [
            (Role.GENERAL, ANYWHERE),
            (Role.EXECUTOR, ASSIGNED),
            (Role.UNIT_HEAD, IN_UNIT),
            (Role.UNIT_CLERK, IN_UNIT),
        ],
        "2.5",
    ),
    # 2.1: the Contact Center handed a known number over again with other content (kept in the intake log);
    # the general department (or an administrator, from the administration) takes the new version, keeps
    # the old one, or dismisses it.
    "settle_intake": _rule(
        list(S.values), None, [(Role.GENERAL, ANYWHERE), (Role.ADMIN, ANYWHERE)], "2.1", offered=False
    ),
}


def _holds(user: User, request: ServiceRequest, role: str, scope: str) -> bool:
    if scope == SEES_IT:
        return can_see(user, request)
    if not user.has_role(role):
        return False
    if scope == ANYWHERE:
        return True
    if scope == IN_UNIT:
        return request.unit_id is not None and request.unit_id in user.unit_ids(role)
    if scope == ASSIGNED:
        return request.executor_id == user.pk and request.unit_id in user.unit_ids(role)
    if scope == SIGNS_FOR_UNIT:
        return request.unit_id is not None and request.unit_id in signed_unit_ids(user)
    raise AssertionError(scope)


def may(user: User, action: str, request: ServiceRequest) -> bool:
    """May this person take this action on this request in its present state?

    An extension (2.13) is offered only while it can still be decided, so that the pages and the API's
    ``actions`` do not offer a step that can only be refused; ``workflow.extend`` itself still gives the
    reason when someone tries anyway."""
    rule = RULES[action]
    if request.status not in rule.from_states:
        return False
    if action == "extend" and not extension(request, clock.now()).open:
        return False
    return any(_holds(user, request, role, scope) for role, scope in rule.who)


def available_actions(user: User, request: ServiceRequest) -> list[str]:
    """What this person may do with the request now (the API's ``actions``, the page's forms)."""
    if not user.is_authenticated or not can_see(user, request):
        return []
    return [action for action, rule in RULES.items() if rule.offered and may(user, action, request)]


def check(user: User, action: str, request: ServiceRequest, expected_status: str | None) -> None:
    rule = RULES[action]
    if not can_see(user, request):
        raise NotFound(_("No such request."))
    if not any(_holds(user, request, role, scope) for role, scope in rule.who):
        if rule.paragraph[:1].isdigit():
            message = _("This step is not yours to take: %(who)s (order 170-р, p. %(par)s).") % {
                "who": who_text(rule),
                "par": rule.paragraph,
            }
        else:  # a step of the design, not of the order: "p. docs/design.md 2" means nothing to a clerk
            message = _("This step is not yours to take: %(who)s.") % {"who": who_text(rule)}
        raise Forbidden(message, code="wrong_person")
    if expected_status and expected_status != request.status:
        raise Conflict(
            _("Someone has moved request %(number)s on meanwhile: it is now «%(status)s». Reload the page.")
            % {"number": request.number, "status": request.get_status_display()},
            code="stale",
        )
    if request.status not in rule.from_states:
        raise Conflict(
            _("Request %(number)s is «%(status)s»: this step is not possible in that state.")
            % {"number": request.number, "status": request.get_status_display()},
            code="wrong_state",
        )


#: Who takes a step, as the refusal names them: a phrase that reads inside a sentence in both languages
#: (the bare role labels are capitalised headings, and "Unit head of the request's unit" says it twice).
WHO_TEXT: dict[tuple[str, str], Any] = {
    (Role.GENERAL, ANYWHERE): gettext_lazy("the general department"),
    (Role.INTEGRATION, ANYWHERE): gettext_lazy("the Contact Center's integration account"),
    (Role.ADMIN, ANYWHERE): gettext_lazy("an administrator"),
    (Role.UNIT_CLERK, IN_UNIT): gettext_lazy("the clerk of the unit the request is with"),
    (Role.UNIT_HEAD, IN_UNIT): gettext_lazy("the head of the unit the request is with"),
    (Role.EXECUTOR, ASSIGNED): gettext_lazy("the executor named on the request"),
    (Role.SIGNATORY, SIGNS_FOR_UNIT): gettext_lazy(
        "the signatory for the request's unit under the distribution of duties"
    ),
}


def who_text(rule: Rule) -> str:
    names = []
    for role, scope in rule.who:
        if not role:
            return _("anyone who may see the request")
        phrase = WHO_TEXT.get((role, scope))
        if phrase is None:  # a pair added to RULES without its phrase here: the role's label still says it
            phrase = Role(role).label
        names.append(str(phrase))
    return _(" or ").join(names)


def states(action: str) -> tuple[str, ...]:
    """The states an action starts from, in the lifecycle's order (for queues and lists)."""
    return tuple(s for s in Status.values if s in RULES[action].from_states)


@dataclass(frozen=True)
class ExtensionState:
    """2.13 for one request at one moment: the window, whether an extension can still be decided, and
    whether the head should be warned that the 12-hour window is closing."""

    window: deadlines.ExtensionWindow | None  # None: not an emergency request (or no term yet)
    open: bool  # an extension can be decided now (state and time)
    decided: bool  # an extension has been decided
    warn: bool  # open, none decided, and past :data:`dues.EXTENSION_WARNING_AFTER` since the term started

    @property
    def decide_by(self) -> dt.datetime | None:
        return self.window.decide_by if self.window else None


def extension(request: ServiceRequest, now: dt.datetime) -> ExtensionState:
    """The one answer to "can this request's term still be extended, and until when" (2.13)."""
    window = dues.extension_window(request)
    decided = request.extended_due is not None
    is_open = (
        window is not None and request.status in RULES["extend"].from_states and dues.within_decision_time(request, now)
    )
    warn_from = dues.term_start(request) + dues.EXTENSION_WARNING_AFTER
    warn = is_open and not decided and deadlines.time_left(warn_from, now) <= dt.timedelta(0)
    return ExtensionState(window, is_open, decided, warn)
