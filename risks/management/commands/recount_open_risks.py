from django.core.management.base import BaseCommand, CommandError

from risks import cells


class Command(BaseCommand):
    help = (
        "Check (--check) or rebuild the open-risk counts the heat map reads (risks_openriskcell) from the risks: "
        "needed only after a TRUNCATE of the risks table or a data-only load that brought the counts as well."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Report cells whose kept count is wrong, and change nothing."
        )

    def handle(self, *args, check, **options):
        wrong = cells.differences()
        if check:
            for (register, score, likelihood, impact), have, want in wrong[:20]:
                self.stdout.write(
                    f"register {register}, {score} score, likelihood {likelihood} x impact {impact}: "
                    f"kept {have}, open risks {want}"
                )
            if wrong:
                raise CommandError(
                    f"{len(wrong)} heat-map cell(s) hold a wrong count; "
                    "run `manage.py recount_open_risks` to rebuild them."
                )
            self.stdout.write(self.style.SUCCESS("The kept open-risk counts match the risks."))
            return
        held = cells.recount()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the open-risk counts: {held} cell(s) hold open risks ({len(wrong)} were wrong)."
            )
        )
