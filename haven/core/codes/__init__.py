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
