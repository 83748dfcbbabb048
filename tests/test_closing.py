"""The candidate's questions at the end of an interview, judged by the delivery rules."""

from simulator.analysis.closing import judge_closing


def test_no_questions_at_all():
    judged = judge_closing("No, I think I'm good, thanks.")
    assert judged["verdict"] == "no questions" and judged["questions"] == [] and judged["none_said"]
    assert judge_closing("")["verdict"] == "no questions"


def test_only_pay_and_perks():
    judged = judge_closing("What's the salary range for this role? And how many vacation days do you give?")
    assert judged["verdict"] == "only pay and perks"
    assert [q["kind"] for q in judged["questions"]] == ["pay and perks", "pay and perks"]
    assert "leave pay for the recruiter" in judged["advice"]


def test_a_question_about_the_real_work_wins_even_next_to_pay():
    judged = judge_closing("Sure. I was wondering what the last incident on the team taught you. Is it remote")
    assert judged["verdict"] == "about the real work"
    assert judged["evidence"] == "I was wondering what the last incident on the team taught you."
    assert [q["kind"] for q in judged["questions"]] == ["real work", "pay and perks"]  # no "?" needed


def test_a_general_question_is_safe_but_forgettable():
    judged = judge_closing("What's the culture like?")
    assert judged["verdict"] == "general" and "forgettable" in judged["advice"]
