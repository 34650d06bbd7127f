"""Postcode districts (outcodes) for the distance from home and the location of a placement.

Haven runs offline, with no postcode service. This is a small table of postcode districts:
an **approximate centroid typed for Haven** (latitude, longitude, to about 0.01 degrees) and
the ONS code(s) of the local authority (upper tier) the district lies in. It is NOT an
official dataset (not ONS NSPL, not Royal Mail): it covers the London boroughs (the
tri-borough districts in detail) and the places outside London the seed and tests place
children in. A district that spans boroughs lists each of them. A postcode whose district is
not here gets no distance ("distance not computed"), never a guess.

Distances are straight-line (great-circle) miles between district centroids, to one decimal
place, as the SSDA903 PL_DISTANCE is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

# ONS codes of the authorities named below.
AUTHORITY_NAMES = {
    "E09000001": "City of London", "E09000002": "Barking and Dagenham", "E09000003": "Barnet",
    "E09000004": "Bexley", "E09000005": "Brent", "E09000006": "Bromley", "E09000007": "Camden",
    "E09000008": "Croydon", "E09000009": "Ealing", "E09000010": "Enfield", "E09000011": "Greenwich",
    "E09000012": "Hackney", "E09000013": "Hammersmith and Fulham", "E09000014": "Haringey",
    "E09000015": "Harrow", "E09000016": "Havering", "E09000017": "Hillingdon", "E09000018": "Hounslow",
    "E09000019": "Islington", "E09000020": "Kensington and Chelsea", "E09000021": "Kingston upon Thames",
    "E09000022": "Lambeth", "E09000023": "Lewisham", "E09000024": "Merton", "E09000025": "Newham",
    "E09000026": "Redbridge", "E09000027": "Richmond upon Thames", "E09000028": "Southwark",
    "E09000029": "Sutton", "E09000030": "Tower Hamlets", "E09000031": "Waltham Forest",
    "E09000032": "Wandsworth", "E09000033": "Westminster",
    "E10000016": "Kent", "E06000035": "Medway", "E10000030": "Surrey", "E06000038": "Reading",
    "E06000039": "Slough", "E06000042": "Milton Keynes", "E06000032": "Luton", "E06000043": "Brighton and Hove",
    "E08000025": "Birmingham", "E08000003": "Manchester", "E08000035": "Leeds", "E06000023": "Bristol, City of",
    "E06000033": "Southend-on-Sea", "E10000012": "Essex", "E10000015": "Hertfordshire",
    "E10000025": "Oxfordshire", "E08000012": "Liverpool", "E10000032": "West Sussex", "E10000011": "East Sussex",
    "W06000015": "Cardiff", "S12000036": "City of Edinburgh",
}

# outcode: (latitude, longitude, (ONS code, ...)). Approximate centroids typed for Haven.
DISTRICTS: dict[str, tuple[float, float, tuple[str, ...]]] = {
    # Westminster
    "W1B": (51.514, -0.141, ("E09000033",)), "W1C": (51.515, -0.150, ("E09000033",)),
    "W1D": (51.513, -0.132, ("E09000033",)), "W1F": (51.513, -0.136, ("E09000033",)),
    "W1G": (51.519, -0.147, ("E09000033",)), "W1H": (51.517, -0.161, ("E09000033",)),
    "W1J": (51.507, -0.145, ("E09000033",)), "W1K": (51.511, -0.151, ("E09000033",)),
    "W1S": (51.512, -0.142, ("E09000033",)), "W1T": (51.520, -0.136, ("E09000007", "E09000033")),
    "W1U": (51.519, -0.154, ("E09000033",)), "W1W": (51.521, -0.141, ("E09000033", "E09000007")),
    "W2": (51.514, -0.180, ("E09000033",)), "W9": (51.527, -0.192, ("E09000033",)),
    "NW8": (51.532, -0.171, ("E09000033", "E09000007")), "NW1": (51.535, -0.144, ("E09000007", "E09000033")),
    "NW6": (51.541, -0.197, ("E09000005", "E09000007", "E09000033")),
    "SW1A": (51.503, -0.135, ("E09000033",)), "SW1E": (51.498, -0.141, ("E09000033",)),
    "SW1H": (51.499, -0.134, ("E09000033",)), "SW1P": (51.495, -0.131, ("E09000033",)),
    "SW1V": (51.489, -0.139, ("E09000033",)), "SW1W": (51.493, -0.150, ("E09000033",)),
    "SW1X": (51.497, -0.157, ("E09000020", "E09000033")), "SW1Y": (51.507, -0.134, ("E09000033",)),
    "WC2E": (51.512, -0.123, ("E09000033",)), "WC2H": (51.514, -0.128, ("E09000007", "E09000033")),
    "WC2N": (51.509, -0.125, ("E09000033",)), "WC2R": (51.511, -0.117, ("E09000033",)),
    # Hammersmith and Fulham
    "W6": (51.492, -0.229, ("E09000013",)), "W12": (51.509, -0.233, ("E09000013",)),
    "W14": (51.494, -0.209, ("E09000013", "E09000020")), "SW6": (51.474, -0.199, ("E09000013",)),
    # Kensington and Chelsea
    "W8": (51.500, -0.193, ("E09000020",)), "W10": (51.521, -0.213, ("E09000020", "E09000033")),
    "W11": (51.513, -0.205, ("E09000020",)), "SW3": (51.489, -0.166, ("E09000020",)),
    "SW5": (51.490, -0.189, ("E09000020",)), "SW7": (51.496, -0.175, ("E09000020", "E09000033")),
    "SW10": (51.484, -0.182, ("E09000020",)),
    # the other London boroughs (one or a few districts each)
    "EC1A": (51.519, -0.100, ("E09000001",)), "EC2V": (51.515, -0.093, ("E09000001",)),
    "IG11": (51.536, 0.085, ("E09000002",)), "RM8": (51.555, 0.123, ("E09000002",)),
    "RM9": (51.539, 0.139, ("E09000002",)), "RM10": (51.547, 0.160, ("E09000002",)),
    "N3": (51.600, -0.193, ("E09000003",)), "NW4": (51.589, -0.226, ("E09000003",)),
    "EN5": (51.651, -0.200, ("E09000003",)), "N12": (51.615, -0.176, ("E09000003",)),
    "DA6": (51.455, 0.146, ("E09000004",)), "DA7": (51.462, 0.148, ("E09000004",)),
    "DA15": (51.436, 0.103, ("E09000004",)), "NW10": (51.541, -0.245, ("E09000005",)),
    "HA9": (51.558, -0.287, ("E09000005",)), "NW2": (51.561, -0.220, ("E09000005", "E09000003")),
    "BR1": (51.409, 0.018, ("E09000006",)), "BR2": (51.386, 0.023, ("E09000006",)),
    "BR6": (51.366, 0.099, ("E09000006",)), "NW3": (51.553, -0.172, ("E09000007",)),
    "NW5": (51.554, -0.141, ("E09000007",)), "WC1N": (51.522, -0.120, ("E09000007",)),
    "CR0": (51.375, -0.089, ("E09000008",)), "CR2": (51.350, -0.085, ("E09000008",)),
    "SE25": (51.398, -0.075, ("E09000008",)), "W5": (51.512, -0.302, ("E09000009",)),
    "W13": (51.512, -0.322, ("E09000009",)), "UB1": (51.512, -0.373, ("E09000009",)),
    "W3": (51.510, -0.265, ("E09000009",)), "EN1": (51.652, -0.072, ("E09000010",)),
    "N9": (51.627, -0.056, ("E09000010",)), "N18": (51.614, -0.064, ("E09000010",)),
    "SE10": (51.480, 0.004, ("E09000011",)), "SE18": (51.483, 0.072, ("E09000011",)),
    "SE9": (51.446, 0.058, ("E09000011",)), "E8": (51.544, -0.065, ("E09000012",)),
    "E5": (51.560, -0.053, ("E09000012",)), "N16": (51.561, -0.077, ("E09000012",)),
    "N17": (51.597, -0.069, ("E09000014",)), "N15": (51.582, -0.083, ("E09000014",)),
    "N8": (51.585, -0.115, ("E09000014",)), "HA1": (51.580, -0.336, ("E09000015",)),
    "HA3": (51.590, -0.316, ("E09000015",)), "RM1": (51.578, 0.183, ("E09000016",)),
    "RM3": (51.598, 0.227, ("E09000016",)), "UB8": (51.540, -0.479, ("E09000017",)),
    "UB4": (51.521, -0.425, ("E09000017",)), "TW3": (51.467, -0.362, ("E09000018",)),
    "W4": (51.490, -0.265, ("E09000018", "E09000009")), "TW4": (51.460, -0.390, ("E09000018",)),
    "N1": (51.538, -0.098, ("E09000019", "E09000012")), "N7": (51.553, -0.116, ("E09000019",)),
    "N19": (51.565, -0.130, ("E09000019",)), "KT1": (51.408, -0.297, ("E09000021",)),
    "KT2": (51.416, -0.283, ("E09000021",)), "SE11": (51.489, -0.110, ("E09000022",)),
    "SW9": (51.470, -0.113, ("E09000022",)), "SW2": (51.451, -0.118, ("E09000022",)),
    "SE27": (51.431, -0.102, ("E09000022",)), "SE13": (51.460, -0.012, ("E09000023",)),
    "SE6": (51.437, -0.018, ("E09000023",)), "SE4": (51.461, -0.034, ("E09000023",)),
    "SW19": (51.421, -0.200, ("E09000024", "E09000032")), "CR4": (51.402, -0.166, ("E09000024",)),
    "E15": (51.541, 0.001, ("E09000025",)), "E13": (51.528, 0.027, ("E09000025",)),
    "E6": (51.528, 0.057, ("E09000025",)), "IG1": (51.559, 0.074, ("E09000026",)),
    "IG2": (51.577, 0.082, ("E09000026",)), "TW9": (51.466, -0.296, ("E09000027",)),
    "TW1": (51.447, -0.328, ("E09000027",)), "SE1": (51.499, -0.094, ("E09000028", "E09000022")),
    "SE5": (51.474, -0.091, ("E09000028", "E09000022")), "SE15": (51.469, -0.065, ("E09000028",)),
    "SM1": (51.363, -0.190, ("E09000029",)), "SM5": (51.368, -0.163, ("E09000029",)),
    "E1": (51.517, -0.059, ("E09000030",)), "E14": (51.506, -0.019, ("E09000030",)),
    "E3": (51.529, -0.024, ("E09000030",)), "E17": (51.586, -0.018, ("E09000031",)),
    "E10": (51.568, -0.012, ("E09000031",)), "E4": (51.618, -0.004, ("E09000031",)),
    "SW11": (51.464, -0.164, ("E09000032",)), "SW18": (51.453, -0.192, ("E09000032",)),
    "SW17": (51.430, -0.165, ("E09000032",)), "SW15": (51.458, -0.226, ("E09000032",)),
    # outside London: where children from the tri-borough are placed
    "ME14": (51.282, 0.540, ("E10000016",)), "CT1": (51.279, 1.083, ("E10000016",)),
    "CT9": (51.386, 1.385, ("E10000016",)), "TN34": (50.862, 0.580, ("E10000011",)),
    "TN1": (51.133, 0.265, ("E10000016",)), "ME4": (51.378, 0.528, ("E06000035",)),
    "GU1": (51.240, -0.570, ("E10000030",)), "KT12": (51.376, -0.410, ("E10000030",)),
    "RG1": (51.455, -0.972, ("E06000038",)), "SL1": (51.512, -0.602, ("E06000039",)),
    "MK9": (52.040, -0.760, ("E06000042",)), "LU1": (51.877, -0.420, ("E06000032",)),
    "BN1": (50.830, -0.140, ("E06000043",)), "BN11": (50.815, -0.372, ("E10000032",)),
    "B1": (52.480, -1.905, ("E08000025",)), "M1": (53.480, -2.236, ("E08000003",)),
    "LS1": (53.797, -1.548, ("E08000035",)), "BS1": (51.454, -2.595, ("E06000023",)),
    "SS1": (51.537, 0.715, ("E06000033",)), "CM1": (51.735, 0.470, ("E10000012",)),
    "WD17": (51.657, -0.400, ("E10000015",)), "AL1": (51.750, -0.336, ("E10000015",)),
    "OX1": (51.750, -1.258, ("E10000025",)), "L1": (53.403, -2.980, ("E08000012",)),
    "CF10": (51.478, -3.177, ("W06000015",)), "EH1": (55.952, -3.190, ("S12000036",)),
}

POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


@dataclass(frozen=True)
class Placed:
    """What is computed on saving a placement."""

    distance_miles: Decimal | None
    location: str             # "IN", "OUT" or "" (not known)
    area: str                 # the local authority of the placement, "" when not known
    note: str                 # why the distance or location is blank


def normalise(postcode: str) -> str:
    """Upper case with one space before the inward code: ``w21aa`` → ``W2 1AA``."""
    pc = re.sub(r"\s+", "", (postcode or "").upper())
    if len(pc) >= 5:
        return f"{pc[:-3]} {pc[-3:]}"
    return pc


def is_valid(postcode: str) -> bool:
    """A well-formed full UK postcode (SSDA903 392c)."""
    return bool(POSTCODE.match(normalise(postcode)))


def outcode(postcode: str) -> str:
    pc = normalise(postcode)
    return pc.split(" ")[0] if " " in pc else pc


def lookup(postcode: str) -> tuple[float, float, tuple[str, ...]] | None:
    """The district's centroid and authorities, or None when the district is not in the table
    (a sub-district such as ``W1X`` falls back to nothing: we do not guess)."""
    return DISTRICTS.get(outcode(postcode))


def miles(a: tuple[float, float], b: tuple[float, float]) -> Decimal:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return Decimal(str(round(3958.8 * 2 * math.asin(math.sqrt(h)), 1)))


def distance(home: str, placement: str) -> Decimal | None:
    h, p = lookup(home), lookup(placement)
    if h is None or p is None:
        return None
    return miles(h[:2], p[:2])


def place(*, home_postcode: str, placement_postcode: str, authority_ons_code: str, uasc: bool = False) -> Placed:
    """Distance from home (blank for an unaccompanied asylum-seeking child: SSDA903 406) and
    whether the placement is inside the authority's boundary."""
    notes = []
    p = lookup(placement_postcode) if placement_postcode else None
    location, area = "", ""
    if p is not None:
        codes = p[2]
        location = "IN" if authority_ons_code in codes else "OUT"
        area = AUTHORITY_NAMES.get(authority_ons_code if location == "IN" else codes[0], codes[0])
    elif placement_postcode:
        notes.append(f"location not computed: postcode district {outcode(placement_postcode)} is not in Haven's table")
    if uasc:
        value = None
        notes.append("distance left blank: unaccompanied asylum-seeking child")
    elif not home_postcode or not placement_postcode:
        value = None
        notes.append("distance not computed: the home or placement postcode is missing")
    else:
        value = distance(home_postcode, placement_postcode)
        if value is None:
            unknown = [outcode(pc) for pc in (home_postcode, placement_postcode) if lookup(pc) is None]
            notes.append(f"distance not computed: postcode district {', '.join(unknown)} is not in Haven's table")
    return Placed(distance_miles=value, location=location, area=area, note="; ".join(notes))
