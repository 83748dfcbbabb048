"""The analysis on scripted transcripts, with the real spaCy pipeline and the bank-trained model."""

import pytest

from simulator.analysis.flags import ALL_CODES
from simulator.analysis.segment import HEADLINE, best_order
from simulator.types import SECTION_NAMES

from .fakes import scripted


def codes(report):
    return [f["code"] for f in report["flags"]]


def _leaning(*pairs):
    """Role scores per sentence: the first role of each pair clearly, or a (role, score) dict as given."""
    return [{r: (5 if r == p else 0) for r in SECTION_NAMES} if isinstance(p, str) else
            {r: p.get(r, 0) for r in SECTION_NAMES} for p in pairs]


def test_every_code_the_analysis_raises_is_in_the_bank(bank):
    assert set(ALL_CODES) == set(bank.weaknesses)


def test_a_sentence_leaning_a_little_out_of_place_does_not_break_the_order():
    scores = _leaning("situation", "task", "action", "action", {"result": 2.5, "action": 2.0}, "action", "action",
                      "result", "reflection")
    labels = best_order(scores, [10] * len(scores))
    assert labels == ["situation", "task", "action", "action", "action", "action", "action", "result", "reflection"]


def test_an_aside_back_to_the_situation_is_told_as_such():
    # "Oh, I should back up: the reason it mattered..." after the first step of the Action.
    wants = ["situation", "task", "action", "situation", "action", "result", "reflection"]
    assert best_order(_leaning(*wants), [20] * len(wants)) == wants  # a sentence of twenty words, clearly context


def test_a_task_said_only_after_the_first_step_is_not_left_out():
    wants = ["situation", "action", "task", "action", "action", "result", "reflection"]
    assert best_order(_leaning(*wants), [20] * len(wants)) == wants


def test_the_story_steps_back_at_most_once():
    wants = ["situation", "task", "action", "result", "action", "result", "action", "result", "reflection"]
    labels = best_order(_leaning(*wants), [20] * len(wants))
    rank = {name: k for k, name in enumerate(SECTION_NAMES)}
    steps_back = sum(rank[b] < rank[a] for a, b in zip(labels, labels[1:], strict=False))
    assert steps_back == 1
    # Of the two results told between actions, one is kept with a step back and one goes with the action
    # (which one is a tie): a second step back is not allowed.
    assert sum(a != b for a, b in zip(labels, wants, strict=True)) == 1


def test_a_result_headline_is_recognised():
    wants = ["result", "situation", "task", "action", "action", "result", "reflection"]
    scores = [{r: (5 if r == want else 0) for r in SECTION_NAMES} for want in wants]
    assert best_order(scores, [10] * len(wants))[0] == HEADLINE


def test_a_headline_does_not_make_an_answer_still_being_spoken_owe_its_task_and_action():
    # Live, after a headline and the first context, the Task and the Action are yet to come, not left out.
    labels = best_order(_leaning("result", "situation", "situation", "situation"), [10] * 4, complete=False)
    assert labels == [HEADLINE, "situation", "situation", "situation"]


def test_a_task_said_in_passing_is_kept_rather_than_left_out():
    # The second sentence leans a little towards Action; leaving the Task out costs more than that lean.
    scores = _leaning("situation", {"task": 2.0, "action": 2.5}, "action", "action", "result", "reflection")
    assert best_order(scores, [10] * len(scores))[1] == "task"


def test_a_task_that_is_not_there_is_not_invented():
    scores = _leaning("situation", "action", "action", "action", "result", "reflection")
    assert "task" not in best_order(scores, [10] * len(scores))


def test_an_answer_still_being_spoken_is_not_pushed_towards_its_end():
    # The last sentence so far leans to Action; a finished answer would rather have a Result than none,
    # but live, the Result may be yet to come.
    scores = _leaning("situation", "task", "action", {"action": 2.5, "result": 2.0})
    assert best_order(scores, [10] * len(scores))[-1] == "result"
    assert best_order(scores, [10] * len(scores), complete=False)[-1] == "action"


def test_strong_exemplar_is_clean_and_weak_one_is_flagged(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    strong = analyzer.analyze(scripted(q.strong.text), q, "mid")
    weak = analyzer.analyze(scripted(q.weak.text), q, "mid")
    assert [s["name"] for s in strong["sections"]] == list(SECTION_NAMES)
    assert all(s["verdict"] != "missing" for s in strong["sections"])
    assert {"we_language", "handoff", "no_metric", "generic_reflection", "no_scope_boundary"} <= set(codes(weak))
    handoff = next(f for f in weak["flags"] if f["code"] == "handoff")
    assert "message" in handoff["evidence"] and handoff["start_s"] is not None
    assert strong["score"]["overall"] > weak["score"]["overall"]


def test_report_has_the_documented_schema(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    r = analyzer.analyze(scripted(q.weak.text), q, "senior", followup=scripted(q.probes[0].strong_example))
    keys = ("schema", "question", "duration_s", "transcript", "words", "sections", "delivery", "flags", "score",
            "probe", "followup")
    for key in keys:
        assert key in r
    assert {s["name"] for s in r["sections"]} == set(SECTION_NAMES)
    assert set(r["sections"][0]) >= {"name", "start_s", "end_s", "duration_s", "target_s", "verdict", "text"}
    assert set(r["delivery"]) >= {"wpm", "fillers", "fillers_per_min", "long_pauses"}
    assert set(r["score"]) >= {"overall", "verdict", "dimensions"}
    assert set(r["probe"]) >= {"id", "text", "targets", "why"}
    assert set(r["followup"]) >= {"probe_id", "transcript", "duration_s", "score", "flags"}
    # Every point lost is tied to a flag that was raised.
    raised = set(codes(r))
    assert all(d["flag"] in raised for d in r["score"]["deductions"])
    assert 100 - sum(d["points"] for d in r["score"]["deductions"]) == pytest.approx(r["score"]["overall"], abs=1)


def test_probe_prefers_the_questions_own_probe_for_the_top_weakness(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    r = analyzer.analyze(scripted(q.weak.text), q)
    assert r["probe"]["targets"] == "handoff"
    assert r["probe"]["id"] == "webhook-race-influence"
    assert "handoff" in r["probe"]["why"] and "this question's probe" in r["probe"]["why"]


def test_generic_probe_when_the_question_has_none_for_the_weakness(bank):
    from simulator.analysis.probe import choose_probe
    from simulator.types import Flag

    q = bank.questions["debug-nobody-owned"]
    fillers = Flag("fillers", None, "'um' at 3s", 3.0, "12 fillers")
    choice = choose_probe([fillers], q, bank)
    assert choice.targets == "fillers" and choice.probe.id == "gp-composure"
    assert "generic probe" in choice.why


def test_content_weaknesses_come_before_delivery(bank):
    from simulator.analysis.probe import choose_probe
    from simulator.types import Flag

    q = bank.questions["debug-nobody-owned"]
    flags = [Flag("fillers", None, "", 1.0, ""), Flag("pace_fast", None, "", 1.0, ""),
             Flag("no_business_impact", "result", "it went well", 50.0, "")]
    assert choose_probe(flags, q, bank).targets == "no_business_impact"


def test_a_four_second_result_calls_for_the_impact(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    sections = dict(q.strong.sections)
    sections["result"] = "Failures dropped to zero, saving revenue."
    text = " ".join(sections[name] for name in SECTION_NAMES)
    r = analyzer.analyze(scripted(text), q)
    result = next(s for s in r["sections"] if s["name"] == "result")
    assert result["verdict"] == "short"
    assert r["probe"]["targets"] == "short_result"
    assert "impact" in r["probe"]["probes"]


def test_level_changes_the_score(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    junior = analyzer.analyze(scripted(q.weak.text), q, "junior")["score"]["overall"]
    staff = analyzer.analyze(scripted(q.weak.text), q, "staff")["score"]["overall"]
    assert junior > staff


def test_every_strong_exemplar_outscores_its_weak_twin(analyzer, bank):
    for q in bank.questions.values():
        for level in q.levels:
            strong = analyzer.analyze(scripted(q.strong.text), q, level)["score"]["overall"]
            weak = analyzer.analyze(scripted(q.weak.text), q, level)["score"]["overall"]
            assert strong > weak, (q.id, level, strong, weak)


def test_followup_strong_example_beats_weak_example(analyzer, bank):
    for q in bank.questions.values():
        for probe in q.probes:
            strong = scripted(probe.strong_example)
            base = analyzer.analyze(scripted(q.weak.text), q, followup=strong, probe_id=probe.id)
            weak = analyzer.analyze(scripted(q.weak.text), q, followup=scripted(probe.weak_example), probe_id=probe.id)
            assert base["followup"]["score"]["overall"] > weak["followup"]["score"]["overall"], (q.id, probe.id)


def test_followup_repair_is_judged_on_the_targeted_weakness(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    good = analyzer.analyze(scripted(q.weak.text), q, followup=scripted(
        "I brought a tested patch to their tech lead, and I followed up every day until it was merged and deployed."))
    bad = analyzer.analyze(scripted(q.weak.text), q, followup=scripted("I sent them a message and they fixed it."))
    assert good["followup"]["repaired"]["repaired"] is True
    assert bad["followup"]["repaired"]["repaired"] is False


def test_a_reply_s_steps_are_read_off_its_parse_as_the_answer_s_are(analyzer, bank, nlp):
    """A step no word list names repairs a vague or missing Action in a reply as it does in the answer; a habit
    ("I tend to...") is no step."""
    from simulator.analysis.flags import repaired

    steps = "I shrank the webhook retry window for payments to a tenth of what it was."
    assert not repaired("vague_action", scripted(steps).words, "")[0]  # the word lists alone hear no step
    q = bank.questions["debug-nobody-owned"]
    r = analyzer.analyze(scripted(q.weak.text), q, followup=scripted(steps),
                         probe_id=bank.weaknesses["vague_action"].probe.id)
    assert r["followup"]["repaired"]["repaired"] is True, r["followup"]["repaired"]
    for habit in ("I tend to want to be involved in everything.", "I seem to end up with these problems."):
        assert not repaired("vague_action", scripted(habit).words, "", list(nlp(habit)))[0], habit


def test_no_words_is_no_speech(analyzer):
    from simulator.errors import NoSpeechError
    from simulator.types import Transcript

    with pytest.raises(NoSpeechError):
        analyzer.analyze(Transcript((), 3.0), None)


@pytest.mark.parametrize(
    "reply, code, present",
    [
        ("The weather was nice and lunch was good that week.", "followup_off_topic", True),
        ("I rejected the vendor on cost because we could not run it.", "followup_off_topic", False),
        ("It handled twenty five million a day afterwards, checked by me.", "followup_vague", False),
        ("It was good and everyone liked it.", "followup_vague", True),
        ("I said in the channel that it was my push, so nobody chased other leads.", "followup_vague", False),
    ],
)
def test_followup_flags(reply, code, present):
    from simulator.analysis.score import followup_flags
    from simulator.types import Probe

    from .fakes import scripted as s

    probe = Probe("p", "Which options did you reject, and why?", "judgment", ("vague_action",), ("compared options",),
                  ("picked the popular one",), "", "")
    found = [f.code for f in followup_flags(probe, s(reply).words, 30.0)]
    assert (code in found) is present, found


@pytest.mark.parametrize("reply, repaired", [
    ("It was my decision, and I said so in the proposal.", True),
    ("I chose it because the pilot had no budget for a second server.", True),
    ("My manager told me to, so I did.", False),
])
def test_an_assigned_task_is_repaired_by_a_reason_or_a_call_of_your_own(reply, repaired):
    from simulator.analysis.flags import repaired as judge

    from .fakes import scripted as s

    assert judge("assigned_task", s(reply).words, "")[0] is repaired


@pytest.mark.parametrize("probe_text, reply, flagged", [
    # Asked how the work was carried to its end: a reply that stops at the hand-over lacks follow-through.
    ("How did you get the platform team to accept and deploy the fix?",
     "I sent their lead a message with the patch and they handled it from there.", True),
    ("How did you get the platform team to accept and deploy the fix?",
     "I sent their lead the patch and checked in at their standup until it was released.", False),
    ("How exactly did you transfer ownership so it actually stuck?",
     "I paired two engineers on real changes, and a month later they ran the rotation without me.", False),
    # A question about judgment or a lesson does not ask for follow-through, so its absence costs nothing.
    ("Which options did you reject, and why?", "I rejected the vendor on cost because we could not run it.", False),
    ("What would you do differently next time?", "I would write the runbook before the first migration.", False),
])
def test_follow_through_is_asked_of_a_reply_only_when_the_probe_asks_how_it_landed(probe_text, reply, flagged):
    from simulator.analysis.score import followup_flags
    from simulator.types import Probe

    from .fakes import scripted as s

    probe = Probe("p", probe_text, "influence", ("handoff",), (), (), "", "")
    found = [f.code for f in followup_flags(probe, s(reply).words, 30.0)]
    assert ("followup_no_follow_through" in found) is flagged, found


@pytest.mark.parametrize(
    "reply, repaired",
    [
        ("Yes, you should always design for scale from the start.", False),
        ("Next time I would add the tracing in the first week, before the morning peak grew.", True),
        ("I learned that communication is important.", False),
        # a habit the story changed, said as people say it
        ("These days, if the morning peak grows, I add tracing before I touch the database.", True),
    ],
)
def test_reflection_repair_needs_a_specific_first_person_lesson(reply, repaired):
    from simulator.analysis.flags import repaired as judge

    story = "The morning peak overloaded the database, so I added tracing and a cache."
    assert judge("generic_reflection", scripted(reply).words, story)[0] is repaired


def test_every_flag_quotes_words_and_gives_a_time(analyzer, bank):
    for q in bank.questions.values():
        report = analyzer.analyze(scripted(q.weak.text), q, "senior")
        for flag in report["flags"]:
            assert flag["evidence"] and flag["start_s"] is not None, (q.id, flag)


def test_a_missing_section_points_at_where_it_should_have_been(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    r = analyzer.analyze(scripted(q.weak.text), q)  # the weak twin has no Task
    flag = next(f for f in r["flags"] if f["code"] == "missing_task")
    action = next(s for s in r["sections"] if s["name"] == "action")
    assert flag["start_s"] == action["start_s"] and flag["evidence"].startswith("We looked into it")


def test_an_overrun_quotes_what_was_said_when_the_target_was_passed(analyzer, bank):
    q = bank.questions["debug-nobody-owned"]
    rambling = " ".join(f"The platform had service number {i} which talked to the billing database." for i in range(12))
    r = analyzer.analyze(scripted(rambling + " " + q.strong.text), q)
    flag = next(f for f in r["flags"] if f["code"] == "overrun_situation")
    situation = next(s for s in r["sections"] if s["name"] == "situation")
    assert situation["start_s"] + 45 <= flag["start_s"] <= situation["start_s"] + 47
