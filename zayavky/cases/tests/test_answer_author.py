"""2.5, 2.6: the executor prepares the answer; the head submitting it unchanged does not become its author."""

from zayavky.cases import answers, workflow


def test_it_keeps_the_executor_as_author_when_the_head_submits_the_draft_unchanged(district, advance):
    request = advance("in_work")
    workflow.draft(district.executor, request.pk, text="Лампу замінено.", outcome="executed")
    workflow.submit(district.head, request.pk, text="Лампу замінено.", outcome="executed")
    assert answers.current_answer(request).author == district.executor


def test_it_makes_the_head_the_author_when_he_rewrites_the_draft(district, advance):
    request = advance("in_work")
    workflow.draft(district.executor, request.pk, text="Лампу замінено.", outcome="executed")
    workflow.submit(district.head, request.pk, text="Лампу в під'їзді № 2 замінено 27.11.", outcome="executed")
    assert answers.current_answer(request).author == district.head
