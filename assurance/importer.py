"""Importing benefits and their measurements from Excel (`workstreams.importer.register`). A benefit belongs to one
workstream or project of a programme and is matched by that programme and its title; a measurement by its
benefit and date: rows for ones ChangeProg already holds add nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from assurance import services
from assurance.models import Benefit, BenefitKind, BenefitMeasurement
from assurance.selectors import in_programme
from workstreams.importer.reading import Column, Row
from workstreams.importer.register import RegisterImport
from workstreams.models import Programme, Project, Workstream


@dataclass
class Plan:
    benefits: dict = field(default_factory=dict)  # (programme code, title) -> (row, Benefit) ; existing rows are kept
    measurements: list = field(default_factory=list)  # (row, key, measured_on, value, note)


class BenefitsImport(RegisterImport):
    title = "Benefits register"
    sheets = {
        "Benefits": [
            Column("Programme code", True),
            Column("Workstream"),
            Column("Project"),
            Column("Title", True),
            Column("Kind", True),
            Column("Unit", True),
            Column("Owner", True),
            Column("Baseline", True),
            Column("Baseline on", True),
            Column("Target", True),
            Column("Target on", True),
        ],
        "Measurements": [
            Column("Programme code", True),
            Column("Benefit", True),
            Column("Measured on", True),
            Column("Value", True),
            Column("Note"),
        ],
    }
    own = {"Benefits": "benefit"}
    readme = [
        "Benefits: one row per benefit, for one workstream (give Workstream) or one project (give Project, and its",
        "Workstream if two projects share the name). Kind is one of Cashable saving, Non-cashable saving, Officer or",
        "staff hours released, Quality or outcome measure. Owner is the person who answers for it, in words.",
        "Measurements: one row per measurement; Benefit is the title of a benefit in the Benefits sheet or already",
        "in that programme. A benefit already held (same programme and title) adds nothing.",
    ]

    def __init__(self, book):
        super().__init__(book)
        self.programmes = {p.code: p for p in Programme.objects.all()}
        self.today = timezone.localdate()

    def _programme(self, row: Row):
        code = row.text("Programme code")
        if code and code not in self.programmes:
            self.problem(row, "Programme code", f"No programme has the code “{code}”.")
        return self.programmes.get(code)

    def _item(self, row: Row, programme):
        ws_name, project_name = row.text("Workstream"), row.text("Project")
        if project_name:
            projects = Project.objects.filter(workstream__programme=programme, name=project_name)
            if ws_name:
                projects = projects.filter(workstream__name=ws_name)
            found = list(projects[:2])
            if len(found) != 1:
                why = "no" if not found else "more than one (give its Workstream)"
                self.problem(row, "Project", f"{programme.code} has {why} project called “{project_name}”.")
                return None
            return found[0]
        if ws_name:
            found = Workstream.objects.filter(programme=programme, name=ws_name).first()
            if found is None:
                self.problem(row, "Workstream", f"{programme.code} has no workstream called “{ws_name}”.")
            return found
        self.problem(row, "Workstream", "Give the workstream or the project the benefit belongs to.")
        return None

    def check(self) -> Plan:
        plan = Plan()
        for row in self.read.rows("Benefits"):
            programme, title = self._programme(row), self.text(row, "Title")
            values = {
                "title": title,
                "kind": self.choice(row, "Kind", BenefitKind.choices, required=True),
                "unit": self.text(row, "Unit", limit=20),
                "owner_name": self.text(row, "Owner", limit=120),
                "baseline": self.number(row, "Baseline"),
                "baseline_on": self.date(row, "Baseline on", required=True),
                "target": self.number(row, "Target"),
                "target_on": self.date(row, "Target on", required=True),
                "custom": self.own_values(row),
            }
            for header, name in (("Baseline", "baseline"), ("Target", "target")):
                if values[name] is not None and abs(values[name]) >= Decimal(10) ** 12:
                    self.problem(row, header, "Too large for a benefit (at most 12 digits before the point).")
            if values["baseline_on"] and values["target_on"] and values["target_on"] <= values["baseline_on"]:
                self.problem(row, "Target on", "The target date comes after the baseline date.")
            if programme is None or not title:
                continue
            item = self._item(row, programme)
            key = (programme.code, title)
            if key in plan.benefits:
                self.problem(row, "Title", f"{title} appears twice in programme {programme.code}.")
                continue
            held = Benefit.objects.filter(in_programme(programme), title=title).first()
            if held is not None:
                plan.benefits[key] = (row, held)
            elif item is not None and None not in values.values():
                plan.benefits[key] = (row, Benefit(**values), item)
        for row in self.read.rows("Measurements"):
            programme, name = self._programme(row), row.text("Benefit")
            measured_on = self.date(row, "Measured on", required=True)
            value = self.number(row, "Value")
            note = self.text(row, "Note", limit=300)
            if measured_on and measured_on > self.today:
                self.problem(row, "Measured on", "A measurement cannot be dated in the future.")
            if programme is None or not name:
                continue
            key = (programme.code, name)
            if key not in plan.benefits:
                held = Benefit.objects.filter(in_programme(programme), title=name).first()
                if held is None:
                    self.problem(row, "Benefit", f"{programme.code} has no benefit “{name}” here or in ChangeProg.")
                    continue
                plan.benefits[key] = (row, held)
            if measured_on and value is not None:
                plan.measurements.append((row, key, measured_on, value, note))
        return plan

    def write(self, plan: Plan, *, by, reason: str) -> dict:
        made = {"benefits": 0, "benefits already held": 0, "measurements": 0, "measurements already held": 0}
        benefits = {}
        for key, entry in plan.benefits.items():
            row, benefit = entry[0], entry[1]
            if benefit.pk:
                benefits[key] = benefit
                made["benefits already held"] += row.sheet == "Benefits"
                continue
            benefits[key] = self.attempt(
                row,
                lambda b=benefit, item=entry[2]: services.item_record_save(record=b, item=item, by=by, reason=reason),
            )
            made["benefits"] += 1
        held = set(
            BenefitMeasurement.objects.filter(benefit__in=list(benefits.values())).values_list(
                "benefit_id", "measured_on"
            )
        )
        for row, key, measured_on, value, note in plan.measurements:
            benefit = benefits[key]
            if (benefit.pk, measured_on) in held:
                made["measurements already held"] += 1
                continue
            record = BenefitMeasurement(
                benefit=benefit, measured_on=measured_on, value=value, note=note, recorded_by=by
            )
            self.attempt(row, lambda r=record: services.item_record_save(record=r, by=by, reason=reason))
            held.add((benefit.pk, measured_on))
            made["measurements"] += 1
        return {kind: n for kind, n in made.items() if n or "already" not in kind}
