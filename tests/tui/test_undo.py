"""Undo and redo in a review at 80x24: what the toast says, asking before reaching into an
earlier run of the app, the question shown again as it was, and redo."""

from __future__ import annotations

import json

from studyguide.tui.screens.dialogs import ConfirmDialog
from studyguide.tui.screens.review import ReviewScreen
from tests.tui.conftest import terminal_text
from tests.tui.test_review import choice_number, screen_text

SIZE = (80, 24)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def saved(make_app) -> dict:
    return json.loads(make_app.progress.read_text())


async def answer_and_quit(make_app, want_correct: bool) -> tuple[str, list[int]]:
    """One run of the app: answer the first question, quit. (qid, order shown)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        qid, order = screen.question.id, list(screen.order)
        await pilot.press(choice_number(screen, want_correct))
        await pilot.press("q", "q")
    app.store.close()
    return qid, order


async def test_the_toast_names_the_question_and_when_it_was_answered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        prompt = app.screen.question.prompt
        await pilot.press("1", "u")
        assert not isinstance(app.screen, ConfirmDialog)  # this session's answer: no question
        assert f"Undid your answer to “{prompt}” from today at 10:00. U redoes it." in messages(app)


async def test_undo_after_a_restart_asks_first_then_restores_exactly(make_app):
    first, _ = await answer_and_quit(make_app, want_correct=True)
    card_before = saved(make_app)["cards"][first]
    make_app.clock.advance(days=2)  # the learning step is due: asked first next time
    again, order = await answer_and_quit(make_app, want_correct=False)
    assert again == first
    assert saved(make_app)["cards"][first] != card_before

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        review = app.screen
        await pilot.press("u")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Question 1 of m1?" in dialog.question and "today at 10:00" in dialog.question
        assert "earlier session" in dialog.question
        assert len(app.study.doc.log) == 2  # nothing changes before the answer
        await pilot.press("y")
        assert app.screen is review
        assert app.study.doc.cards[first] == card_before
        assert [e["qid"] for e in app.study.doc.log] == [first]
        assert review.question.id == first and review.answer is None
        assert review.order == order  # as it was shown, not shuffled again
        assert any("Undid your answer to “Question 1 of m1?”" in m for m in messages(app))
        # Asked once: the next undo (another earlier answer) goes straight ahead.
        await pilot.press("u")
        assert app.screen is review
        assert first not in app.study.doc.cards and app.study.doc.log == []
    app.store.close()
    assert saved(make_app)["log"] == []


async def test_keeping_the_earlier_answer_changes_nothing(make_app):
    await answer_and_quit(make_app, want_correct=True)
    before = saved(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        review = app.screen
        shown = review.question.id
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.screen is review and review.question.id == shown
        assert app.study.doc.cards == before["cards"] and app.study.doc.log == before["log"]
        await pilot.press("u")  # still asks: the learner said no
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")


async def test_a_record_from_an_older_version_still_undoes(make_app):
    qid, _ = await answer_and_quit(make_app, want_correct=True)
    doc = saved(make_app)
    for record in doc["undo"]:
        for key in ("time", "order", "session"):
            record.pop(key)
    make_app.progress.write_text(json.dumps(doc))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "u")
        assert isinstance(app.screen, ConfirmDialog)
        assert "from today at 10:00" in app.screen.question  # from its log entry
        await pilot.press("y")
        assert qid not in app.study.doc.cards and app.study.doc.log == []
        assert app.screen.question.id == qid


async def test_U_and_ctrl_r_redo_exactly_what_was_undone(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        first, order = screen.question.id, list(screen.order)
        await pilot.press(choice_number(screen, want_correct=False))
        entry = dict(app.study.doc.log[-1])
        card = dict(app.study.doc.cards[first])
        await pilot.press("enter")
        second = screen.question.id
        for redo_key in ("U", "ctrl+r"):
            await pilot.press("u")
            assert screen.question.id == first and app.study.doc.log == []
            assert screen.session.stats.answered == 0
            make_app.clock.advance(minutes=7)  # redo keeps the original time
            await pilot.press(redo_key)
            assert app.study.doc.log == [entry] and app.study.doc.cards[first] == card
            assert screen.question.id == first and screen.answer is not None
            assert screen.order == order and not screen.answer.correct
            assert screen.session.stats.answered == 1
            assert "✘ Wrong" in screen_text(app)
            assert any(m.startswith("Redid your answer to") for m in messages(app))
            await pilot.press("enter")
            assert screen.question.id == second  # the one on screen before the undo


async def test_redo_shows_only_when_there_is_something_to_redo(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert not screen.check_action("redo", ())
        shown = screen.question.id
        await pilot.press("U")  # nothing to redo: the key does nothing
        assert screen.question.id == shown and screen.answer is None
        await pilot.press("1", "u")
        assert screen.check_action("redo", ())
        assert messages(app)[-1].endswith(". U redoes it.")  # the notice names the key
        footer = terminal_text(app).splitlines()[-1]
        assert "? Help" in footer  # the footer still fits
        await pilot.press("1")  # a new answer: nothing left to redo
        assert not screen.check_action("redo", ())


async def test_undone_question_in_a_session_keeps_its_order(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        screen = app.screen
        orders = []
        for _ in range(3):
            orders.append((screen.question.id, list(screen.order)))
            await pilot.press("1", "enter")
        for qid, order in reversed(orders):
            await pilot.press("u")
            assert (screen.question.id, screen.order) == (qid, order)
