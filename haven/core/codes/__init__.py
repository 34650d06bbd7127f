"""DfE and local code sets, each as Django ``TextChoices`` so forms, validation and returns
share one definition. Sources: CIN census 2025-26 / SSDA903 2026-27 guidance and the
CIN schema in ``shared/reference/CIN_schema_2024.xsd``."""

from django.db import models


class Sex(models.TextChoices):
    """CIN census 2024-25 onwards: Sex replaces GenderCurrent."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known / not recorded"


class Ethnicity(models.TextChoices):
    """The 20 DfE ethnicity codes (CIN census, SSDA903)."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WOTH = "WOTH", "Any other White background"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    """DfE disability codes (CIN census)."""

    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Diagnosed with autism or Asperger syndrome"
    DDA = "DDA", "Other DDA"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Other religion"
    REFUSED = "refused", "Prefers not to say"
    UNKNOWN = "unknown", "Not known"


class Language(models.TextChoices):
    """First language (a short list of the languages most spoken in the seeded boroughs, plus
    'other'); ISO 639-3 style codes."""

    ENG = "ENG", "English"
    ARA = "ARA", "Arabic"
    BEN = "BEN", "Bengali"
    FRN = "FRN", "French"
    POR = "POR", "Portuguese"
    SPA = "SPA", "Spanish"
    SOM = "SOM", "Somali"
    TIR = "TIR", "Tigrinya"
    POL = "POL", "Polish"
    FAS = "FAS", "Farsi"
    KUR = "KUR", "Kurdish"
    URD = "URD", "Urdu"
    ITA = "ITA", "Italian"
    RUM = "RUM", "Romanian"
    AMH = "AMH", "Amharic"
    OTH = "OTH", "Other"
    NK = "NK", "Not known"


class ReferralSource(models.TextChoices):
    """CIN census referral source (ReferralSource)."""

    S1A = "1A", "Individual: family member, relative or carer"
    S1B = "1B", "Individual: acquaintance (including neighbours and child minders)"
    S1C = "1C", "Individual: self"
    S1D = "1D", "Individual: other (including strangers)"
    S2A = "2A", "Schools"
    S2B = "2B", "Education services"
    S3A = "3A", "Health services: GP"
    S3B = "3B", "Health services: health visitor"
    S3C = "3C", "Health services: school nurse"
    S3D = "3D", "Health services: other primary health services"
    S3E = "3E", "Health services: A&E"
    S3F = "3F", "Health services: other"
    S4 = "4", "Housing"
    S5A = "5A", "LA services: social care"
    S5B = "5B", "LA services: other internal"
    S5C = "5C", "LA services: external"
    S5D = "5D", "LA services: early help"
    S6 = "6", "Police"
    S7 = "7", "Other legal agency (courts, probation, immigration, CAFCASS, prison)"
    S8 = "8", "Other (children's centres, voluntary organisations)"
    S9 = "9", "Anonymous"
    S10 = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    """CIN census primary need code."""

    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"
    N0 = "N0", "Not stated"


class ClosureReason(models.TextChoices):
    """CIN census reason for closure."""

    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to services of another local authority"
    RC6 = "RC6", "Transferred to adult social care services"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


class AssessmentFactor(models.TextChoices):
    """CIN census factors identified at assessment."""

    F1A = "1A", "Alcohol misuse: child"
    F1B = "1B", "Alcohol misuse: parent or carer"
    F1C = "1C", "Alcohol misuse: another person in the household"
    F2A = "2A", "Drug misuse: child"
    F2B = "2B", "Drug misuse: parent or carer"
    F2C = "2C", "Drug misuse: another person in the household"
    F3A = "3A", "Domestic abuse: child the subject"
    F3B = "3B", "Domestic abuse: parent or carer the subject"
    F3C = "3C", "Domestic abuse: another person in the household the subject"
    F4A = "4A", "Mental health: child"
    F4B = "4B", "Mental health: parent or carer"
    F4C = "4C", "Mental health: another person in the household"
    F5A = "5A", "Learning disability: child"
    F5B = "5B", "Learning disability: parent or carer"
    F5C = "5C", "Learning disability: another person in the household"
    F6A = "6A", "Physical disability or illness: child"
    F6B = "6B", "Physical disability or illness: parent or carer"
    F6C = "6C", "Physical disability or illness: another person in the household"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered: overseas, intend to return"
    F8C = "8C", "Privately fostered: overseas, intend to stay"
    F8D = "8D", "Privately fostered: UK, educational placement"
    F8E = "8E", "Privately fostered: UK, alternative family arrangements"
    F8F = "8F", "Privately fostered: other"
    F9A = "9A", "Unaccompanied asylum-seeking child"
    F10A = "10A", "Going or being missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Neglect"
    F17A = "17A", "Emotional abuse"
    F18B = "18B", "Physical abuse: child on child"
    F18C = "18C", "Physical abuse: adult on child"
    F19B = "19B", "Sexual abuse: child on child"
    F19C = "19C", "Sexual abuse: adult on child"
    F20 = "20", "Other"
    F21 = "21", "No factors identified"
    F22A = "22A", "Female genital mutilation"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"


class CPCategory(models.TextChoices):
    """CIN census category of abuse."""

    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    SAB = "SAB", "Sexual abuse"
    EMO = "EMO", "Emotional abuse"
    MUL = "MUL", "Multiple"


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    OTHER_LA = "other_la", "Another local authority"
    CSC = "csc", "Children's social care"
    OTHER = "other", "Other"
