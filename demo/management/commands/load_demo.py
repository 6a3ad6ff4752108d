import os

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.assurance import load_assurance_demo
from demo.finance import load_finance_demo
from demo.portfolio import DEMO_USERS, ensure_demo_users, load_demo
from demo.reports import load_report_demo
from demo.risks import load_dependency_demo, load_register_demo, load_risk_demo


class Command(BaseCommand):
    help = (
        "Load the demonstration programme (Cleveland Police's T2025, from the June 2022 Audit Committee paper), "
        "its prioritisation and risks, its published reports, and the demo logins. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or "changeprog-demo"
        with transaction.atomic():
            programme, created = load_demo(password=password)
            users = ensure_demo_users(password)
            risks_created = (
                load_risk_demo(programme, users)
                | load_register_demo(programme, users)
                | load_dependency_demo(programme, users)
                | load_assurance_demo(programme, users)
                | load_finance_demo(programme, users)
                | load_report_demo(programme, users)
            )
        if created or risks_created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo programme {programme}."))
        else:
            self.stdout.write(f"The demo programme {programme} is already loaded; nothing changed.")
        logins = ", ".join(username for username, *_ in DEMO_USERS)
        self.stdout.write(f"Demo logins: {logins} (password from DEMO_PASSWORD, default changeprog-demo).")
