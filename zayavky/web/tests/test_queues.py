"""The work queues of the home page: each persona sees its own steps, the nearest due
first, the time left said plainly — and nothing of other units."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from zayavky.accounts.models import Membership, Role, User
from zayavky.cases import workflow
from zayavky.contactcenter.models import IntakeRecord
from zayavky.web import queues
from zayavky.web.tests.pages import content, queue_numbers, section, text


def test_it_shows_the_general_department_its_four_queues(district, advance, make_request, login):
    new = make_request()
    routed = advance("routed")
    handed = advance("handed_over")
    reworked = advance("published")
    workflow.rework(district.general, reworked.pk, reason="Заявник не підтвердив виконання.")
    IntakeRecord.objects.create(
        external_id="KC-CONFLICT", payload={}, digest="x", outcome="conflict", message="інший текст заявки"
    )
    IntakeRecord.objects.create(
        external_id="KC-SETTLED", payload={}, digest="y", outcome="conflict", settled_at=timezone.now()
    )

    page = content(login("general").get("/"))

    assert queue_numbers(page, "general-new") == [new.number]  # 2.2: to route
    assert queue_numbers(page, "general-handed-over") == [handed.number]  # 2.9: to post
    assert queue_numbers(page, "general-rework") == [reworked.number]
    conflicts = section(page, "queue-general-conflicts")
    assert "KC-CONFLICT" in conflicts and "інший текст заявки" in conflicts
    assert "KC-SETTLED" not in conflicts
    assert routed.number not in page.split('data-testid="queue-general-new"')[1].split("</section>")[0]


def test_it_shows_the_unit_clerk_cards_to_print_and_answers_to_hand_over(district, advance, login):
    routed = advance("routed")
    signed = advance("signed")
    with_head = advance("with_head")
    other = advance("routed", category=district.blag_ordinary)  # «Благоустрій»: not the clerk's unit

    page = content(login("clerk").get("/"))

    assert queue_numbers(page, "clerk-routed") == [routed.number]  # 2.3
    assert queue_numbers(page, "clerk-signed") == [signed.number]  # 2.7
    assert with_head.number not in page
    assert other.number not in page
    assert 'data-testid="queue-head-with-head"' not in page  # not the clerk's role


def test_it_shows_the_head_requests_to_assign_and_answers_to_submit(district, advance, advance_other, login):
    with_head = advance("with_head")
    in_work = advance("in_work")
    drafted = advance("in_work")
    workflow.draft(district.executor, drafted.pk, text="Світло відновлено.", outcome="executed")
    advance_other("with_head")

    page = content(login("head").get("/"))

    assert queue_numbers(page, "head-with-head") == [with_head.number]  # 2.3
    assert sorted(queue_numbers(page, "head-in-work")) == sorted([in_work.number, drafted.number])  # 2.6
    row = section(page, "queue-head-in-work").split(f'data-number="{drafted.number}"')[1].split("</tr>")[0]
    assert 'data-testid="has-draft"' in row
    undrafted = section(page, "queue-head-in-work").split(f'data-number="{in_work.number}"')[1].split("</tr>")[0]
    assert 'data-testid="has-draft"' not in undrafted


def test_it_shows_the_executor_only_the_requests_named_on_him(district, advance, login):
    mine = advance("in_work")
    theirs = advance("in_work")
    workflow.reassign(district.head, theirs.pk, executor=district.executor2.pk)

    assert queue_numbers(content(login("executor").get("/")), "executor-mine") == [mine.number]
    assert queue_numbers(content(login("executor2").get("/")), "executor-mine") == [theirs.number]


def test_it_shows_the_signatory_the_answers_of_the_units_he_signs_for(district, advance, advance_other, login):
    ours = advance("on_signature")
    other = advance_other("on_signature")

    assert queue_numbers(content(login("signatory").get("/")), "signatory-sign") == [ours.number]  # 2.4
    assert queue_numbers(content(login("other_signatory").get("/")), "signatory-sign") == [other.number]


def test_it_shows_the_controller_the_overdue_and_the_figures(district, advance, login):
    late = advance("in_work", received_at=timezone.now() - dt.timedelta(days=10))
    on_time = advance("in_work")

    page = content(login("controller").get("/"))

    assert queue_numbers(page, "controller-overdue") == [late.number]
    assert on_time.number not in page
    counts = text(section(page, "controller-counts"))
    assert "2 на контролі" in counts and "1 прострочено підрозділами" in counts


def test_it_puts_what_is_due_first_at_the_top(district, advance, login):
    later = advance("in_work", received_at=timezone.now() - dt.timedelta(hours=1))
    sooner = advance("in_work", received_at=timezone.now() - dt.timedelta(days=3))
    emergency = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=2))

    page = content(login("executor").get("/"))

    assert queue_numbers(page, "executor-mine") == [emergency.number, sooner.number, later.number]


def test_it_says_the_time_left_plainly(district, advance, login):
    emergency = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=2))
    late = advance("in_work", received_at=timezone.now() - dt.timedelta(days=10))
    ordinary = advance("in_work")

    page = content(login("executor").get("/"))
    rows = section(page, "queue-executor-mine")

    def cell(number: str) -> str:
        return rows.split(f'data-number="{number}"')[1].split("</tr>")[0]

    # 2.12.3: 23 hours from receipt, 2 hours gone — hours and minutes, highlighted.
    assert 'class="due due--emergency"' in cell(emergency.number)
    assert "20 год 59 хв" in cell(emergency.number) or "21 год" in cell(emergency.number)
    assert 'class="due due--overdue"' in cell(late.number) and "прострочено на" in cell(late.number)
    # day-based: days and hours («4 дн 2 год»; a whole number of days leaves the hours out: «4 дн»)
    assert re.search(r"\d+ дн\b", text(cell(ordinary.number)))


def test_it_flags_an_emergency_request_with_no_extension_decided_after_10_hours(district, advance, login):
    received = timezone.now() - dt.timedelta(hours=10, minutes=30)
    flagged = advance("in_work", category=district.emergency, received_at=received)
    fresh = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=1))
    decide_by = timezone.localtime(received + dt.timedelta(hours=12)).strftime("%H:%M")

    rows = section(content(login("head").get("/")), "queue-head-in-work")

    flagged_row = rows.split(f'data-number="{flagged.number}"')[1].split("</tr>")[0]
    assert f"Рішення про подовження — до {decide_by} (п. 2.13)" in flagged_row
    fresh_row = rows.split(f'data-number="{fresh.number}"')[1].split("</tr>")[0]
    assert "extension-flag" not in fresh_row


def test_it_shows_every_queue_of_a_person_with_several_roles(district, advance, login):
    Membership.objects.create(user=district.head, role=Role.UNIT_CLERK, unit=district.zhkg)
    routed = advance("routed")
    with_head = advance("with_head")

    page = content(login("head").get("/"))

    assert queue_numbers(page, "clerk-routed") == [routed.number]
    assert queue_numbers(page, "head-with-head") == [with_head.number]


def test_it_caps_a_queue_and_links_to_the_full_list(district, make_request, login, monkeypatch):
    monkeypatch.setattr(queues, "LIMIT", 2)
    made = [make_request(received_at=timezone.now() - dt.timedelta(hours=h)) for h in (3, 2, 1)]
    client = login("general")

    page = content(client.get("/"))

    assert queue_numbers(page, "general-new") == [made[0].number, made[1].number]  # the longest waiting first
    more = section(page, "queue-general-new")
    assert 'data-testid="queue-more"' in more
    link = more.split('data-testid="queue-more"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("/requests/?") and "status=new" in link
    listed = content(client.get(link))
    assert all(r.number in listed for r in made)


def test_it_shows_the_nearest_due_in_the_header(district, advance, login):
    advance("in_work")
    soon = advance("in_work", category=district.emergency, received_at=timezone.now() - dt.timedelta(hours=20))

    header = section(content(login("executor").get("/requests/")), "next-deadline")

    assert soon.number in header
    assert "Найближчий термін:" in text(header) and "залишилось 2 год" in text(header)


def test_it_says_so_when_a_person_has_no_queue(district, login):
    User.objects.create_user("nobody", password="pw")
    page = content(login("controller").get("/"))
    assert 'data-testid="no-queues"' not in page
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="nobody"))
    assert 'data-testid="no-queues"' in content(client.get("/"))


def test_it_needs_the_same_number_of_queries_for_many_rows(
    district, make_request, login, django_assert_max_num_queries
):
    """Rows come with their unit, type and executor in the same query (select_related): no N+1."""
    client = login("general")
    for _ in range(3):
        make_request()
    with django_assert_max_num_queries(25) as few:
        client.get("/")
    for _ in range(20):
        make_request()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")
