"""The seed's casework (``haven.seed.casework``): valid histories, rates roughly right, open
work on the as-of day, deadlines derived, the same data for the same seed.

``casework_problems`` checks a seeded database as a whole (the CIN census rules of
``haven.assessments.census`` over every episode, and the journey's own date orders); it reads
everything in a few queries, so it also runs over a medium or large seed (about 15 s at large):

    DATABASE_URL=sqlite:////tmp/seed.sqlite3 DJANGO_SETTINGS_MODULE=haven.settings \
        .venv/bin/python -m haven.core.tests.test_seed_casework 2026-11-23   # the seed's --as-of
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.utils import timezone

AS_OF = dt.date(2026, 6, 1)
SEED = 3


# -- the checker ---------------------------------------------------------------------------------
def casework_problems(today: dt.date, *, limit: int = 50) -> list[str]:
    """Every broken rule in the seeded casework, as messages (empty: all valid)."""
    from haven.assessments import census
    from haven.assessments.models import Assessment, AssessmentFactorIdentified, CINEpisode
    from haven.core.calendar import birthday
    from haven.front_door.models import AgencyCheck, Contact, ContactSubject
    from haven.people.models import Allocation, Person
    from haven.plans.models import Plan, PlanReview
    from haven.protection.models import (
        Conference,
        ConferenceChild,
        CoreGroupMeeting,
        S47Enquiry,
        StrategyChild,
    )
    from haven.recording.models import Recording, RecordingSubject

    out: list[str] = []
    cutoff = timezone.make_aware(dt.datetime.combine(today, dt.time.min))

    def bad(message: str) -> None:
        out.append(message)

    def local(when):
        return timezone.localtime(when).date()

    people = {p["pk"]: p for p in Person.objects.values("pk", "kind", "authority_id", "date_of_birth",
                                                        "expected_date_of_birth", "date_of_death")}

    # contacts: received, rated, decided, feedback in order; nothing on or after the as-of day
    for c in Contact.objects.values("pk", "authority_id", "received_at", "rated_at", "rag", "decision", "decision_at",
                                    "feedback_given_at", "consent", "consent_overridden_by_id"):
        times = [c["received_at"], c["rated_at"], c["decision_at"], c["feedback_given_at"]]
        present = [t for t in times if t is not None]
        if present != sorted(present):
            bad(f"contact {c['pk']}: times out of order {times}")
        if any(t >= cutoff for t in present):
            bad(f"contact {c['pk']}: dated on or after the as-of day")
        if bool(c["decision"]) != (c["decision_at"] is not None) or (c["decision"] and not c["rag"]):
            bad(f"contact {c['pk']}: decision without a time or a rating")
        if c["consent"] == "overridden" and not c["consent_overridden_by_id"]:
            bad(f"contact {c['pk']}: consent overridden by nobody")
        if c["consent"] == "refused" and c["decision"] not in ("", "nfa", "information"):
            bad(f"contact {c['pk']}: consent refused, decision {c['decision']}")
    for s in ContactSubject.objects.values("contact_id", "person_id", "authority_id", "contact__authority_id"):
        if s["authority_id"] != s["contact__authority_id"] or people[s["person_id"]]["authority_id"] != s["authority_id"]:
            bad(f"contact {s['contact_id']}: a subject of another authority")
    for a in AgencyCheck.objects.values("pk", "requested_at", "returned_at", "contact__rated_at"):
        if a["contact__rated_at"] is None or a["requested_at"] < a["contact__rated_at"] or \
                (a["returned_at"] and a["returned_at"] < a["requested_at"]) or a["requested_at"] >= cutoff:
            bad(f"agency check {a['pk']}: dates out of order")

    # episodes, with what the other modules recorded on them, through the census rules
    episodes = list(CINEpisode.objects.values("pk", "person_id", "authority_id", "contact_id", "referral_date", "source",
                                              "primary_need", "referral_nfa", "decision_date", "closure_date",
                                              "closure_reason", "contact__decision_at"))
    factors = defaultdict(list)
    for a_id, code in AssessmentFactorIdentified.objects.values_list("assessment_id", "code"):
        factors[a_id].append(code)
    assessments = defaultdict(list)
    by_child_assessments = defaultdict(list)
    for a in Assessment.objects.values("pk", "episode_id", "person_id", "start_date", "child_seen_date", "seen_alone",
                                       "completed_date", "authorised_date", "outcome").order_by("start_date", "pk"):
        facts = census.AssessmentFacts(
            key=f"assessment:{a['pk']}", start_date=a["start_date"], child_seen_date=a["child_seen_date"],
            seen_alone=a["seen_alone"], completed_date=a["completed_date"], authorised_date=a["authorised_date"],
            outcome=a["outcome"], factors=tuple(factors[a["pk"]]), episode_key=f"episode:{a['episode_id']}")
        assessments[a["episode_id"]].append(facts)
        by_child_assessments[a["person_id"]].append(facts)
    icpc_of = {}
    for s47_id, held_on in ConferenceChild.objects.filter(conference__kind="initial", s47__isnull=False) \
            .values_list("s47_id", "conference__held_on"):
        icpc_of[s47_id] = held_on
    activities = defaultdict(list)
    s47s = list(S47Enquiry.objects.values("pk", "episode_id", "person_id", "start_date", "outcome", "completed_date",
                                          "strategy_discussion__held_at"))
    for s in s47s:
        icpc = icpc_of.get(s["pk"])
        finished = bool(s["outcome"]) and (s["outcome"] != "icpc" or icpc is not None)
        activities[s["episode_id"]].append(census.Activity("s47", s["start_date"], s["completed_date"], finished,
                                                           key=f"s47:{s['pk']}"))
        if icpc:
            activities[s["episode_id"]].append(census.Activity("icpc", icpc, None, key=f"icpc:{s['pk']}"))
        if s["start_date"] != local(s["strategy_discussion__held_at"]):
            bad(f"S47 {s['pk']}: does not start on the day of the strategy discussion")
        if s["completed_date"] and s["completed_date"] < s["start_date"]:
            bad(f"S47 {s['pk']}: completed before it started")
        if icpc is not None and (icpc < s["start_date"] or (s["completed_date"] and icpc < s["completed_date"])):
            bad(f"S47 {s['pk']}: conference before the enquiry")
        if s["outcome"] == "icpc" and icpc is None and s["completed_date"] and \
                s["completed_date"] < today - dt.timedelta(days=60):
            bad(f"S47 {s['pk']}: a conference was needed and never held")
    plans = list(Plan.objects.values("pk", "episode_id", "person_id", "kind", "start_date", "end_date", "end_reason",
                                     "initial_category", "latest_category"))
    for p in plans:
        activities[p["episode_id"]].append(census.Activity("cp_plan" if p["kind"] == "cp" else "cin_plan", p["start_date"],
                                                           p["end_date"], key=f"plan:{p['pk']}"))
    facts = {}
    for e in episodes:
        facts[e["pk"]] = census.EpisodeFacts(
            key=f"episode:{e['pk']}", referral_date=e["referral_date"], source=e["source"],
            primary_need=e["primary_need"], referral_nfa=e["referral_nfa"], decision_date=e["decision_date"],
            closure_date=e["closure_date"], closure_reason=e["closure_reason"],
            assessments=tuple(assessments[e["pk"]]), activities=tuple(activities[e["pk"]]))
    by_child = defaultdict(list)
    for e in episodes:
        by_child[e["person_id"]].append(e["pk"])
    for e in episodes:
        p = people[e["person_id"]]
        child = census.Child(date_of_birth=p["date_of_birth"], expected_date_of_birth=p["expected_date_of_birth"],
                             date_of_death=p["date_of_death"])
        others = [census.EpisodeFacts(key=f"episode:{o}", referral_date=facts[o].referral_date,
                                      referral_nfa=facts[o].referral_nfa, closure_date=facts[o].closure_date)
                  for o in by_child[e["person_id"]] if o != e["pk"]]
        for problem in census.check_episode(facts[e["pk"]], child=child, others=others,
                                            child_assessments=by_child_assessments[e["person_id"]], today=today):
            bad(f"episode {e['pk']}: {problem.code} {problem.message}")
        # (an unaccompanied young person who has since turned 18 is an adult now, a child then)
        was_child = p["kind"] == "child" or (p["date_of_birth"] and e["referral_date"] < birthday(p["date_of_birth"], 18))
        if not was_child or p["authority_id"] != e["authority_id"]:
            bad(f"episode {e['pk']}: not a child of the authority")
        if e["referral_date"] >= today or (e["decision_date"] and e["decision_date"] >= today) or \
                (e["closure_date"] and e["closure_date"] >= today):
            bad(f"episode {e['pk']}: dated on or after the as-of day")
        if e["contact_id"] and e["contact__decision_at"] and local(e["contact__decision_at"]) != e["referral_date"]:
            bad(f"episode {e['pk']}: the referral date is not the day of the contact's decision")
    for child, eps in by_child.items():
        if sum(1 for pk in eps if facts[pk].closure_date is None) > 1:
            bad(f"child {child}: two open episodes")
    episode = {e["pk"]: e for e in episodes}

    # plans: within the episode; CP plans start at an ICPC; CIN and CP plans never overlap
    cp_start = {}
    for plan_id, held_on, kind in ConferenceChild.objects.filter(plan__isnull=False).values_list(
            "plan_id", "conference__held_on", "conference__kind"):
        if kind == "initial":
            cp_start[plan_id] = held_on
    by_child_plans = defaultdict(list)
    for p in plans:
        e = episode[p["episode_id"]]
        by_child_plans[p["person_id"]].append(p)
        if p["end_date"] and (p["end_date"] <= p["start_date"] if p["kind"] == "cp" else p["end_date"] < p["start_date"]):
            bad(f"plan {p['pk']}: ends before it starts")
        if bool(p["end_date"]) != bool(p["end_reason"]):
            bad(f"plan {p['pk']}: an end without a reason, or a reason without an end")
        if p["start_date"] >= today or (p["end_date"] and p["end_date"] >= today):
            bad(f"plan {p['pk']}: dated on or after the as-of day")
        if e["closure_date"] and (p["end_date"] is None or p["end_date"] > e["closure_date"]):
            bad(f"plan {p['pk']}: outlives its episode")
        if p["kind"] == "cp":
            if cp_start.get(p["pk"]) != p["start_date"]:
                bad(f"plan {p['pk']}: a CP plan that does not start at its initial conference")
            if not p["initial_category"] or not p["latest_category"]:
                bad(f"plan {p['pk']}: no category of abuse")
    for child, ps in by_child_plans.items():
        for a in ps:
            for b in ps:
                if a["pk"] < b["pk"] and a["start_date"] < (b["end_date"] or dt.date.max) and \
                        b["start_date"] < (a["end_date"] or dt.date.max):
                    bad(f"child {child}: plans {a['pk']} and {b['pk']} overlap")
    plan = {p["pk"]: p for p in plans}
    for m in CoreGroupMeeting.objects.values("pk", "plan_id", "held_on"):
        p = plan[m["plan_id"]]
        if p["kind"] != "cp" or m["held_on"] < p["start_date"] or (p["end_date"] and m["held_on"] > p["end_date"]) \
                or m["held_on"] >= today:
            bad(f"core group {m['pk']}: outside its plan")
    for r in PlanReview.objects.values("pk", "plan_id", "held_on"):
        p = plan[r["plan_id"]]
        if r["held_on"] <= p["start_date"] or (p["end_date"] and r["held_on"] > p["end_date"]) or r["held_on"] >= today:
            bad(f"plan review {r['pk']}: outside its plan")
    for c in ConferenceChild.objects.filter(conference__kind="review").values("pk", "plan_id", "conference__held_on"):
        p = plan.get(c["plan_id"])
        day = c["conference__held_on"]
        if p is None or day <= p["start_date"] or (p["end_date"] and day > p["end_date"]):
            bad(f"review conference {c['pk']}: outside its plan")
    for held_on in Conference.objects.values_list("held_on", flat=True):
        if held_on.weekday() >= 5 or held_on >= today:
            bad(f"conference on {held_on}: at a weekend or on or after the as-of day")

    # strategy discussions: within the children's episodes
    for s in StrategyChild.objects.values("pk", "episode_id", "discussion__held_at"):
        e = episode[s["episode_id"]]
        day = local(s["discussion__held_at"])
        if day < e["referral_date"] or (e["closure_date"] and day > e["closure_date"]) or \
                s["discussion__held_at"] >= cutoff:
            bad(f"strategy child {s['pk']}: discussion outside the episode")
    # recordings: nothing on or after the as-of day; subjects of the recording's authority
    for r in Recording.objects.filter(occurred_at__gte=cutoff).values_list("pk", flat=True)[:5]:
        bad(f"recording {r}: on or after the as-of day")
    for s in RecordingSubject.objects.values("recording_id", "person_id", "authority_id"):
        if people[s["person_id"]]["authority_id"] != s["authority_id"]:
            bad(f"recording {s['recording_id']}: a subject of another authority")

    # allocations: in order, one current allocation per child and role at most (a social
    # worker, an IRO, a virtual school, a personal adviser)
    current = Counter()
    for a in Allocation.objects.values("pk", "person_id", "start_date", "end_date", "role"):
        if a["end_date"] and a["end_date"] < a["start_date"]:
            bad(f"allocation {a['pk']}: ends before it starts")
        if a["end_date"] is None:
            current[(a["person_id"], a["role"])] += 1
    for (person_id, role), n in current.items():
        if n > 1:
            bad(f"child {person_id}: {n} current {role} allocations")
    return out[:limit] if limit else out


def rates(today: dt.date) -> dict:
    """Per authority (LEA code): referrals in the 12 months before ``today``, the share that were
    re-referrals, S47 enquiries without a conference, CP categories, children in need and
    children looked after in the year ending 31 March 2026."""
    from haven.assessments.models import CINEpisode
    from haven.looked_after.models import PeriodOfCare
    from haven.plans.models import Plan
    from haven.protection.models import ConferenceChild, S47Enquiry

    year_ago = today - dt.timedelta(days=365)
    out = {}
    for lea in ("213", "205", "207"):
        eps = list(CINEpisode.objects.filter(authority__lea_code=lea).values_list("person_id", "referral_date"))
        by_child = defaultdict(list)
        for person, day in eps:
            by_child[person].append(day)
        recent = [(p, d) for p, d in eps if d >= year_ago]
        again = sum(1 for p, d in recent if any(dt.timedelta(0) < d - o <= dt.timedelta(days=365) for o in by_child[p]))
        done = S47Enquiry.objects.filter(authority__lea_code=lea).exclude(outcome="")
        icpc = set(ConferenceChild.objects.filter(conference__kind="initial", s47__in=done).values_list("s47_id", flat=True))
        finished = [s for s in done.values("pk", "outcome") if s["outcome"] != "icpc" or s["pk"] in icpc]
        cats = Counter(Plan.objects.filter(authority__lea_code=lea, kind="cp").values_list("initial_category", flat=True))
        fy = CINEpisode.objects.filter(authority__lea_code=lea, referral_nfa=False, referral_date__lte=dt.date(2026, 3, 31))
        fy = fy.exclude(closure_date__lt=dt.date(2025, 4, 1))
        out[lea] = {
            "referrals": len(recent),
            "rereferral_share": again / max(1, len(recent)),
            "s47_without_icpc": sum(1 for s in finished if s["outcome"] != "icpc") / max(1, len(finished)),
            "categories": {k: v / max(1, sum(cats.values())) for k, v in cats.items()},
            "cp_plans": sum(cats.values()),
            "cin_in_year": fy.values("person_id").distinct().count(),
            "cla_in_year": PeriodOfCare.objects.filter(authority__lea_code=lea, start_date__lte=dt.date(2026, 3, 31))
            .exclude(end_date__lt=dt.date(2025, 4, 1)).values("person_id").distinct().count(),
        }
    return out


# -- tests ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small(django_db_setup, django_db_blocker):
    """One small seed for the module (a few seconds), rolled back at the end."""
    from haven.seed.generate import Seeder

    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        Seeder(scale="small", seed=SEED, as_of=AS_OF, out=out).run()
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_every_history_is_valid(small):
    assert casework_problems(AS_OF) == []


def test_rates_are_close_to_an_inner_london_authority(small):
    from haven.seed.casework import PROFILES, REFERRAL_RATE

    population = PROFILES["small"].population
    for lea, r in rates(AS_OF).items():
        expected = REFERRAL_RATE * population
        assert 0.7 * expected <= r["referrals"] <= 1.3 * expected, (lea, r)
        assert 0.08 <= r["rereferral_share"] <= 0.38, (lea, r)
        assert 0.5 <= r["s47_without_icpc"] <= 0.85, (lea, r)
        assert r["cp_plans"] >= 15, (lea, r)
        # issue 5 needs at least 100 children in need and 30 looked after in the census year at small scale
        assert r["cin_in_year"] >= 100, (lea, r)
        assert r["cla_in_year"] >= 30, (lea, r)
    cats = Counter()
    for r in rates(AS_OF).values():
        for k, v in r["categories"].items():
            cats[k] += v / 3
    assert cats["NEG"] + cats["EMO"] >= 0.6 and cats["NEG"] > cats["PHY"] and cats["EMO"] > cats["PHY"]


def test_each_screen_has_work_on_the_as_of_day(small):
    from haven.assessments.models import Assessment
    from haven.front_door.models import Contact
    from haven.plans.models import Plan
    from haven.protection.models import S47Enquiry

    for lea in ("213", "205", "207"):
        assert Contact.objects.filter(authority__lea_code=lea, decision="").count() >= 5
        assert Contact.objects.filter(authority__lea_code=lea, decision="").exclude(rag="").exists()
        assert Assessment.objects.filter(authority__lea_code=lea, authorised_date__isnull=True).exists()
        assert Plan.objects.filter(authority__lea_code=lea, kind="cp", end_date__isnull=True).exists()
        assert Plan.objects.filter(authority__lea_code=lea, kind="cin", end_date__isnull=True).exists()
    assert S47Enquiry.objects.filter(outcome="").exists()


def test_strategy_discussions_mostly_have_police_health_and_education(small):
    from haven.protection.models import StrategyDiscussion

    total = missing_police_or_health = 0
    for d in StrategyDiscussion.objects.prefetch_related("attendees"):
        total += 1
        present = {a.agency for a in d.attendees.all() if a.attended}
        if not {"police", "health"} <= present:
            missing_police_or_health += 1
            assert d.absence_reason, "an absent agency needs the reason recorded"
        if {"police", "health", "education"} <= present:
            assert not d.absence_reason
    assert 0.05 <= missing_police_or_health / total <= 0.4


def test_family_level_work_covers_siblings(small):
    from django.db.models import Count

    from haven.protection.models import StrategyDiscussion
    from haven.recording.models import Recording

    assert StrategyDiscussion.objects.annotate(n=Count("children")).filter(n__gte=2).exists()
    assert Recording.objects.filter(kind="cp_visit").annotate(n=Count("subjects__person", distinct=True)) \
        .filter(n__gte=3).exists()


def test_deadlines_are_derived_and_the_demo_worker_has_work_due_and_overdue(small):
    from haven.accounts.models import User
    from haven.core.timescales.rules import RULES
    from haven.work.models import Deadline
    from haven.work.worklists import my_work

    now = timezone.make_aware(dt.datetime.combine(AS_OF, dt.time(10)))
    assert set(Deadline.objects.values_list("rule", flat=True).distinct()) == set(RULES)
    assert Deadline.objects.open(now).exists() and Deadline.objects.overdue(now).exists()
    sam = User.objects.get(username="sam.worker")
    work = my_work(sam, now)
    assert work.counts["overdue"] >= 1
    assert work.counts["today"] + work.counts["week"] + work.counts["later"] >= 1


def test_children_looked_after_are_seeded_like_an_inner_london_authority_with_valid_903_histories(small):
    """About 50 per 10,000 (at least 32 per authority at small), a quarter unaccompanied
    asylum-seeking, some with three or more placements in a year, care leavers; every episode
    history passes Haven's SSDA903 checks."""
    from haven.accounts.models import LocalAuthority
    from haven.care_leavers.models import LeaverContact, PathwayPlan
    from haven.care_planning.models import LACReview
    from haven.looked_after.models import Episode, PeriodOfCare
    from haven.looked_after.validation import check_person
    from haven.missing.models import MissingEpisode, ReturnInterview
    from haven.people.models import Person

    for la in LocalAuthority.objects.all():
        now = PeriodOfCare.objects.filter(authority=la).open_on(AS_OF)
        assert 32 <= now.count() <= 45, (la, now.count())
        uasc = now.filter(uasc=True).count() / now.count()
        assert 0.15 <= uasc <= 0.4, (la, uasc)
    assert Episode.objects.filter(reason_new="P").exists() and Episode.objects.filter(reason_new="L").exists()
    assert Episode.objects.exclude(end_reason__in=["", "X1"]).values("end_reason").distinct().count() >= 6
    assert LACReview.objects.exists() and PathwayPlan.objects.exists() and LeaverContact.objects.exists()
    assert MissingEpisode.objects.exists() and ReturnInterview.objects.exists()
    findings = [(p.pk, str(f)) for p in Person.objects.filter(periods_of_care__isnull=False).distinct()
                for f in check_person(p, today=AS_OF)]
    assert findings == []
    # every child looked after is a child in need: a referral open through the period of care
    for period in PeriodOfCare.objects.select_related("cin_episode"):
        e = period.cin_episode
        assert e is not None and e.person_id == period.person_id, period.pk
        assert e.referral_date <= period.start_date and e.closure_date == period.end_date, period.pk


def test_the_seed_is_deterministic(small):
    from haven.front_door.models import Contact
    from haven.plans.models import Plan
    from haven.recording.models import RecordingSubject
    from haven.seed.generate import Seeder

    def snapshot():
        return (list(Contact.objects.order_by("pk").values_list("pk", "received_at", "rag", "decision")),
                list(Plan.objects.order_by("pk").values_list("pk", "person__local_id", "kind", "start_date", "end_date")),
                RecordingSubject.objects.count())

    runs = []
    for _ in range(2):
        with transaction.atomic():
            Seeder(scale="tiny", seed=11, as_of=dt.date(2025, 9, 1), out=io.StringIO()).run()
            runs.append(snapshot())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0][0] and runs[0][1]


def main() -> None:  # pragma: no cover - a command-line check of any seeded database
    """``python -m haven.core.tests.test_seed_casework YYYY-MM-DD``: the problems and rates of
    the database ``DATABASE_URL`` points at, seeded with that as-of day."""
    import sys

    today = dt.date.fromisoformat(sys.argv[1])
    problems = casework_problems(today, limit=0)
    print(f"{len(problems)} problems")
    for p in problems[:40]:
        print(" ", p)
    for lea, r in rates(today).items():
        print(lea, r)


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    main()
