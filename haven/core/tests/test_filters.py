"""Template filters that word values for people."""

from decimal import Decimal

from haven.core.templatetags.govuk import miles


def test_miles_says_under_a_mile_rather_than_zero():
    assert miles(Decimal("0.0")) == "under a mile"
    assert miles(Decimal("0.9")) == "under a mile"
    assert miles(Decimal("1.0")) == "1.0 miles"
    assert miles(Decimal("33.4")) == "33.4 miles"
    assert miles(None) == ""
