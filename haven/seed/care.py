"""Synthetic children looked after: periods of care, placements and SSDA903 episodes, and the
allocations around them (social worker, IRO, virtual school, personal adviser).

Run by ``haven.seed.generate.Seeder`` after the help-and-protection casework: children whose
child protection plan ended because they became looked after come into care on that day; other
children of the seeded families come into care from elsewhere (section 20 for adolescents, police
protection, interim care orders); unaccompanied asylum-seeking children (about a quarter of those
looked after, as in inner London) arrive as new people aged 14 to 17, and most of them become care
leavers.

Proportions are an inner-London authority's: about 50 children looked after per 10,000, many
placed outside the borough, ~10% with three or more placements in a year. Histories are built
to pass the SSDA903 episode rules (``haven.looked_after.validation``): episodes are contiguous
within a period (REC X1 then a same-day DECOM), RNE S first, L keeps the placement, P/T/B/U
change it with a reason for the change on the episode that ended, P1 placements are provided by
parents (PR0), URNs only where Ofsted registers the setting, no child looked after at 18.

Every child looked after is also a child in need (the CIN census counts them): a child whose
child protection plan ended in care keeps the episode of that plan, closed when care ends; the
others (unaccompanied children, section 20 and court routes from the families) are referred
shortly before they come into care, assessed, and the episode closes when care ends
(``need_episode``; it draws from its own random stream, so the care histories stay the same).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from haven.accounts.roles import Role
from haven.assessments.models import Assessment, AssessmentFactorIdentified, CINEpisode
from haven.core.calendar import age_on, birthday
from haven.core.codes.looked_after import ADOPTION_PLACEMENTS
from haven.looked_after.models import Episode, PeriodOfCare, Placement, Provider
from haven.people import names as name_rules
from haven.people.models import Allocation, LocalIdSequence, Person, PersonNameToken

from . import names
from .care_records import CareRecords
from .casework import aware

# Placements outside the three boroughs: outer London and the home counties, as London
# authorities use them (postcode districts only; units are made up).
OUT_DISTRICTS = ["CR0", "HA9", "UB8", "TW3", "EN1", "RM1", "RM8", "BR1",
                 "SE18", "E17", "N17", "N9", "IG1", "SM1", "KT1", "WD17", "SL1", "LU1",
                 "MK9", "CM1", "SS1", "CT9", "BN1", "GU1", "RG1", "B1"]

# Referrals of children who come into care other than from a child protection plan.
UASC_SOURCES = {"7": 35, "6": 35, "5C": 20, "1D": 10}        # immigration, police, another authority
OTHER_SOURCES = {"6": 30, "2A": 25, "1A": 15, "5D": 10, "3E": 8, "3A": 5, "4": 4, "1C": 3}
NEED_FACTORS = {"N1": ["16A", "17A", "3A", "18C", "2B", "1B", "4B"], "N2": ["5A", "6A"], "N3": ["6B", "4B", "5B"],
                "N4": ["4B", "3B", "20"], "N5": ["3B", "2B", "1B", "4B"], "N6": ["14A", "13A", "10A", "24A"],
                "N8": ["20", "4B"]}
# The reason a child in need episode closes when care ends (CIN census RC codes).
CLOSURE_ON_LEAVING = {"E11": "RC1", "E12": "RC1", "E2": "RC2", "E41": "RC3", "E45": "RC4", "E46": "RC4",
                      "E47": "RC4", "E48": "RC4", "E3": "RC5", "E7": "RC6"}

PLACE_CHANGE_REASONS = {"CARPL": 34, "CREQB": 15, "CREQO": 10, "CHILD": 8, "LAREQ": 10, "STAND": 4, "ALLEG": 3,
                        "CLOSE": 5, "APPRR": 2, "OTHER": 9}


def pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


@dataclass
class Child:
    pk: int
    dob: dt.date
    home_postcode: str
    uasc: bool = False
    la: object = None
    worker: object = None
    periods: list = field(default_factory=list)


class CareSeeder(CareRecords):
    def __init__(self, seeder, casework, seed: int):
        self.s = seeder
        self.cw = casework
        self.rng = random.Random(f"{seed}:care")
        self.need_rng = random.Random(f"{seed}:care-need")
        self.adoption_rng = random.Random(f"{seed}:care-adoption")   # reversals (its own stream: the histories stay the same)
        self.cp_episodes: dict[int, int] = {}          # person -> the open episode of the CP plan that ended in care
        self.closures: list[tuple[int, dt.date, str]] = []   # (episode, day, reason) to close after the flush
        self.today = seeder.today
        self.w = casework.w
        self.stats: dict[str, Counter] = {}
        self.providers: dict[str, list] = {}
        self.adoption_placements: set[int] = set()

    # -- set-up ---------------------------------------------------------------------------------
    def target(self, la) -> int:
        """Children looked after on the as-of day: about 50 per 10,000 children, at least 32
        per authority at ``small`` (the returns need some of each kind), 8 at ``tiny``."""
        population = self.cw.stats[la.lea_code]["population"] or 1
        floor = {"tiny": 8, "small": 32, "medium": 60, "large": 0}[self.s.scale]
        return max(floor, round(population * 50 / 10_000))

    def build_providers(self) -> None:
        """Children's homes, fostering agencies and supported accommodation, with URNs."""
        rng = self.rng
        rows = {"K2": [], "IFA": [], "H5": [], "S1": [], "K1": []}
        kinds = [("K2", "Children's Home", 14, ("PR4", "PR4", "PR5")), ("IFA", "Fostering", 8, ("PR4", "PR5")),
                 ("H5", "Supported Living", 8, ("PR4", "PR5")), ("S1", "Residential School", 2, ("PR4",)),
                 ("K1", "Secure Children's Home", 1, ("PR2",))]
        serial = 1000
        for kind, label, n, codes in kinds:
            for i in range(n):
                serial += rng.randint(7, 97)
                district = rng.choice(OUT_DISTRICTS if rng.random() < 0.7 else names.DISTRICTS["213"])
                rating = pick(rng, {"outstanding": 15, "good": 60, "requires_improvement": 20, "inadequate": 3,
                                    "not_inspected": 2})
                row = self.w.new(Provider, name=f"{rng.choice(names.STREETS).split()[0]} {label} {i + 1}",
                                 urn=f"SC{serial:06d}" if kind != "H5" else f"2{serial:06d}",
                                 provider_code=codes[i % len(codes)], ofsted_rating=rating,
                                 rating_date=self.today - dt.timedelta(days=rng.randint(30, 900)),
                                 postcode=self.postcode(district), active=True)
                rows[kind].append(row)
        self.providers = rows

    def postcode(self, district: str) -> str:
        rng = self.rng
        return f"{district} {rng.randint(1, 9)}{rng.choice(names.UNIT_LETTERS)}{rng.choice(names.UNIT_LETTERS)}"

    def staff(self, la) -> dict:
        """Looked-after children's social workers, IROs, personal advisers and the virtual school."""
        s = self.s
        lea = la.lea_code
        r = random.Random(f"{self.rng.random()}:care-staff")
        n = max(2, self.target(la) // 15)

        def user(username, role, team_name):
            first = r.choice(names.FIRST_F + names.FIRST_M)
            return s.make_user(username, first, r.choice(names.SURNAMES), role, s.teams[(lea, team_name)], home=la,
                               enrol=False)

        cla_team = s.teams[(lea, "Looked After Children")]
        lc_team = s.teams[(lea, "Leaving Care")]
        workers = [user(f"cla{lea}.{i + 1:03d}", Role.SOCIAL_WORKER, "Looked After Children") for i in range(n)]
        pas = [user(f"pa{lea}.{i + 1:03d}", Role.PERSONAL_ADVISER, "Leaving Care") for i in range(max(2, n // 2))]
        if lea == "213" and "pat.adviser" in s.users:
            pas.insert(0, s.users["pat.adviser"])
        vs = user(f"vs{lea}.head", Role.SOCIAL_WORKER, "Looked After Children")
        return {"workers": workers, "pas": pas, "vs": vs, "cla_team": cla_team, "lc_team": lc_team,
                "iros": self.cw.chairs, "iro_team": s.teams[(lea, "Child Protection and Reviewing")]}

    # -- people ---------------------------------------------------------------------------------
    def uasc_people(self, la, n: int, *, min_age: float, max_age: float) -> list[Child]:
        """New young people who arrived alone: born so that they are ``min_age``-``max_age`` now."""
        s, rng = self.s, self.rng
        s.next_local = LocalIdSequence.objects.filter(authority=la).values_list("last_number", flat=True).first() or 0
        people = []
        for _ in range(n):
            sex = "M" if rng.random() < 0.9 else "F"
            ethnicity = pick(rng, {"BAFR": 35, "AOTH": 25, "OOTH": 25, "WOTH": 10, "BOTH": 5})
            first = rng.choice(names.FIRST_M if sex == "M" else names.FIRST_F)
            kind = "child" if min_age < 18 else "adult"
            p = s.new_person(la, kind=kind, first=first, last=rng.choice(names.SURNAMES), sex=sex,
                             born=s.birth_date(min_age, max_age), ethnicity=ethnicity)
            if kind == "adult" or age_on(p.date_of_birth, self.today) >= 18:
                p.kind = "adult"
            people.append(p)
        s.write(Person, people, with_pk=True)
        tokens = {(p.pk, t): None for p in people for t in sorted(name_rules.tokens(p.first_name, p.last_name))}
        s.write(PersonNameToken, [PersonNameToken(person_id=pk, token=t) for pk, t in tokens])
        LocalIdSequence.objects.update_or_create(authority=la, defaults={"last_number": s.next_local})
        s.counts.people += len(people)
        return [Child(p.pk, p.date_of_birth, self.postcode(rng.choice(names.DISTRICTS[la.lea_code])), uasc=True, la=la)
                for p in people]

    # -- run ------------------------------------------------------------------------------------
    def run(self) -> None:
        self.build_providers()
        entrants = getattr(self.cw, "care_entrants", [])
        self.cp_episodes = dict(CINEpisode.objects.filter(person_id__in=[kid.pk for _, kid, _ in entrants],
                                                          closure_date__isnull=True).values_list("person_id", "pk"))
        for la in self.s.authorities:
            self.stats[la.lea_code] = Counter()
            staff = self.staff(la)
            target = self.target(la)
            used: set[int] = set()
            # 1. unaccompanied asylum-seeking children: about a quarter of those looked after now,
            #    and most care leavers
            uasc_now = self.uasc_people(la, max(2, round(target * 0.28)), min_age=15.0, max_age=17.9)
            for c in uasc_now:
                arrived = self.arrival(c.dob, earliest_age=14.2)
                self.history(c, arrived, staff, route="uasc", until_18=True)
            leavers = self.uasc_people(la, max(3, round(target * 0.45)), min_age=18.1, max_age=21.9)
            for c in leavers:
                self.history(c, self.arrival(c.dob, earliest_age=14.5, latest_age=17.6), staff, route="uasc",
                             until_18=True)
            # 2. children whose child protection plan ended because they came into care; once the
            #    stock on the as-of day is reached, their periods have ended by then
            for la_pk, kid, day in entrants:
                if la_pk != la.pk or kid.pk in used or kid.dob is None or age_on(kid.dob, day) >= 17:
                    continue
                used.add(kid.pk)
                c = Child(kid.pk, kid.dob, self.postcode(self.rng.choice(names.DISTRICTS[la.lea_code])), la=la)
                self.history(c, day, staff, route="cp",
                             stay=None if self.stats[la.lea_code]["open"] < target else False)
            # 3. other children of the families, until the stock on the as-of day reaches the target
            pool = [k for f in self.cw.families[la.pk] for k in f.kids if k.dob and k.pk not in used and k.free_from is not None]
            self.rng.shuffle(pool)
            years = self.cw.profile.years
            for kid in pool:
                if self.stats[la.lea_code]["open"] >= target and self.stats[la.lea_code]["ended_in_window"] >= target * 0.5 * years:
                    break
                open_needed = self.stats[la.lea_code]["open"] < target
                age_now = age_on(kid.dob, self.today)
                if age_now < 1 or age_now > 17:
                    continue
                if open_needed:
                    back = min(age_now * 365 - 30, int(self.rng.choice([0.3, 0.8, 1.5, 2.5, 4, 6]) * 365 * self.rng.uniform(0.4, 1.0)))
                    start = self.today - dt.timedelta(days=max(10, back))
                else:
                    start = self.today - dt.timedelta(days=self.rng.randint(60, years * 365))
                if start <= kid.dob or start < kid.free_from:
                    continue   # (a referral for the care cannot overlap the child's earlier episodes)
                c = Child(kid.pk, kid.dob, self.postcode(self.rng.choice(names.DISTRICTS[la.lea_code])), la=la)
                self.history(c, start, staff, route="other", stay=open_needed, earliest=kid.free_from)
                used.add(kid.pk)
        self.w.flush()
        self.close_episodes()
        self.hand_over()
        self.give_upns()

    def give_upns(self) -> None:
        """The virtual school obtains a unique pupil number for every looked-after child of school
        age who has none (the SSDA903 treats "not yet obtained" after a week in care as an error)."""
        from haven.people.models import Person

        people = list(Person.objects.filter(periods_of_care__isnull=False, upn="",
                                            date_of_birth__lte=self.today - dt.timedelta(days=4 * 365))
                      .distinct().order_by("pk"))
        for p in people:
            p.upn = self.s.upn(p.authority.lea_code, p.date_of_birth)
        Person.objects.bulk_update(people, ["upn"], batch_size=500)

    def hand_over(self) -> None:
        """A child who comes into care moves to the looked-after children's social worker: the
        earlier allocation (from the child protection work) ends the day before."""
        from django.db.models import Count

        people = (Allocation.objects.filter(role="social_worker", end_date__isnull=True).values("person_id")
                  .annotate(n=Count("id")).filter(n__gt=1).values_list("person_id", flat=True))
        ended = []
        for person_id in list(people):
            rows = list(Allocation.objects.filter(person_id=person_id, role="social_worker", end_date__isnull=True)
                        .order_by("start_date", "pk"))
            latest = rows[-1].start_date
            for a in rows[:-1]:
                a.end_date = max(a.start_date, latest - dt.timedelta(days=1))
                ended.append(a)
        Allocation.objects.bulk_update(ended, ["end_date"], batch_size=500)

    def arrival(self, dob: dt.date, *, earliest_age: float, latest_age: float = 17.8) -> dt.date:
        lo = dob + dt.timedelta(days=int(earliest_age * 365.25))
        hi = min(self.today - dt.timedelta(days=3), dob + dt.timedelta(days=int(latest_age * 365.25)))
        if hi <= lo:
            return lo
        return lo + dt.timedelta(days=self.rng.randrange((hi - lo).days))

    # -- one child's care -----------------------------------------------------------------------
    def history(self, c: Child, start: dt.date, staff: dict, *, route: str, until_18: bool = False,
                stay: bool | None = None, earliest: dt.date | None = None) -> None:
        rng, la = self.rng, c.la
        eighteen = birthday(c.dob, 18)
        if start >= eighteen or start > self.today:
            return
        st = self.stats[la.lea_code]
        # how long the period lasts (None: still looked after on the as-of day)
        if until_18:
            end = eighteen if rng.random() < 0.9 else start + dt.timedelta(days=rng.randint(90, 700))
        elif stay:
            end = None
        else:
            span = pick(rng, {(3, 60): 30, (60, 240): 25, (240, 730): 25, (730, 2200): 20})
            end = start + dt.timedelta(days=rng.randint(*span))
        if end is not None and end >= eighteen:
            end = eighteen
        if end is not None and end >= self.today:
            end = None
        if end is None and stay is False and (self.today - start).days > 4:
            # the stock on the as-of day is full: this period ended before it
            end = start + dt.timedelta(days=rng.randint(3, min(2200, (self.today - start).days - 1)))
        if end is None and eighteen <= self.today:
            end = eighteen
        # legal status journey
        age = age_on(c.dob, start)
        if route == "uasc":
            ls = "V2"
        elif route == "cp":
            ls = pick(rng, {"C1": 55, "V2": 30, "L2": 10, "L1": 5})
        else:
            ls = pick(rng, {"V2": 60, "C1": 20, "L1": 8, "L2": 4, "J1": 8 if age >= 12 else 0})
        need = "N8" if route == "uasc" else ("N1" if route == "cp" else pick(rng, {"N1": 50, "N4": 12, "N5": 15, "N6": 10, "N2": 5, "N3": 4, "N8": 4}))
        changes: list[tuple[dt.date, str, str | None]] = []  # (day, "ls"/"place", new ls)
        horizon = end or self.today
        day, current = start, ls
        # police protection / EPO become an interim care order within days; ICOs a full order
        if current in ("L1", "L2"):
            # police protection lasts at most 72 hours, an emergency protection order 8 days
            day = start + dt.timedelta(days=rng.randint(1, 3) if current == "L1" else rng.randint(2, 8))
            if day < horizon:
                changes.append((day, "ls", "C1"))
                current = "C1"
        if current == "C1":
            day = day + dt.timedelta(days=rng.randint(120, 300))
            if day < horizon:
                changes.append((day, "ls", "C2"))
                current = "C2"
        if current == "J1":
            day = start + dt.timedelta(days=rng.randint(10, 120))
            if end is None or day < end:
                end = day if day < self.today else None
                horizon = end or self.today
        adoption = current == "C2" and age_on(c.dob, day) < 5 and rng.random() < 0.45 and route != "uasc"
        if adoption:
            po = day + dt.timedelta(days=rng.randint(20, 200))
            if po < horizon:
                changes.append((po, "ls", "E1"))
                placed = po + dt.timedelta(days=rng.randint(60, 260))
                if placed < horizon:
                    changes.append((placed, "adopt", None))
                    if end is not None or placed + dt.timedelta(days=300) < self.today:
                        end = placed + dt.timedelta(days=rng.randint(150, 330))
                        if end >= self.today:
                            end = None
                        horizon = end or self.today
        # placement moves: most children rarely move, some often
        rate = pick(rng, {0.25: 55, 0.8: 28, 3.5: 17})
        t = start
        while True:
            t = t + dt.timedelta(days=max(7, int(rng.expovariate(rate) * 365)))
            if t >= horizon:
                break
            changes.append((t, "place", None))
        changes.sort(key=lambda x: (x[0], x[1]))
        # merge same-day changes (legal status + placement at once: RNE T)
        merged: list[list] = []
        for d, kind, new_ls in changes:
            if d <= start:
                continue
            if merged and merged[-1][0] == d:
                merged[-1][1].add(kind)
                merged[-1][2] = new_ls or merged[-1][2]
            else:
                merged.append([d, {kind}, new_ls])
        # -- rows
        period = self.w.new(PeriodOfCare, authority_id=la.pk, created_at=self.s.stamp, person_id=c.pk,
                            start_date=start, end_date=end, end_reason="", uasc=c.uasc, home_postcode=c.home_postcode)
        placement = self.new_placement(c, period, start, ls, route, adoption_placed=False, previous=None)
        ep = self.new_episode(c, period, placement, start, "S", ls, need)
        placements, episodes = [placement], [ep]
        placements_in = [start]
        for d, kinds, new_ls in merged:
            place_change = "place" in kinds or "adopt" in kinds
            legal = new_ls if "ls" in kinds and new_ls and new_ls != ep["legal_status"] else None
            if not place_change and legal is None:
                continue
            ep["end_date"], ep["end_reason"] = d, "X1"
            ls_now = legal or ep["legal_status"]
            if place_change:
                placement["end_date"] = d
                placement["reason_for_change"] = "CARPL" if "adopt" in kinds else pick(rng, PLACE_CHANGE_REASONS)
                placement = self.new_placement(c, period, d, ls_now, route, adoption_placed="adopt" in kinds, previous=placement)
                rne = "T" if legal else "P"
                placements_in.append(d)
                placements.append(placement)
            else:
                rne = "L"
            ep = self.new_episode(c, period, placement, d, rne, ls_now, need)
            episodes.append(ep)
        if end is not None:
            reason = self.end_reason(c, ep, placement, end, eighteen)
            ep["end_date"], ep["end_reason"] = end, reason
            placement["end_date"] = end
            period["end_reason"] = reason
            st["ended"] += 1
            if end >= self.cw.start:
                st["ended_in_window"] += 1
        else:
            st["open"] += 1
            st["open_uasc"] += c.uasc
            year_ago = self.today - dt.timedelta(days=365)
            st["three_plus_moves"] += sum(1 for d in placements_in if d > year_ago) >= 3
        st["periods"] += 1
        self.allocate(c, period, staff, start, end, eighteen)
        self._last_reason = period["end_reason"]
        if route == "cp":
            episode = self.cp_episodes.get(c.pk)
            period["cin_episode_id"] = episode
            if episode is not None and end is not None:
                self.closures.append((episode, end, CLOSURE_ON_LEAVING.get(period["end_reason"], "RC7")))
        else:
            self.need_episode(c, period, start, end, ls, need, route, earliest or c.dob)
        self.records(c, period, placements, episodes, start, end, staff, eighteen)

    # -- the child in need episode of a child looked after -----------------------------------------
    def need_episode(self, c: Child, period: dict, start: dt.date, end: dt.date | None, ls: str, need: str,
                     route: str, earliest: dt.date) -> None:
        """A referral shortly before the child comes into care (police protection the same day,
        accommodation after some days, care proceedings after weeks), an assessment authorised
        within 45 working days (or before care ends), and closure when care ends."""
        rng, w, cw = self.need_rng, self.w, self.cw
        lead = rng.randint(0, 1) if ls in ("L1", "L2") or route == "uasc" else \
            rng.randint(2, 30) if ls == "V2" else rng.randint(10, 90)
        referral = max(earliest, start - dt.timedelta(days=lead))
        source = "6" if ls in ("L1", "L2") else pick(rng, UASC_SOURCES if route == "uasc" else OTHER_SOURCES)
        closure = end
        reason = CLOSURE_ON_LEAVING.get(period["end_reason"], "RC7") if closure else ""
        ep = w.new(CINEpisode, authority_id=c.la.pk, created_at=aware(referral, 11), person_id=c.pk,
                   referral_date=referral, source=source, primary_need=need, decision_date=referral,
                   referral_nfa=False, closure_date=closure, closure_reason=reason)
        period["cin_episode_id"] = ep["id"]
        auth = cw.wd(referral, rng.randint(5, 40))
        if closure is not None:
            auth = min(auth, closure)
        done = auth < self.today
        seen = referral if rng.random() < 0.9 else min(auth, cw.wd(referral, 1))
        a = w.new(Assessment, authority_id=c.la.pk, created_at=aware(referral, 14), person_id=c.pk,
                  episode_id=ep["id"], start_date=referral, child_seen_date=seen if seen < self.today else None,
                  seen_alone=age_on(c.dob, referral) >= 5 and seen < self.today, outcome="cla" if done else "",
                  analysis="The child needs to be looked after." if done else "",
                  completed_date=auth if done else None, authorised_date=auth if done else None)
        if not done:
            return
        codes = ["9A"] if route == "uasc" else []
        pool = NEED_FACTORS.get(need, ["20"])
        codes += rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        for code in dict.fromkeys(codes):
            w.new(AssessmentFactorIdentified, authority_id=c.la.pk, created_at=a["created_at"], assessment_id=a["id"],
                  code=code)

    def close_episodes(self) -> None:
        """Close the child protection episodes of children whose care has ended (written by the
        casework before care was seeded)."""
        rows = {e.pk: e for e in CINEpisode.objects.filter(pk__in=[pk for pk, _, _ in self.closures])}
        for pk, day, reason in self.closures:
            rows[pk].closure_date, rows[pk].closure_reason = day, reason
        CINEpisode.objects.bulk_update(list(rows.values()), ["closure_date", "closure_reason"], batch_size=500)

    def new_placement(self, c: Child, period: dict, day: dt.date, ls: str, route: str, *, adoption_placed: bool,
                      previous: dict | None) -> dict:
        rng = self.rng
        age = age_on(c.dob, day)
        if adoption_placed:
            place = "A6"   # A5 (with the current foster carers) would need RNE U or T (SSDA903 217)
        elif ls == "E1":
            place = "U6" if previous is None else pick(rng, {"U6": 70, "U4": 20, "U5": 10})
        elif route == "uasc":
            place = pick(rng, {"H5": 70, "U6": 30}) if age >= 16 else pick(rng, {"U6": 85, "K2": 15})
        elif ls == "J1":
            place = pick(rng, {"K2": 60, "U6": 30, "K1": 10})
        elif age < 5:
            place = pick(rng, {"U6": 60, "U3": 20, "U4": 12, "R3": 3, "P1": 5 if ls == "C2" else 0})
        elif age < 12:
            place = pick(rng, {"U6": 52, "U4": 16, "U3": 14, "U1": 6, "K2": 6, "P1": 6 if ls == "C2" else 0})
        elif age < 16:
            place = pick(rng, {"U6": 40, "U4": 14, "U3": 10, "U1": 5, "K2": 26, "S1": 2, "P1": 3 if ls == "C2" else 0})
        else:
            place = pick(rng, {"U6": 25, "U4": 10, "H5": 45, "K2": 17, "U1": 3})
        provider = None
        if place == "P1" and previous is not None and previous["place"] == "P1":
            place = "U6"     # a move from home is not to home again (SSDA903 435)
        if place == "P1":
            code = "PR0"
        elif place in ("U1", "U2", "U3"):
            code = "PR1"
        elif place in ("U4", "U5", "U6"):
            code = pick(rng, {"PR1": 55, "PR4": 40, "PR5": 5})
            if code != "PR1":
                provider = self.other_provider("IFA", previous)
        elif place in ADOPTION_PLACEMENTS:
            code = pick(rng, {"PR1": 60, "PR2": 15, "PR5": 25})
        elif place in ("K2", "H5", "S1", "K1"):
            provider = self.other_provider(place, previous, away_from=c.home_postcode)
            code = provider["provider_code"]
        else:
            code = "PR3" if place == "R3" else "PR4"
        if place == "P1":
            postcode = c.home_postcode
        elif provider is not None and place != "U4" and place != "U6" and place != "U5":
            postcode = provider["postcode"]
        elif code == "PR1":
            # the authority's own carers live in the borough (SSDA903 1015)
            postcode = self.postcode(rng.choice(names.DISTRICTS[c.la.lea_code]))
        else:
            postcode = self.postcode(rng.choice(OUT_DISTRICTS))
        while place != "P1" and postcode == c.home_postcode:
            # a placement away from home is not at the home address (SSDA903 392d)
            postcode = self.postcode(postcode.split()[0])
        registered = place in ("K1", "K2", "H5", "S1") or (place in ("U4", "U5", "U6") and provider is not None)
        carer = {"P1": "Parent", "U1": "Aunt (connected person)", "U2": "Grandparent (connected person)",
                 "U3": "Family friend (connected person)"}.get(place, "")
        if not carer and place.startswith("U"):
            carer = f"{rng.choice(names.FIRST_F + names.FIRST_M)} {rng.choice(names.SURNAMES)} (foster carer)"
        if not carer and place in ADOPTION_PLACEMENTS:
            carer = "Prospective adopters"
        row = self.w.new(Placement, authority_id=c.la.pk, created_at=self.s.stamp, period_id=period["id"],
                         person_id=c.pk, start_date=day, end_date=None, place=place, provider_code=code,
                         provider_id=provider["id"] if provider and registered else None, carer=carer,
                         address="" if place == "P1" else f"{rng.randint(1, 200)} {rng.choice(names.STREETS)}",
                         postcode=postcode, urn=provider["urn"] if provider and registered else "",
                         ofsted_rating=provider["ofsted_rating"] if provider and registered else "",
                         temporary_approval=place == "U3" and rng.random() < 0.3,
                         approval_confirmed_on=None, reason_for_change="", visits="standard")
        if place in ADOPTION_PLACEMENTS:
            self.adoption_placements.add(row["id"])
        if row["temporary_approval"]:
            row["approval_confirmed_on"] = day + dt.timedelta(days=rng.randint(60, 110))
        row["visits"] = "long_term" if place in ("U1", "U4") else "standard"
        if row["temporary_approval"] and row["approval_confirmed_on"] >= self.today:
            row["visits"] = "temporary_approval"
        self.locate(row, c)
        return row

    def other_provider(self, kind: str, previous: dict | None, away_from: str = "") -> dict:
        """A provider of this kind, not the one the child is leaving (a move is a move: 903 rule 435)
        nor one at the child's home postcode (392d)."""
        choices = [p for p in self.providers[kind] if (previous is None or p["id"] != previous["provider_id"])
                   and p["postcode"] != away_from]
        return self.rng.choice(choices or self.providers[kind])

    def locate(self, row: dict, c: Child) -> None:
        """Distance and in/out of authority, as the placement form computes them."""
        from haven.looked_after.postcodes import place

        placed = place(home_postcode=c.home_postcode, placement_postcode=row["postcode"],
                       authority_ons_code=c.la.ons_code, uasc=c.uasc)
        row["distance_miles"], row["location"] = placed.distance_miles, placed.location
        row["placing_authority_area"] = placed.area

    def new_episode(self, c: Child, period: dict, placement: dict, day: dt.date, rne: str, ls: str, need: str) -> dict:
        return self.w.new(Episode, authority_id=c.la.pk, created_at=self.s.stamp, period_id=period["id"],
                          person_id=c.pk, placement_id=placement["id"], start_date=day, reason_new=rne,
                          legal_status=ls, category_of_need=need, end_date=None, end_reason="")

    def end_reason(self, c: Child, ep: dict, placement: dict, end: dt.date, eighteen: dt.date) -> str:
        rng = self.rng
        if end == eighteen:
            if placement["place"] in ("U1", "U3", "U4", "U6") and rng.random() < 0.3:
                return "E17"    # staying put
            return pick(rng, {"E5": 60, "E6": 15, "E8": 10, "E13": 5, "E4A": 5, "E7": 1})
        if placement["place"] in ADOPTION_PLACEMENTS:
            return pick(rng, {"E11": 70, "E12": 30})
        if ep["legal_status"] == "J1":
            return pick(rng, {"E14": 70, "E9": 30})
        if ep["legal_status"] in ("C2", "E1"):
            reason = pick(rng, {"E45": 30, "E47": 20, "E41": 15, "E4A": 25, "E3": 5, "E8": 5})
            if reason == "E45":
                # a special guardianship order to the foster carers the child lives with (903 rule 516)
                place = placement["place"]
                reason = "E45" if place in ("U1", "U2", "U3") else "E46" if place in ("U4", "U5", "U6") else "E47"
            return reason
        if c.uasc:
            return pick(rng, {"E15": 30, "E8": 40, "E16": 30})
        return pick(rng, {"E4A": 55, "E4B": 10, "E13": 15, "E41": 5, "E3": 5, "E8": 10})

    def allocate(self, c: Child, period: dict, staff: dict, start: dt.date, end: dt.date | None, eighteen: dt.date) -> None:
        rng, w = self.rng, self.w
        rows = [("social_worker", rng.choice(staff["workers"]), staff["cla_team"], start, end)]
        if staff["iros"]:
            rows.append(("iro", rng.choice(staff["iros"]), staff["iro_team"], start, end))
        rows.append(("virtual_school", staff["vs"], staff["cla_team"], start, end))
        sixteen = birthday(c.dob, 16)
        leaving = end == eighteen or (end is None and sixteen <= self.today)
        if leaving and staff["pas"]:
            pa_from = max(start, sixteen - dt.timedelta(days=rng.randint(0, 60)))
            if pa_from <= self.today:
                until = None if age_on(c.dob, self.today) < 21 else birthday(c.dob, 21)
                rows.append(("personal_adviser", rng.choice(staff["pas"]), staff["lc_team"], pa_from, until))
        for role, worker, team, frm, to in rows:
            w.new(Allocation, authority_id=c.la.pk, created_at=self.s.stamp, person_id=c.pk, worker_id=worker.pk,
                  team_id=team.pk, role=role, start_date=frm, end_date=to)

    def describe(self, la) -> str:
        st = self.stats.get(la.lea_code, Counter())
        return (f"{la.name}: {st['open']} looked after now ({st['open_uasc']} UASC, {st['three_plus_moves']} with 3+ "
                f"placements in 12 months), {st['ended']} periods ended, {st['periods']} periods in all")
