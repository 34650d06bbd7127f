"""What happens around a seeded period of care: the care plan, reviews chaired by an IRO,
statutory visits, health and dental checks, SDQs, personal education plans, missing episodes
with return-home interviews, exploitation risk assessments, permanence plans, care
proceedings, adoption steps, and for care leavers their pathway plans, contacts, accommodation
and activity. Mostly on time (timeliness 80-95%, as a good authority's), some late, a few
missed: the worklists and KPIs need both.

A mixin of ``haven.seed.care.CareSeeder``; every row goes through its bulk writer.
"""

from __future__ import annotations

import datetime as dt

from haven.care_leavers.models import (
    Accommodation,
    Activity,
    LeaverContact,
    PathwayPlan,
    PathwayPlanReview,
    StayingPut,
)
from haven.care_planning.models import CarePlan, LACReview, ReviewRecommendation
from haven.core.calendar import birthday, collection_year
from haven.core.codes.looked_after import ADOPTED
from haven.education.models import PersonalEducationPlan, SchoolPlacement
from haven.health.models import DentalCheck, HealthAssessment, SDQScore
from haven.missing.models import ExploitationRiskAssessment, MissingEpisode, ReturnInterview
from haven.permanence.models import AdoptionDecision, CareProceedings, PermanencePlan
from haven.recording.models import Recording, RecordingPart, RecordingSubject

from .names import STREETS

ONE_DAY = dt.timedelta(days=1)
# Why the decision that a child should be placed for adoption was reversed (SSDA903
# REASON_PLACED_CEASED), by how the child left care: home (the parents' circumstances changed,
# RD4), or to a special guardian (the child's needs changed, RD1).
REVERSAL_REASONS = {"E4A": "RD4", "E4B": "RD4", "E41": "RD4", "E13": "RD4"}
RECOMMENDATIONS = [
    ("Arrange a dental check", "Foster carer", "Dental check recorded and any treatment booked", 30),
    ("Refer to CAMHS for an assessment of sleep and anxiety", "Social worker", "Referral accepted and appointment offered", 20),
    ("Set up family time with siblings every fortnight", "Social worker", "Family time happening fortnightly and recorded", 28),
    ("Complete the life story work started by the previous worker", "Social worker", "Life story book shared with the child", 90),
    ("Confirm the school place for September", "Virtual school", "Place confirmed in writing", 40),
    ("Explore a connected person assessment of the aunt", "Social worker", "Viability assessment completed", 42),
]
VISIT_TEXT = ("Saw {child} at the placement. {child} showed me their room and talked about school and friends.",
              "Visited {child} with the carer present, then alone in the garden. Settled; wants more time with mum.",
              "{child} was seen after school. We talked about the review and what they want to say.")


def aware(day: dt.date, hour: int = 10):
    from .casework import aware as _aware

    return _aware(day, hour)


class CareRecords:
    """Mixin: ``self.rng``, ``self.w``, ``self.today``, ``self.s`` (the seeder), ``self.cw``."""

    def step(self, day: dt.date, days: int, *, late: float = 0.1, grace: int = 0) -> dt.date:
        """The next event: usually before a deadline ``days`` after ``day``, sometimes late."""
        rng = self.rng
        if rng.random() < late:
            return day + dt.timedelta(days=days + rng.randint(1, max(2, days // 3)))
        return day + dt.timedelta(days=rng.randint(max(1, days * 2 // 3 - grace), days))

    def until(self, end: dt.date | None) -> dt.date:
        return min(end, self.today) if end else self.today

    def records(self, c, period: dict, placements: list, episodes: list, start: dt.date, end: dt.date | None,
                staff: dict, eighteen: dt.date) -> None:
        last = self.until(end)
        la = c.la.pk
        worker = staff["workers"][c.pk % len(staff["workers"])]
        self.care_plan(c, period, start, last, worker)
        self.reviews(c, period, start, last, staff)
        self.visits(c, placements, worker)
        self.health(c, start, last)
        self.education(c, start, last)
        self.missing(c, start, last)
        self.permanence(c, period, episodes, start, end, last)
        self.leaving_care(c, start, last, end, eighteen, staff, placements[-1])
        del la

    # -- care planning ----------------------------------------------------------------------------
    def care_plan(self, c, period, start, last, worker) -> None:
        rng = self.rng
        agreed = start - dt.timedelta(days=rng.randint(1, 10)) if rng.random() < 0.15 else self.step(start, 14, late=0.08)
        if agreed > last or agreed >= self.today:
            return
        self.w.new(CarePlan, authority_id=c.la.pk, created_at=aware(agreed), created_by_id=worker.pk, person_id=c.pk,
                   period_id=period["id"], agreed_on=agreed,
                   summary="Looked after while the plan for permanence is made; to stay safe and settled.",
                   needs="A safe, stable home; school place; health and dental checks; time with family.",
                   how_met="Foster placement; virtual school oversight; family time arranged by the social worker.",
                   contact="Family time with parents weekly, supervised; siblings fortnightly.",
                   permanence_aim="not_decided" if rng.random() < 0.4 else rng.choice(
                       ["return_home", "sgo", "long_term_fostering", "adoption", "independence"]))

    def reviews(self, c, period, start, last, staff) -> None:
        rng, w = self.rng, self.w
        day = self.step(start, 28, late=0.07)           # 20 working days ~ 28 days
        gaps = [91, *([182] * 40)]
        i = 0
        while day <= last and day < self.today:
            chair = rng.choice(staff["iros"]) if staff["iros"] else None
            # PN0 for a child under 4 on the day (SSDA903 440, 441: the 4th birthday, not 4 x 365 days)
            part = "PN0" if day < birthday(c.dob, 4) else rng.choices(["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"],
                                                     [45, 12, 5, 5, 10, 18, 5])[0]
            r = w.new(LACReview, authority_id=c.la.pk, created_at=aware(day, 15), created_by_id=chair.pk if chair else None,
                      person_id=c.pk, period_id=period["id"], held_on=day, chair_id=chair.pk if chair else None,
                      participation=part, child_views="" if part in ("PN0", "PN7") else "Wants to stay where they are and see mum more.",
                      parents_views="Mother attended and agrees with the plan.",
                      decisions="The plan meets the child's needs. Recommendations below.",
                      next_review_on=day + dt.timedelta(days=gaps[min(i, len(gaps) - 1)]))
            for action, owner, outcome, days in rng.sample(RECOMMENDATIONS, rng.randint(1, 2)):
                due = day + dt.timedelta(days=days)
                status = ("done" if rng.random() < 0.8 else "not_done") if due < self.today else \
                    rng.choice(["not_started", "in_progress"])
                w.new(ReviewRecommendation, authority_id=c.la.pk, created_at=aware(day, 15), review_id=r["id"],
                      person_id=c.pk, action=action, owner=owner,
                      measurable_outcome=outcome if rng.random() < 0.85 else "", due_date=due, status=status)
            day = self.step(day, gaps[min(i, len(gaps) - 1)], late=0.08)
            i += 1

    def visits(self, c, placements, worker) -> None:
        rng, w = self.rng, self.w
        for p in placements:
            start, end = p["start_date"], self.until(p["end_date"])
            day = self.step(start, 7, late=0.08)
            while day <= end and day < self.today:
                occurred = aware(day, rng.randint(9, 17))
                r = w.new(Recording, authority_id=c.la.pk, created_at=occurred, created_by_id=worker.pk, kind="cla_visit",
                          occurred_at=occurred, title="Statutory visit", significant=False)
                seen = rng.random() < 0.97
                w.new(RecordingSubject, authority_id=c.la.pk, created_at=occurred, recording_id=r["id"], person_id=c.pk,
                      seen=seen, seen_alone=seen and (day - c.dob).days > 5 * 365 and rng.random() < 0.7)
                w.new(RecordingPart, authority_id=c.la.pk, created_at=occurred, recording_id=r["id"],
                      text=rng.choice(VISIT_TEXT).format(child="the child"))
                if p["visits"] == "temporary_approval":
                    gap = 7
                elif p["visits"] == "long_term" and day >= start + dt.timedelta(days=365):
                    gap = 91
                else:
                    gap = 42
                day = self.step(day, gap, late=0.1)

    # -- health and education ---------------------------------------------------------------------
    def health(self, c, start, last) -> None:
        rng, w = self.rng, self.w
        day, kind = self.step(start, 28, late=0.2), "initial"
        while day <= last and day < self.today:
            w.new(HealthAssessment, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk, kind=kind,
                  completed_on=day, by_name=f"Dr {rng.choice(STREETS).split()[0]}", by_role="Paediatrician" if kind == "initial" else "Nurse",
                  by_organisation="Looked-after children's health team", outcome="Healthy; growth normal; immunisations checked.")
            under5 = (day - c.dob).days < 5 * 365
            day, kind = self.step(day, 182 if under5 else 365, late=0.12), "review"
        day = self.step(start, 365, late=0.15)
        while day <= last and day < self.today:
            w.new(DentalCheck, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk, checked_on=day,
                  practice="High Street Dental Practice", treatment_needed=rng.random() < 0.15)
            day = self.step(day, 365, late=0.15)
        # Strengths and difficulties questionnaire: every year, from the 4th birthday to the 17th
        # (the SSDA903 asks for one in each year a child aged 4-16 has been looked after for 12 months)
        day = start + dt.timedelta(days=rng.randint(200, 330))
        while day <= last and day < self.today:
            four = birthday(c.dob, 4)
            if day < four:
                after = four + dt.timedelta(days=rng.randint(1, 20))
                year_end = dt.date(collection_year(four), 3, 31)
                on = max(day, dt.date(year_end.year - 1, 4, 1))
                if after > year_end and on <= last and on < self.today:
                    # the first questionnaire falls after the 31 March that follows the 4th
                    # birthday: that year's return gives the reason for none, under 4 at the
                    # latest assessment (SDQ1; SSDA903 197B)
                    w.new(SDQScore, authority_id=c.la.pk, created_at=aware(on), person_id=c.pk, completed_on=on,
                          score=None, reason="SDQ1", completed_by="")
                day = after
                continue
            if day >= birthday(c.dob, 17):
                # no questionnaire for a 17-year-old: the reason is recorded (SDQ1)
                w.new(SDQScore, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk, completed_on=day,
                      score=None, reason="SDQ1", completed_by="")
                break
            score = rng.choice([None] + list(range(4, 30))) if rng.random() < 0.92 else None
            w.new(SDQScore, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk, completed_on=day,
                  score=score, reason="" if score is not None else "SDQ4", completed_by="carer" if score is not None else "")
            day += dt.timedelta(days=rng.randint(300, 355))

    def education(self, c, start, last) -> None:
        rng, w = self.rng, self.w
        if (last - c.dob).days < 4 * 365:
            return
        school_from = max(start, c.dob + dt.timedelta(days=4 * 365 + 200))
        if school_from > last:
            return
        school = w.new(SchoolPlacement, authority_id=c.la.pk, created_at=aware(school_from), person_id=c.pk,
                       school_name=f"{rng.choice(STREETS).split()[0]} {'Primary' if (school_from - c.dob).days < 11 * 365 else 'Academy'}",
                       urn=f"{rng.randint(100000, 149999)}", start_date=school_from, end_date=None, year_group="")
        day = self.step(max(start, school_from), 28, late=0.15)
        while day <= last and day < self.today:
            w.new(PersonalEducationPlan, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk, held_on=day,
                  school_id=school["id"], attendees="Child\nCarer\nDesignated teacher\nSocial worker\nVirtual school adviser",
                  targets="Reading age to rise by a year by the summer (phonics tutor twice a week).",
                  pupil_premium_plus="One-to-one tutoring", designated_teacher="Designated teacher")
            day = self.step(day, 120, late=0.12)

    # -- missing and exploitation -----------------------------------------------------------------
    def missing(self, c, start, last) -> None:
        rng, w = self.rng, self.w
        age = (last - c.dob).days / 365.25
        if age < 11 or rng.random() > (0.25 if age >= 13 else 0.06):
            return
        rate = 12 if rng.random() < 0.12 else rng.choice([1, 2, 3])   # episodes a year: a few go missing often
        t = start
        worst = False
        while True:
            t = t + dt.timedelta(days=max(2, int(rng.expovariate(rate) * 365)))
            if t >= last or t >= self.today:
                break
            went = aware(t, rng.randint(15, 23))
            hours = rng.choice([3, 5, 8, 12, 20, 30, 48, 72, 120])
            back = went + dt.timedelta(hours=hours)
            if back.date() >= self.today:
                back = None
            ep = w.new(MissingEpisode, authority_id=c.la.pk, created_at=went, person_id=c.pk,
                       kind="M" if rng.random() < 0.85 else "A", started_at=went, ended_at=back,
                       reported_to_police=True, police_reference=f"CAD{rng.randint(1000, 9999)}/{t:%d%b}",
                       risk_level=rng.choice(["low", "medium", "medium", "high"]),
                       where_found="" if back is None else rng.choice(["friend", "relative", "returned", "other_address", "police_station"]),
                       found_by="" if back is None else "Police", from_care=True,
                       police_safe_and_well_check_on=None if back is None else back + dt.timedelta(hours=rng.randint(1, 6)))
            worst = worst or hours >= 48
            if back is None:
                break         # still missing on the as-of day
            t = max(t, back.date())   # the next episode starts after this one ended
            roll = rng.random()
            if roll < 0.1:
                continue      # no interview recorded: the gap the inspectors found
            offered = back + dt.timedelta(hours=rng.randint(4, 70) if roll < 0.85 else rng.randint(73, 200))
            if offered.date() >= self.today:
                continue
            outcome = rng.choices(["completed", "declined", "accepted"], [60, 30, 10])[0]
            w.new(ReturnInterview, authority_id=c.la.pk, created_at=offered, episode_id=ep["id"], outcome=outcome,
                  offered_at=offered, offered_by="Return home interview service", independent=rng.random() < 0.85,
                  completed_at=offered + dt.timedelta(hours=24) if outcome == "completed" else None,
                  conducted_by="Independent RHI worker" if outcome == "completed" else "",
                  push_factors=rng.sample(["conflict_placement", "boundaries", "placement_move", "loneliness", "education"], rng.randint(0, 2)),
                  pull_factors=rng.sample(["friends", "family", "partner", "exploitation", "gang", "drugs", "money_gifts"], rng.randint(1, 2)))
        if worst or rate >= 12:
            day = min(last, self.today - ONE_DAY)
            w.new(ExploitationRiskAssessment, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk, assessed_on=day,
                  kind=rng.choice(["cse", "cce", "cce", "both"]), risk_level=rng.choice(["medium", "high"]),
                  indicators=rng.sample(["missing", "older_associates", "gifts_money", "travel", "drugs", "school"], 3),
                  assessed_by="Exploitation lead practitioner", summary="Risk of exploitation linked to episodes missing.")

    # -- permanence ------------------------------------------------------------------------------
    def permanence(self, c, period, episodes, start, end, last) -> None:
        rng, w = self.rng, self.w
        if (last - start).days > 120:
            decided = start + dt.timedelta(days=rng.randint(100, 125))
            if decided < self.today:
                age = (decided - c.dob).days / 365.25
                adopted = any(e["legal_status"] == "E1" for e in episodes)
                plan = "adoption" if adopted else ("independence" if age >= 15 else rng.choice(
                    ["return_home", "sgo", "long_term_fostering", "long_term_fostering", "kinship"]))
                w.new(PermanencePlan, authority_id=c.la.pk, created_at=aware(decided), person_id=c.pk,
                      period_id=period["id"], plan=plan, decided_on=decided, reason="Agreed at the second review.",
                      is_current=True)
        # care proceedings: issued when an interim care order was first made
        icos = [e for e in episodes if e["legal_status"] == "C1"]
        if icos:
            issued = icos[0]["start_date"]
            final = next((e["start_date"] for e in episodes if e["legal_status"] in ("C2", "E1")), None)
            outcome = "care_order" if final else ""
            if final is None and end is not None:
                final = end      # the proceedings ended with the period: the child went home or to a guardian
                outcome = {"E41": "cao", "E45": "sgo", "E46": "sgo", "E47": "sgo", "E48": "sgo"}.get(
                    period["end_reason"], "supervision_order" if period["end_reason"].startswith("E4") else "no_order")
            long = bool(final and (final - issued).days > 182)
            w.new(CareProceedings, authority_id=c.la.pk, created_at=aware(issued), person_id=c.pk, court="Central Family Court",
                  case_number=f"ZW{issued:%y}C{rng.randint(10000, 99999)}", application="care", issued_on=issued,
                  interim_order_on=issued, concluded_on=final, outcome=outcome,
                  extension_granted=long and rng.random() < 0.5,
                  extension_reason="Expert assessment of the mother" if long else "")
        placement_order = next((e for e in episodes if e["legal_status"] == "E1"), None)
        if placement_order:
            po = placement_order["start_date"]
            adm = po - dt.timedelta(days=rng.randint(20, 80))
            steps = [("should_be_placed", max(start, adm)), ("placement_order", po)]
            placed = next((e["start_date"] for e in episodes if e["reason_new"] == "P" and e["start_date"] > po
                           and e["placement_id"] in self.adoption_placements), None)
            if placed:
                steps.append(("matched", placed - dt.timedelta(days=rng.randint(14, 40))))
                steps.append(("placed", placed))
                if end and period["end_reason"] in ("E11", "E12"):
                    steps.append(("adoption_order", end))
            if end and period["end_reason"] not in ADOPTED:
                # the child left care other than by adoption (an SGO, home): the agency decision
                # maker reversed the decision (SSDA903 557) after the last step, in the weeks before
                # care ended and in the same collection year (while a placement order is in force
                # at 31 March the decision is open: 553; a decision reversed before the year is
                # not reported: 118)
                year_began = dt.date(collection_year(end) - 1, 4, 1)
                steps.append(("reversed", max(steps[-1][1] + ONE_DAY, year_began,
                                              end - dt.timedelta(days=self.adoption_rng.randint(0, 56)))))
            for kind, day in steps:
                if day < self.today and (kind != "reversed" or day <= end):
                    reason = REVERSAL_REASONS.get(period["end_reason"], "RD1") if kind == "reversed" else ""
                    w.new(AdoptionDecision, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk, kind=kind,
                          decided_on=day, reason_ceased=reason, notes="")

    # -- care leavers ----------------------------------------------------------------------------
    def leaving_care(self, c, start, last, end, eighteen, staff, placement) -> None:
        """A pathway plan for a child looked after at 16 (needs assessment within 3 months of
        eligibility), reviewed 6-monthly; after leaving at 18, contacts, accommodation, activity."""
        rng, w = self.rng, self.w
        pa = rng.choice(staff["pas"]) if staff["pas"] else None
        sixteen = eighteen - dt.timedelta(days=2 * 365)
        fourteen = eighteen - dt.timedelta(days=4 * 365)
        eligible = max(sixteen, max(start, fourteen) + dt.timedelta(days=91))
        if eligible > last or eligible > eighteen:
            return
        assessed = self.step(eligible, 88, late=0.12)
        if assessed >= self.today:
            return
        plan = w.new(PathwayPlan, authority_id=c.la.pk, created_at=aware(assessed), person_id=c.pk,
                     needs_assessment_completed_on=assessed, plan_agreed_on=assessed + dt.timedelta(days=14),
                     accommodation="Supported accommodation until 18, then a council tenancy.",
                     education_training_employment="College course in construction; apprenticeship applications.",
                     health="Registered with a GP; health history to be given at 18.",
                     finance="Bank account opened; budgeting sessions with the PA.",
                     relationships="Keeps in touch with a former foster carer.", identity="Support with documents.",
                     contingency="If the tenancy fails, emergency placement at the foyer.",
                     next_review_on=None, end_date=None, end_reason="")
        day = self.step(plan["plan_agreed_on"], 182, late=0.1)
        while day < self.today:
            w.new(PathwayPlanReview, authority_id=c.la.pk, created_at=aware(day), plan_id=plan["id"], held_on=day,
                  young_person_took_part=rng.random() < 0.85, notes="Plan reviewed with the young person.")
            day = self.step(day, 182, late=0.1)
        if end != eighteen or end >= self.today:
            return
        left = end
        in_touch = rng.random() < 0.9
        day = left + dt.timedelta(days=rng.randint(5, 40))
        while day < self.today:
            w.new(LeaverContact, authority_id=c.la.pk, created_at=aware(day), person_id=c.pk,
                  by_id=pa.pk if pa else None, contact_on=day, method=rng.choice(["in_person", "phone", "text", "in_person"]),
                  in_touch="YES" if in_touch else rng.choice(["NO", "REFU"]), seen=in_touch and rng.random() < 0.6,
                  notes="Catch-up about college and the flat.")
            day = day + dt.timedelta(days=rng.randint(20, 70))
        kind = rng.choices(["D", "U", "E", "Z", "T", "B", "W", "S"], [30, 25, 10, 8, 10, 8, 3, 2])[0]
        w.new(Accommodation, authority_id=c.la.pk, created_at=aware(left), person_id=c.pk, start_date=left,
              end_date=None, kind=kind, suitable=kind not in ("W", "S") and rng.random() < 0.92,
              address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}", postcode="")
        code = rng.choices(["F2", "F4", "F5", "P5", "F1", "G5", "G4", "G6"], [25, 12, 12, 5, 8, 25, 8, 5])[0]
        w.new(Activity, authority_id=c.la.pk, created_at=aware(left), person_id=c.pk, start_date=left, end_date=None, code=code)
        if period_reason := getattr(self, "_last_reason", None):
            if period_reason == "E17":
                w.new(StayingPut, authority_id=c.la.pk, created_at=aware(left), person_id=c.pk, start_date=left,
                      end_date=None, carer=placement["carer"] or "Former foster carer")
