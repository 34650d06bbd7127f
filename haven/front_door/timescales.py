"""MASH timescales: a decision on a rated contact within the time its RAG rating sets (DOMAIN
step 1: red same day / 4 hours, amber 24 hours, green 72 hours; blue needs no further checks).

The clock belongs to the children the contact is about (``subjects`` with the child role): the
adults involved carry no deadline of their own. Adding a child to a contact later gives them the
clock too (``ContactSubject`` is read through the filter, so saving one recomputes)."""

from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

for rag, hours, label in (("R", 4, "red"), ("A", 24, "amber"), ("G", 72, "green")):
    register(Rule(
        code=f"contact_decision_{label}",
        label=f"MASH decision on {'an' if label == 'amber' else 'a'} {label}-rated contact",
        citation="Local MASH threshold protocol: red 4 hours, amber 24 hours, green 72 hours",
        trigger=Source("front_door.Contact", date="rated_at", filter={"rag": rag, "subjects__role": "child"}),
        schedule=Schedule(Interval(Clock.HOURS, hours)),
        satisfied_by=Source("front_door.Contact", date="decision_at"),
        person="subjects__person",
        hours=True,
    ))
