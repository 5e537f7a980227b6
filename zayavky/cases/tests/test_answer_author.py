"""2.5: the executor prepares the answer; 2.6: the head submits it — the letter names who wrote it."""


def test_it_keeps_the_executor_as_author_when_the_head_submits_the_draft_unchanged(district, advance):
    from zayavky.cases import workflow

    request = advance("in_work")
    workflow.draft(district.executor, request.pk, text="Лампу замінено.", outcome="executed")
    workflow.submit(district.head, request.pk, text="Лампу замінено.", outcome="executed")
    assert workflow.current_answer(request).author == district.executor


def test_it_makes_the_head_the_author_when_he_rewrites_the_draft(district, advance):
    from zayavky.cases import workflow

    request = advance("in_work")
    workflow.draft(district.executor, request.pk, text="Лампу замінено.", outcome="executed")
    workflow.submit(district.head, request.pk, text="Лампу в під'їзді № 2 замінено 27.11.", outcome="executed")
    assert workflow.current_answer(request).author == district.head
