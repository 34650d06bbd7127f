"""SSDA903 code lists (DfE, children looked after return 2026-27) and the care leaver codes.

Labels follow the DfE guidance wording, shortened where the guidance is long. Validation of
episode histories against these codes is in ``haven.looked_after.validation``.
"""

from django.db import models


class LegalStatus(models.TextChoices):
    """LS: the legal status of an episode."""
    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    J1 = "J1", "Remanded to local authority accommodation or youth detention accommodation"
    J2 = "J2", "Placed in local authority accommodation under the Police and Criminal Evidence Act 1984"
    J3 = "J3", "Sentenced to a youth rehabilitation order with residence or intensive fostering requirement"
    L1 = "L1", "Under police protection and in local authority accommodation"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Under child assessment order and in local authority accommodation"
    V2 = "V2", "Single period of accommodation under section 20"
    V3 = "V3", "Accommodated under an agreed series of short-term breaks, individual episodes not recorded"
    V4 = "V4", "Accommodated under an agreed series of short-term breaks, agreements recorded"


class ReasonNewEpisode(models.TextChoices):
    """RNE: why an episode started."""
    S = "S", "Started to be looked after"
    P = "P", "Change of placement and carer(s) only"
    L = "L", "Change of legal status only"
    T = "T", "Change of both legal status and placement and carer(s) at the same time"
    U = "U", "Change of legal status and placement, with the same carer(s)"
    B = "B", "Change of placement with the same carer(s), legal status unchanged"


class CategoryOfNeed(models.TextChoices):
    """CIN on an episode (N1-N8; N9 and N0 are not used on the SSDA903)."""
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental illness or disability"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"


class PlacementType(models.TextChoices):
    """PLACE: the type of placement."""
    A3 = "A3", "Placed for adoption with consent with current foster carer(s)"
    A4 = "A4", "Placed for adoption with consent, not with current foster carer(s)"
    A5 = "A5", "Placed for adoption with a placement order with current foster carer(s)"
    A6 = "A6", "Placed for adoption with a placement order, not with current foster carer(s)"
    H5 = "H5", "Supported accommodation (semi-independent living)"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home"
    P1 = "P1", "Placed with own parent(s) or other person(s) with parental responsibility"
    P2 = "P2", "Independent living (flat, lodgings, bedsit, B&B or with friends)"
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS or health trust establishment providing medical or nursing care"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution or prison"
    S1 = "S1", "Residential school (not dual-registered as a children's home)"
    T0 = "T0", "Temporary move of any kind"
    T1 = "T1", "Temporary period in hospital"
    T2 = "T2", "Temporary absence of the child on holiday"
    T3 = "T3", "Temporary accommodation while the foster carer(s) are on holiday"
    T4 = "T4", "Temporary accommodation of seven days or less, not covered by T1 to T3"
    U1 = "U1", "Foster placement with relative(s) or friend(s): long-term fostering"
    U2 = "U2", "Foster placement with relative(s) or friend(s) who are also approved adopters: FFA or concurrent planning"
    U3 = "U3", "Foster placement with relative(s) or friend(s): not long-term, FFA or concurrent planning"
    U4 = "U4", "Foster placement with other foster carer(s): long-term fostering"
    U5 = "U5", "Foster placement with other foster carer(s) who are also approved adopters: FFA or concurrent planning"
    U6 = "U6", "Foster placement with other foster carer(s): not long-term, FFA or concurrent planning"
    Z1 = "Z1", "Other placement"


FOSTER_PLACEMENTS = {"U1", "U2", "U3", "U4", "U5", "U6"}
CONNECTED_PERSON_PLACEMENTS = {"U1", "U2", "U3"}
LONG_TERM_PLACEMENTS = {"U1", "U4"}
ADOPTION_PLACEMENTS = {"A3", "A4", "A5", "A6"}
TEMPORARY_PLACEMENTS = {"T0", "T1", "T2", "T3", "T4"}


class PlacementProvider(models.TextChoices):
    """PLACE_PROVIDER."""
    PR0 = "PR0", "Parent(s) or other person(s) with parental responsibility"
    PR1 = "PR1", "Own provision (by the local authority)"
    PR2 = "PR2", "Other local authority provision"
    PR3 = "PR3", "Other public provision (for example an NHS trust)"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary or third sector provision"


class ReasonEpisodeCeased(models.TextChoices):
    """REC: why an episode (and, unless X1, the period of care) ended."""
    E11 = "E11", "Adopted: application unopposed"
    E12 = "E12", "Adopted: consent dispensed with by the court"
    E13 = "E13", "Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility"
    E14 = "E14", "Accommodation on remand ended"
    E15 = "E15", "Age assessment determined the child is 18 or over"
    E16 = "E16", "Child moved abroad"
    E17 = "E17", "Aged 18 or over and remained with current carers (including staying put)"
    E2 = "E2", "Died"
    E3 = "E3", "Care taken over by another local authority in the UK"
    E41 = "E41", "Child arrangements order (residence) granted"
    E45 = "E45", "Special guardianship order to former foster carer(s) who are relatives or friends"
    E46 = "E46", "Special guardianship order to former foster carer(s) other than relatives or friends"
    E47 = "E47", "Special guardianship order to carer(s) other than former foster carers, who are relatives or friends"
    E48 = "E48", "Special guardianship order to carer(s) other than former foster carers, other than relatives or friends"
    E4A = "E4A", "Returned home to parent(s) or others with parental responsibility as part of the care plan"
    E4B = "E4B", "Returned home to parent(s) or others with parental responsibility, not part of the care plan"
    E5 = "E5", "Moved to independent living with supportive accommodation"
    E6 = "E6", "Moved to independent living without formalised support"
    E7 = "E7", "Transferred to residential care funded by adult social care"
    E8 = "E8", "Period of care ended for any other reason"
    E9 = "E9", "Sentenced to custody"
    X1 = "X1", "Episode ceases and a new episode begins on the same day"


ADOPTED = {"E11", "E12"}
SPECIAL_GUARDIANSHIP = {"E45", "E46", "E47", "E48"}


class ReasonPlaceChange(models.TextChoices):
    """REASON_PLACE_CHANGE: recorded on an episode that starts with a change of placement."""
    CARPL = "CARPL", "Change to or implementation of the care plan"
    CLOSE = "CLOSE", "Resignation or closure of the provision"
    ALLEG = "ALLEG", "Allegation (section 47)"
    STAND = "STAND", "Standards of care concern"
    APPRR = "APPRR", "Approval removed"
    CREQB = "CREQB", "Carer(s) requested the placement end because of the child's behaviour"
    CREQO = "CREQO", "Carer(s) requested the placement end, other than because of the child's behaviour"
    CHILD = "CHILD", "Child requested the placement end"
    LAREQ = "LAREQ", "Responsible or area authority requested the placement end"
    PLACE = "PLACE", "Change in the status of the placement only"
    CUSTOD = "CUSTOD", "Custody arrangement"
    OTHER = "OTHER", "Other"


class Participation(models.TextChoices):
    """REVIEW_CODE: the child's participation in a looked-after review."""
    PN0 = "PN0", "Child aged under 4 at the time of the review"
    PN1 = "PN1", "Child attends and speaks for themselves"
    PN2 = "PN2", "Child attends and an advocate speaks for them"
    PN3 = "PN3", "Child attends and conveys their views symbolically (non-verbally)"
    PN4 = "PN4", "Child attends but does not speak or convey their views, and asks no advocate to"
    PN5 = "PN5", "Child does not attend but briefs an advocate to speak for them"
    PN6 = "PN6", "Child does not attend but conveys their views by a facilitative medium"
    PN7 = "PN7", "Child does not attend and their views are not conveyed"


class MissingKind(models.TextChoices):
    """MISSING on the SSDA903 missing table."""
    MISSING = "M", "Missing"
    AWAY = "A", "Away from placement without authorisation"


class SDQReason(models.TextChoices):
    SDQ1 = "SDQ1", "No form returned: child under 4 or over 17 at the assessment date"
    SDQ2 = "SDQ2", "Carer(s) refused to complete and return the questionnaire"
    SDQ3 = "SDQ3", "Not possible because of the severity of the child's disability"
    SDQ4 = "SDQ4", "Other"
    SDQ5 = "SDQ5", "Child or young person refused to allow an SDQ to be completed"


# -- care leavers (SSDA903 OC3 and the care leaver table) -----------------------------------------
class InTouch(models.TextChoices):
    YES = "YES", "In touch"
    NO = "NO", "Not in touch"
    DIED = "DIED", "Died"
    REFU = "REFU", "Young person refuses contact"
    NREQ = "NREQ", "No longer requires services"
    RHOM = "RHOM", "Returned home (relevant children only)"


class Activity(models.TextChoices):
    F1 = "F1", "Full-time in higher education"
    P1 = "P1", "Part-time in higher education"
    F2 = "F2", "Full-time in education other than higher education"
    P2 = "P2", "Part-time in education other than higher education"
    F4 = "F4", "Full-time in an apprenticeship or training"
    P4 = "P4", "Part-time in an apprenticeship or training"
    F5 = "F5", "Full-time in employment"
    P5 = "P5", "Part-time in employment"
    G4 = "G4", "Not in education, employment or training: illness or disability"
    G5 = "G5", "Not in education, employment or training: other reasons"
    G6 = "G6", "Not in education, employment or training: pregnancy or parenting"


IN_EET = {"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"}


class AccommodationType(models.TextChoices):
    """The letter of ACCOM; the digit says suitable (1) or not (2)."""
    B = "B", "With parents or relatives"
    C = "C", "Community home or other form of residential care"
    D = "D", "Semi-independent, transitional accommodation"
    E = "E", "Supported lodgings"
    G = "G", "Gone abroad"
    H = "H", "Deported"
    K = "K", "Ordinary lodgings, without formal support"
    R = "R", "Residence not known"
    S = "S", "No fixed abode or homeless"
    T = "T", "Foyers and similar supported accommodation"
    U = "U", "Independent living (own tenancy)"
    V = "V", "Emergency accommodation"
    W = "W", "Bed and breakfast"
    X = "X", "In custody"
    Y = "Y", "Other accommodation"
    Z = "Z", "With former foster carers"


def accommodation_code(kind: str, suitable: bool | None) -> str:
    """ACCOM as the return writes it: G, H, R and S have no suitability digit except S2/R? in
    practice; DfE accepts the letter followed by 1 (suitable) or 2 (unsuitable)."""
    if suitable is None:
        return kind
    return f"{kind}{1 if suitable else 2}"


class LeaverEligibility(models.TextChoices):
    """Children (Leaving Care) Act 2000 categories."""
    ELIGIBLE = "eligible", "Eligible (16 or 17, still looked after)"
    RELEVANT = "relevant", "Relevant (16 or 17, left care after being eligible)"
    FORMER_RELEVANT = "former_relevant", "Former relevant (18 to 25)"
    QUALIFYING = "qualifying", "Qualifying"
    NOT_ELIGIBLE = "not_eligible", "Not eligible for leaving care services"
