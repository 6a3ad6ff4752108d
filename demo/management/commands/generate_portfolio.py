from django.core.management.base import BaseCommand, CommandError

from demo.generate import SIZES, Size, generate


class Command(BaseCommand):
    help = (
        "Generate a realistic portfolio for benchmarks and load tests (default large: 10 programmes, 2,000 "
        "projects, 24 monthly updates each, 5,000 risks with actions, 3,000 dependencies, 50 reports, five "
        "financial years of monthly figures and ten milestones per project). "
        "Deterministic for a --seed; never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="large")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="GEN", help="Programme code prefix (GEN01, GEN02 …).")
        for name in ("programmes", "projects", "months", "risks", "dependencies", "reports", "finance_years",
                     "milestones_per_project"):  # fmt: skip
            parser.add_argument(f"--{name}", type=int, help=f"Override the size's number of {name}.")

    def handle(self, *args, size, seed, prefix, **options):
        chosen = SIZES[size]
        overrides = {k: v for k, v in options.items() if k in Size.__dataclass_fields__ and v is not None}
        if any(v < 0 for v in overrides.values()):
            raise CommandError("Sizes cannot be negative.")
        chosen = Size(**{**chosen.__dict__, **overrides})
        counts = generate(chosen, seed=seed, prefix=prefix.upper(), log=self.stdout.write)
        if counts:
            self.stdout.write(self.style.SUCCESS("Generated: " + ", ".join(f"{n} {k}" for k, n in counts.items())))
