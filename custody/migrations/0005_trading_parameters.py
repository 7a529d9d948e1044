"""Seed the trading and financing limits custody reads (firm policy at go-live).

Every later change goes through maker-checker in the console.
"""

from datetime import date

from django.db import migrations

SET_KEY = "custody-trading"
SCHEMA = {
    "financing_second_approval_above": {
        "type": "decimal",
        "min": "0",
        "label": "Drawdowns and repayments asked for in the console above this amount need a "
        "second person (CNY)",
    },
    "concentration_below_ratio": {
        "type": "decimal",
        "min": "1",
        "label": "Concentration limits bind on buys that leave the maintenance ratio below this "
        "(fraction; 3 = 300%)",
    },
    "simulator_participation": {
        "type": "decimal",
        "min": "0.0001",
        "max": "1",
        "label": "Execution simulator: largest share of the volume an order may take",
    },
}
VALUES = {
    "financing_second_approval_above": "1000000.00",
    "concentration_below_ratio": "3.00",
    "simulator_participation": "0.10",
}


def seed(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    parameter_set, _ = ParameterSet.objects.update_or_create(
        key=SET_KEY,
        defaults={
            "name": "Custody trading and financing limits",
            "category": "custody",
            "description": "Maker-checker limit for financing requests; the demo simulator's "
            "participation cap.",
            "schema": SCHEMA,
        },
    )
    ParameterVersion.objects.get_or_create(
        parameter_set=parameter_set,
        effective_from=date(2015, 1, 1),
        status="approved",
        defaults={
            "values": VALUES,
            "source": "seed",
            "reason": "Firm policy at go-live: a second person above CNY 1,000,000; "
            "concentration limits bind below a 300% maintenance ratio (above it the debt is "
            "covered three times whatever the mix); the simulator takes at most 10% of the "
            "volume.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("custody", "0004_trading"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
