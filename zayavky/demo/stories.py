"""The demo's requests planned: which stories the district tells, and when each step of each happens.

:class:`Planner` draws, from one seed, the mix of a few hundred requests — every state of the procedure and
the cases a demo must show (an emergency request still extendable, 2.13; one due today, 2.12.1; overdue
ones; reworked, withdrawn, misrouted ones) — and gives every step its moment: office work in office hours
of working days; an emergency request round the clock (2.12.3); an extension within 12 hours of receipt
(2.13); nothing later than the moment of loading. The steps themselves are taken by
:mod:`zayavky.demo.requests` through the real workflow.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from zayavky import deadlines
from zayavky.accounts.models import User
from zayavky.cases import workflow
from zayavky.cases.models import Attachment, ContactAttempt, ServiceRequest
from zayavky.catalog.models import Category
from zayavky.demo.cast import HANDED_OVER, IN_WORK, NEW, ON_SIGNATURE, PUBLISHED, ROUTED, SIGNED, WITH_HEAD, Staff
from zayavky.demo.mix import (
    AGES,
    EARLY_URGENCY_WEIGHTS,
    EMERGENCY_AGES,
    EMG,
    FIXED,
    GAPS,
    OFFICE_CLOSES,
    OFFICE_OPENS,
    ORD,
    SCENARIO_TARGET,
    SHARES,
    URGENCY_PACE,
    URGENCY_WEIGHTS,
)
from zayavky.demo.samples import MAIL_DOMAINS, MOBILE_CODES, MONTHS_GENITIVE, POSTCODES, Samples, latin

if TYPE_CHECKING:
    from zayavky.demo.requests import Steps

KYIV = ZoneInfo("Europe/Kyiv")
UTC = dt.UTC
_K = TypeVar("_K")


# --------------------------------------------------------------------------------------------------
# One request's story
# --------------------------------------------------------------------------------------------------


@dataclass
class Act:
    name: str
    gap: float  # hours after the previous step
    run: Callable[[], None]
    office: bool = True  # happens in office hours
    scaled: bool = True  # the gap follows the request's urgency and pace
    latest: dt.timedelta | None = None  # no later than this after receipt


@dataclass
class Story:
    index: int
    scenario: str
    urgency: str
    category: Category
    received_at: dt.datetime
    target: int
    pace: float
    gender: str
    applicant: dict[str, str]
    address: str
    text: str
    rework_to: int | None = None
    withdraw: bool = False
    misroute: tuple[Category, str] | None = None
    stays_new: bool = False
    outcome: str = "executed"
    acts: list[Act] = field(default_factory=list)
    times: list[dt.datetime] = field(default_factory=list)
    number: str = ""
    # Filled while loading:
    request: ServiceRequest | None = None
    executor: User | None = None
    work_date: dt.date | None = None
    photos: int = 0


class Planner:
    """The stories of ``count`` requests, each with the moments of its steps (:meth:`story`, :meth:`schedule`)."""

    def __init__(self, count: int, seed: int, now: dt.datetime, samples: Samples, steps: Steps) -> None:
        # Two streams here and one in the steps, so that what the district holds (types, people, texts) does
        # not depend on the hour of loading, which moves the office-hour rounding, nor on the order the
        # steps then run in.
        self.rng = random.Random(seed)
        self.time_rng = random.Random(seed + 1)
        self.count = count
        self.now = now
        self.limit = now - dt.timedelta(minutes=3)  # nothing in the history is later than this
        self.samples = samples
        self.steps = steps
        self.calendar = steps.calendar
        self.terms = steps.terms
        self.cast = steps.cast
        self.categories = list(Category.objects.filter(is_active=True).select_related("unit").order_by("code"))
        #: The staffed units no request has yet been planned to reach «in work» in. The first such requests
        #: go to them (where a type of theirs fits the request's urgency and season), so the demo shows the
        #: people of every unit at work (2.3–2.7), not only of the units with the most request types; after
        #: that every active type is as likely as any other.
        self.unshown = {c.unit_id for c in self.categories if self.cast.ready(c.unit_id, IN_WORK)}

    def scenarios(self) -> list[str]:
        fixed = dict(FIXED)
        if self.count >= 150:
            fixed["extended_done"] = 1
        rest = self.count - sum(fixed.values())
        total = sum(SHARES.values())
        exact = {k: rest * v / total for k, v in SHARES.items()}
        counts = {k: max(1, int(x)) for k, x in exact.items()}
        # Largest remainders take what is left (or give back what the minimum of one took).
        by_remainder = sorted(SHARES, key=lambda k: exact[k] - int(exact[k]), reverse=True)
        i = 0
        while sum(counts.values()) != rest:
            k = by_remainder[i % len(by_remainder)]
            if sum(counts.values()) < rest:
                counts[k] += 1
            elif counts[k] > 1:
                counts[k] -= 1
            i += 1
        names = [k for k, n in {**counts, **fixed}.items() for _ in range(n)]
        self.rng.shuffle(names)
        return names

    def _weighted(self, weights: dict[_K, float]) -> _K:
        keys = list(weights)
        return self.rng.choices(keys, [weights[k] for k in keys])[0]

    def category(
        self,
        urgency: str | None,
        month: int,
        *,
        stage: int,
        exclude_unit: int | None = None,
        prefer: set[int] | None = None,
    ) -> Category | None:
        """A type whose unit's people can take a request to ``stage``; of a unit in ``prefer`` if one fits."""

        def fits(c: Category, season: bool, by_urgency: bool) -> bool:
            return (
                self.cast.ready(c.unit_id, stage)
                and c.unit_id != exclude_unit
                and (not by_urgency or urgency is None or c.urgency == urgency)
                and (not season or month in self.samples.seasons.get(c.code, range(1, 13)))
            )

        for season, by_urgency in ((True, True), (False, True), (True, False), (False, False)):
            eligible = [c for c in self.categories if fits(c, season, by_urgency)]
            if eligible:
                if prefer:
                    eligible = [c for c in eligible if c.unit_id in prefer] or eligible
                return self.rng.choice(eligible)
        return None

    def received_at(self, scenario: str, urgency: str) -> dt.datetime:
        if scenario == "due_today":
            return self._received_for_due_today()
        low, high = AGES.get(scenario, AGES["in_work"])
        if urgency == EMG:
            low, high = EMERGENCY_AGES.get(scenario, (low, high))
        if scenario == "in_work" and urgency != EMG and self.rng.random() < 0.45:
            high = 96  # many requests are in work within their term
        hours = self.rng.uniform(low, high)
        at = self.now - dt.timedelta(hours=hours)
        if scenario not in ("emergency_fresh", "emergency_hours_left", "extended") and hours > 24:
            # The Contact Center works round the clock, but most calls come in the day.
            local = at.astimezone(KYIV)
            hour = self.rng.choices(
                range(24), [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1]
            )[0]
            local = local.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60))
            at = local.astimezone(UTC)
        return at

    def _received_for_due_today(self) -> dt.datetime:
        """An ordinary request whose internal due (2.12.1) is the end of today, if any day gives one."""
        today = self.now.astimezone(KYIV).date()
        candidates = []
        for back in range(1, 12):
            day = today - dt.timedelta(days=back)
            at = dt.datetime.combine(day, dt.time(10), tzinfo=KYIV)
            due = deadlines.due_dates(at, ORD, calendar=self.calendar, terms=self.terms).internal
            if due.astimezone(KYIV).date() == today:
                candidates.append(day)
        pick = self.rng.random()  # drawn whatever the day, so the rest of the district stays the same
        day = candidates[int(pick * len(candidates))] if candidates else today - dt.timedelta(days=3)
        local = dt.datetime.combine(day, dt.time(self.rng.randint(8, 18), self.rng.randrange(60)), tzinfo=KYIV)
        return local.astimezone(UTC)

    # --- the applicant and the text ------------------------------------------------------------------

    def applicant(self, story_gender: str) -> tuple[str, dict[str, str]]:
        rng = self.rng
        surname = rng.choice(self.samples.surnames)
        male_patr, female_patr = rng.choice(self.samples.patronymics)
        if story_gender == "m":
            first, patronymic = rng.choice(self.samples.male_names), male_patr
        else:
            first, patronymic = rng.choice(self.samples.female_names), female_patr
        street, top = rng.choice(self.samples.streets)
        house = rng.randint(1, top)
        flat = rng.randint(1, 120)
        home = f"{street}, {house}"
        fields = {
            "applicant_name": f"{surname} {first} {patronymic}",
            "applicant_phone": f"+380{rng.choice(MOBILE_CODES)}{rng.randrange(10**7):07d}",
            "applicant_email": "",
            "applicant_address": f"{home}, кв. {flat}, м. Кривий Ріг, {rng.choice(POSTCODES)}",
        }
        if rng.random() < 0.4:
            login = (
                f"{latin(first)}.{latin(surname)}" if rng.random() < 0.5 else f"{latin(surname)}{rng.randint(50, 99)}"
            )
            fields["applicant_email"] = f"{login}@{rng.choice(MAIL_DOMAINS)}"
        return home, fields

    def text(self, category: Category, gender: str, address: str, received_at: dt.datetime) -> str:
        rng = self.rng
        texts = self.samples.texts
        templates = texts.get(category.code) or texts.get(category.code[:2]) or texts["08"]
        fl = rng.randint(2, 9)
        previous_month = (received_at.astimezone(KYIV).month - 2) % 12
        return rng.choice(templates).format(
            addr=address,
            entr=rng.randint(1, 6),
            fl=fl,
            fl2=fl + 1,
            days=rng.randint(2, 4),
            weeks=rng.randint(2, 3),
            few=rng.randint(2, 4),
            many=rng.randint(5, 12),
            temp=rng.randint(11, 15),
            month=MONTHS_GENITIVE[previous_month],
            Who="Заявник" if gender == "m" else "Заявниця",
            name=category.name,
            name_lc=category.name[:1].lower() + category.name[1:],
        )

    # --- planning a story ----------------------------------------------------------------------------

    def story(self, index: int, scenario: str) -> Story:
        rng = self.rng
        withdraw = scenario == "withdrawn"
        if withdraw:
            target = self._weighted({NEW: 0.3, ROUTED: 0.3, WITH_HEAD: 0.15, IN_WORK: 0.25})
        else:
            target = SCENARIO_TARGET.get(scenario, IN_WORK)
        if scenario in ("emergency_fresh", "emergency_hours_left", "extended", "extended_done"):
            urgency = EMG
            if scenario in ("emergency_fresh", "emergency_hours_left"):
                target = self._weighted({ROUTED: 0.2, WITH_HEAD: 0.3, IN_WORK: 0.5})
        elif scenario == "due_today":
            urgency = ORD
            target = self._weighted({WITH_HEAD: 0.3, IN_WORK: 0.7})
        elif target <= IN_WORK:
            urgency = self._weighted(EARLY_URGENCY_WEIGHTS)
        else:
            urgency = self._weighted(URGENCY_WEIGHTS)
        received_at = self.received_at(scenario, urgency)
        month = received_at.astimezone(KYIV).month
        misroute_reason = None
        if scenario == "new_returned":
            misroute_reason = "wrong_unit" if rng.random() < 0.5 else "not_competent"
        elif target >= ROUTED and not withdraw and scenario in SHARES and rng.random() < 0.05:
            misroute_reason = "wrong_unit"
        # A request that only gets routed may belong to any unit; further on, the unit needs its people.
        needs = max(target, WITH_HEAD if misroute_reason else target)
        if scenario in FIXED:
            needs = IN_WORK  # the special cases are shown in a unit whose people can act on them (2.13)
        works = target >= IN_WORK  # withdrawn from «in work» included: its people worked on it
        category = self.category(urgency, month, stage=needs, prefer=self.unshown if works else None)
        if category is None:
            raise RuntimeError("No active request type of the Classifier can be used: load the reference data.")
        if works:
            self.unshown.discard(category.unit_id)
        if not self.cast.ready(category.unit_id, target):
            target = ROUTED  # no clerk in that unit: it waits in the unit's queue
        urgency = category.urgency
        gender = "m" if rng.random() < 0.45 else "f"
        address, applicant = self.applicant(gender)
        if category.code.startswith("03") and rng.random() < 0.7:
            address = applicant["applicant_address"]
        s = Story(
            index=index,
            scenario=scenario,
            urgency=urgency,
            category=category,
            received_at=received_at,
            target=target,
            pace=rng.uniform(2.2, 3.5) if rng.random() < 0.12 else rng.uniform(0.4, 1.2),
            gender=gender,
            applicant=applicant,
            address=address,
            text=self.text(category, gender, address, received_at),
            withdraw=withdraw,
        )
        if misroute_reason:
            wrong = self.category(None, month, stage=WITH_HEAD, exclude_unit=category.unit_id)
            if wrong is not None:
                s.misroute = (wrong, misroute_reason)
                s.stays_new = scenario == "new_returned"
        if scenario == "reworked":
            s.rework_to = self._weighted({IN_WORK: 0.5, ON_SIGNATURE: 0.2, PUBLISHED: 0.3})
        physical = category.code[:2] in ("01", "02", "04", "05", "06")
        if physical:
            s.outcome = self._weighted({"executed": 0.8, "cannot_now": 0.12, "explained": 0.05, "not_competent": 0.03})
        else:
            s.outcome = self._weighted({"executed": 0.3, "explained": 0.62, "not_competent": 0.08})
        if urgency == EMG and s.outcome == "cannot_now":
            s.outcome = "executed"
        self.plan(s)
        return s

    def plan(self, s: Story) -> None:
        rng = self.rng
        emergency = s.urgency == EMG
        acts = s.acts

        def act(name: str, run: Callable[[], None], gap: str | float | None = None, **kw: Any) -> None:
            key = gap if isinstance(gap, str) else name
            hours = gap if isinstance(gap, float) else rng.uniform(*GAPS[key])
            kw.setdefault("office", not emergency)
            acts.append(Act(name, hours, run, **kw))

        act("receive", lambda: self.steps.receive(s), gap=rng.uniform(0.01, 0.05), office=False, scaled=False)
        if s.misroute:
            self._misroute(s, act)
            if s.stays_new:
                return
        if s.target == NEW:
            self._maybe_withdraw(s, act)
            return
        act("route", lambda: self.steps.do(s, workflow.route, self.cast.general, category=s.category.pk))
        if s.target == ROUTED:
            self._maybe_withdraw(s, act)
            return
        staff = self.cast.staff[s.category.unit_id]
        act("take", lambda: self.steps.do(s, workflow.take, staff.clerk))
        if s.target == WITH_HEAD:
            self._maybe_comment(s, act, staff)
            self._maybe_withdraw(s, act)
            return
        executors = self.cast.executors(s.category.unit_id)
        s.executor = rng.choice(executors)
        first_executor = s.executor
        act("assign", lambda: self.steps.do(s, workflow.assign, staff.head, executor=first_executor.pk))
        if s.scenario in ("extended", "extended_done"):
            act("extend", lambda: self.steps.extend(s, staff.head), latest=dt.timedelta(hours=11.5))
        if len(executors) > 1 and rng.random() < 0.08:
            other = rng.choice([e for e in executors if e != s.executor])
            s.executor = other
            act(
                "reassign",
                lambda: self.steps.do(
                    s, workflow.reassign, staff.head, executor=other.pk, reason="Перерозподіл навантаження."
                ),
            )
        self._work(s, act, staff, s.executor, finishing=s.target > IN_WORK, round_=0)
        if s.target == IN_WORK:
            self._maybe_withdraw(s, act)
            return
        self._answer_to_published(s, act, staff, s.executor, s.target, round_=0)
        if s.rework_to is not None:
            rework_reason = rng.choice(self.samples.phrase("rework"))
            act(
                "rework",
                lambda: self.steps.do(
                    s,
                    workflow.rework,
                    self.cast.integration or self.cast.general,
                    reason=rework_reason,
                ),
                gap=rng.uniform(20, 120),
                office=False,
                scaled=False,
            )
            self._work(s, act, staff, s.executor, finishing=s.rework_to > IN_WORK, round_=1)
            if s.rework_to > IN_WORK:
                self._answer_to_published(s, act, staff, s.executor, s.rework_to, round_=1)

    def _misroute(self, s: Story, act: Callable[..., None]) -> None:
        """2.2: routed to the wrong unit first; that unit sends it back to the general department."""
        assert s.misroute is not None
        wrong, reason = s.misroute
        staff = self.cast.staff[wrong.unit_id]
        act("route", lambda: self.steps.do(s, workflow.route, self.cast.general, category=wrong.pk))
        who = staff.clerk
        office = wrong.urgency != EMG  # the wrong unit goes by the type it was given
        if staff.head is not None and self.rng.random() < 0.5:
            act("take", lambda: self.steps.do(s, workflow.take, staff.clerk), office=office)
            who = staff.head
        if reason == "wrong_unit":
            note = f"Питання належить до компетенції: {s.category.unit.name}. Прошу перенаправити."
        else:
            note = self.rng.choice(self.samples.phrase("not_competent_return"))
        act(
            "return_to_general",
            lambda: self.steps.do(s, workflow.return_to_general, who, reason=reason, comment=note),
            office=office,
        )

    def _work(
        self,
        s: Story,
        act: Callable[..., None],
        staff: Staff,
        executor: User,
        *,
        finishing: bool,
        round_: int,
    ) -> None:
        """In work (2.5, 2.10, 2.11): calls to the applicant, photos or an act, the draft answer."""
        rng = self.rng
        if rng.random() < (0.85 if finishing else 0.5):
            first: str = ContactAttempt.Outcome.REACHED
            if rng.random() < 0.25 and round_ == 0:
                first = self._weighted({"phone_off": 0.5, "no_answer": 0.35, "wrong_number": 0.15})
            act("contact", lambda: self.steps.contact(s, executor, first))
            if first != ContactAttempt.Outcome.REACHED and rng.random() < 0.6:
                second = ContactAttempt.Outcome.REACHED if rng.random() < 0.5 else first
                act("contact", lambda: self.steps.contact(s, executor, second), gap="contact_again")
        if rng.random() < 0.1:
            text = rng.choice(self.samples.phrase("comment_executor"))
            act("comment", lambda: self.steps.do(s, workflow.comment, executor, text=text))
        needs_evidence = s.category.evidence_required
        if needs_evidence and (finishing or rng.random() < 0.3):
            kind = Attachment.Kind.PHOTO if s.outcome == "executed" else Attachment.Kind.ACT
            for _ in range(1 if kind == Attachment.Kind.ACT else rng.randint(1, 2)):
                act("attach", lambda kind=kind: self.steps.attach(s, executor, kind), gap="attach")
        if finishing:
            if rng.random() < 0.65:
                act("draft", lambda: self.steps.draft(s, executor, round_))
                act("submit", lambda: self.steps.do(s, workflow.submit, staff.head))
            else:
                act("submit", lambda: self.steps.submit_with_text(s, staff.head, round_), gap="submit")
        elif rng.random() < 0.25:
            act("draft", lambda: self.steps.draft(s, executor, round_))

    def _answer_to_published(
        self, s: Story, act: Callable[..., None], staff: Staff, executor: User, target: int, round_: int
    ) -> None:
        """On signature → signed → handed over → published (2.4, 2.6–2.9)."""
        rng = self.rng
        if round_ == 0 and rng.random() < 0.08:
            comment = rng.choice(self.samples.phrase("signatory_return"))
            act("return", lambda: self.steps.do(s, workflow.return_, self.steps.signatory_now(s), comment=comment))
            act(
                "submit",
                lambda: self.steps.submit_with_text(s, staff.head, round_, corrected=True),
                gap="resubmit",
            )
        if target == ON_SIGNATURE:
            return
        act("sign", lambda: self.steps.do(s, workflow.sign, self.steps.signatory_now(s)))
        if target == SIGNED:
            return
        act("hand_over", lambda: self.steps.do(s, workflow.hand_over, staff.clerk))
        if target == HANDED_OVER:
            return
        act("publish", lambda: self.steps.do(s, workflow.publish, self.cast.general))

    def _maybe_comment(self, s: Story, act: Callable[..., None], staff: Staff) -> None:
        if self.rng.random() < 0.15 and staff.head is not None:
            text = self.rng.choice(self.samples.phrase("comment_head"))
            act("comment", lambda: self.steps.do(s, workflow.comment, staff.head, text=text))

    def _maybe_withdraw(self, s: Story, act: Callable[..., None]) -> None:
        if s.withdraw:
            reason = self.rng.choice(self.samples.phrase("withdraw"))
            act(
                "withdraw",
                lambda: self.steps.do(s, workflow.withdraw, self.cast.integration or self.cast.general, reason=reason),
                gap=self.rng.uniform(1, 72),
                office=False,
                scaled=False,
            )

    # --- when each step happens --------------------------------------------------------------------

    def schedule(self, s: Story) -> None:
        """The moment of each step: office hours for office work, nothing later than the loading.

        A story that cannot reach its state before now in office hours (a request received on Friday
        evening cannot be with the head yet) is told as having been received a day earlier.
        """
        times: list[dt.datetime] | None = None
        for _shift in range(10):
            times = self._times(s)
            if times is not None or s.scenario == "due_today":
                break
            s.received_at -= dt.timedelta(days=1)
        if times is None:  # still too late: compress the whole story into the time there was
            times = self._times(s, squeezes=(0.02,), office=False) or []
            span = (times[-1] - s.received_at).total_seconds()
            room = (self.limit - s.received_at).total_seconds() * 0.95
            times = [
                s.received_at + dt.timedelta(seconds=(t - s.received_at).total_seconds() * room / span) for t in times
            ]
        s.times = times
        # The controller asks about a request that overran its term (3.1).
        if s.scenario in ("in_work", "with_head") and s.rework_to is None and not s.withdraw and self.cast.controller:
            due = deadlines.due_dates(s.received_at, s.urgency, calendar=self.calendar, terms=self.terms).internal
            at = self.office(due + dt.timedelta(hours=self.time_rng.uniform(1, 30)))
            if at > times[-1] and at < self.limit:
                controller = self.cast.controller
                text = (
                    f"Строк виконання минув {due.astimezone(KYIV):%d.%m.%Y %H:%M}. "
                    "Прошу терміново повідомити про стан виконання (п. 3.1)."
                )
                s.acts.append(Act("comment", 0, lambda: self.steps.do(s, workflow.comment, controller, text=text)))
                s.times.append(at)
        # Nobody signs without a distribution of duties in force (2.4): the story stops before.
        for i, a in enumerate(s.acts):
            if a.name in ("sign", "return"):
                local_day = s.times[i].astimezone(KYIV).date()
                if self.cast.signatory(s.category.unit_id, local_day) is None:
                    del s.acts[i:], s.times[i:]
                    break

    def _times(
        self, s: Story, squeezes: tuple[float, ...] = (1.0, 0.6, 0.35, 0.2, 0.1, 0.05), office: bool = True
    ) -> list[dt.datetime] | None:
        """The steps' moments at the story's pace, hurried if need be; None if they cannot end before now."""
        factor = URGENCY_PACE[s.urgency] * s.pace
        for squeeze in squeezes:
            times: list[dt.datetime] = []
            t = s.received_at
            for a in s.acts:
                t = t + dt.timedelta(hours=a.gap * (factor * squeeze if a.scaled else 1.0))
                if a.office and office:
                    t = self.office(t)
                if a.latest is not None:
                    t = min(t, s.received_at + a.latest)
                if times and t <= times[-1]:
                    t = times[-1] + dt.timedelta(minutes=1)
                times.append(t)
            if times[-1] < self.limit or not office:
                return times
        return None

    def office(self, t: dt.datetime) -> dt.datetime:
        """The moment, or the next opening of the office after it (working days of the calendar)."""
        local = t.astimezone(KYIV)
        day = local.date()
        if self.calendar.is_working_day(day) and OFFICE_OPENS <= local.hour < OFFICE_CLOSES:
            return t
        if not (self.calendar.is_working_day(day) and local.hour < OFFICE_OPENS):
            day = self.calendar.next_working_day(day)
        opens = dt.datetime.combine(day, dt.time(OFFICE_OPENS), tzinfo=KYIV)
        return (opens + dt.timedelta(minutes=self.time_rng.uniform(3, 80))).astimezone(UTC)

    # --- the steps themselves: the workflow's functions, with the right person -----------------------
