"""Ship the default risk scheme of docs/risk-defaults.md: 5 × 5 likelihood and impact, seven corporate
categories with descriptors, appetite and tolerance, four bands with review intervals, and the grid.

Written out here so that this migration means the same thing forever; administrators change the scheme
afterwards, which makes a new version of it.
"""

from django.db import migrations

from changeprog.migration_history import create_with_history

REASON = "Shipped default"
SCHEME = "Corporate risk scheme"

LIKELIHOOD = [
    (1, "Rare", "Only in exceptional circumstances; under 5% in the planning horizon."),
    (2, "Unlikely", "Not expected but could occur; 5–20%."),
    (3, "Possible", "Might occur; has happened elsewhere in policing; 21–50%."),
    (4, "Likely", "Will probably occur; has happened here before; 51–80%."),
    (5, "Almost certain", "Expected, or already occurring; over 80%."),
]
IMPACT = [(1, "Negligible"), (2, "Minor"), (3, "Moderate"), (4, "Major"), (5, "Critical")]

# code, name, appetite, tolerance, escalates on a major impact, descriptors for impact 1–5
CATEGORIES = [
    (
        "operational",
        "Operational / service delivery & public safety",
        "cautious",
        10,
        True,
        [
            "No noticeable effect.",
            "Minor, short-lived disruption to a service.",
            "Sustained disruption to a service; missed local targets.",
            "Serious disruption to a critical service; missed force-wide targets.",
            "Failure of a statutory or critical function; serious harm attributable to it.",
        ],
    ),
    (
        "financial",
        "Financial",
        "cautious",
        10,
        False,
        [
            "Under £50k.",
            "£50k–£250k.",
            "£250k–£1m.",
            "£1m–£5m.",
            "Over £5m, or an unfunded pressure that threatens a balanced budget.",
        ],
    ),
    (
        "reputation",
        "Reputation / public confidence",
        "cautious",
        10,
        True,
        [
            "No external interest.",
            "Local interest, short-lived.",
            "Adverse local media; PCC interest.",
            "Sustained adverse regional or national media; formal PCC or HMICFRS concern.",
            "Sustained national media; HMICFRS cause of concern; loss of public confidence.",
        ],
    ),
    (
        "legal",
        "Legal / regulatory / compliance",
        "minimal",
        6,
        True,
        [
            "Minor procedural lapse.",
            "Breach of internal policy; complaint likely.",
            "Breach of statutory guidance; referral possible.",
            "Regulatory action, significant claims or judicial review.",
            "Prosecution, major fines, statutory intervention.",
        ],
    ),
    (
        "people",
        "People / health, safety & wellbeing",
        "averse",
        3,
        True,
        [
            "No injury; passing morale issue.",
            "Minor injury; a morale issue in a team.",
            "Injury needing treatment; capacity gap in a team.",
            "Serious injury; capacity failure across a function.",
            "Death or permanent disability; force-wide capacity failure.",
        ],
    ),
    (
        "information",
        "Information, data & technology",
        "minimal",
        6,
        False,
        [
            "No impact.",
            "Short outage of a non-critical system; minor data incident.",
            "Outage of a key system for hours; contained data incident.",
            "Loss of a key system for days; reportable data breach.",
            "Loss of critical operational systems; major breach of sensitive data.",
        ],
    ),
    (
        "partnership",
        "Partnership / collaboration",
        "open",
        12,
        False,
        [
            "No effect.",
            "Minor friction with a partner.",
            "Partnership strained; joint outcomes delayed.",
            "A partner withdraws; joint outcomes at serious risk.",
            "Collapse of a statutory or major collaboration.",
        ],
    ),
]

# code, name, colour, text colour, severity, review days, lowest score, meaning, three-band name
BANDS = [
    ("red", "Red", "#D4351C", "#FFFFFF", 4, 30, 15, "Outside appetite unless formally accepted; escalation candidate.", "Red"),
    ("amber", "Amber", "#FFBF47", "#0B0C0C", 3, 91, 8, "Active management; action plan with owner and date.", "Amber"),
    ("yellow", "Yellow", "#FFDD00", "#0B0C0C", 2, 182, 4, "Routine controls; monitor.", "Green/Yellow"),
    ("green", "Green", "#00703C", "#FFFFFF", 1, 365, 1, "Tolerate.", "Green/Yellow"),
]


def forwards(apps, schema_editor):
    RiskScheme = apps.get_model("risks", "RiskScheme")
    if RiskScheme.objects.filter(name=SCHEME).exists():
        return

    def create(model_name, **values):
        return create_with_history(apps, "risks", model_name, reason=REASON, **values)

    scheme = create(
        "RiskScheme",
        name=SCHEME,
        version=1,
        is_current=True,
        description="The default 5 × 5 corporate risk scheme, with appetite per category (docs/risk-defaults.md).",
    )
    for score, label, descriptor in LIKELIHOOD:
        create("LikelihoodLevel", scheme=scheme, score=score, label=label, descriptor=descriptor)
    for score, label in IMPACT:
        create("ImpactLevel", scheme=scheme, score=score, label=label)
    for order, (code, name, appetite, tolerance, escalates, descriptors) in enumerate(CATEGORIES, start=1):
        category = create(
            "RiskCategory",
            scheme=scheme,
            code=code,
            name=name,
            order=order,
            weight=1,
            appetite=appetite,
            tolerance=tolerance,
            escalates_on_major_impact=escalates,
        )
        for impact, text in enumerate(descriptors, start=1):
            create("ImpactDescriptor", category=category, impact=impact, text=text)
    bands = []
    for code, name, colour, text_colour, severity, days, lowest, meaning, three in BANDS:
        band = create(
            "RiskBand",
            scheme=scheme,
            code=code,
            name=name,
            colour=colour,
            text_colour=text_colour,
            severity=severity,
            review_interval_days=days,
            meaning=meaning,
            three_band_name=three,
        )
        bands.append((lowest, band))
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            band = next(b for lowest, b in bands if likelihood * impact >= lowest)
            create("BandCell", scheme=scheme, likelihood=likelihood, impact=impact, band=band)


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
