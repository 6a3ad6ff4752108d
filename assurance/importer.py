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
from workstreams.models import Project, Workstream


@dataclass
class Plan:
    benefits: dict = field(default_factory=dict)  # (programme code, title) -> (row, Benefit) ; existing rows are kept
    measurements: list = field(default_factory=list)  # (row, key, measured_on, value, note)


class ItemColumns:
    """Reading the workstream or project of a programme a row names (Workstream, and Project)."""

    def _item(self, row: Row, programme):
        ws_name, project_name = row.text("Workstream"), row.text("Project")
        if project_name:
            return self.project(row, programme, "Project", workstream=ws_name)
        if ws_name:
            found = Workstream.objects.filter(programme=programme, name=ws_name).first()
            if found is None:
                self.problem(row, "Workstream", f"{programme.code} has no workstream called “{ws_name}”.")
            return found
        self.problem(row, "Workstream", "Give the workstream or the project it belongs to.")
        return None


@dataclass
class DriverPlan:
    drivers: dict = field(default_factory=dict)  # key -> (row, Driver, new or held)
    links: list = field(default_factory=list)  # (row, driver, item, note, already held)


class BenefitsImport(ItemColumns, RegisterImport):
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
        self.today = timezone.localdate()

    def check(self) -> Plan:
        plan = Plan()
        for row in self.read.rows("Benefits"):
            programme, title = self.programme(row), self.text(row, "Title")
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
            programme, name = self.programme(row), row.text("Benefit")
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


class DriversImport(ItemColumns, RegisterImport):
    """Drivers (inspection findings, audit recommendations, plan priorities) and the work that answers them. A
    driver is matched by its source and reference, or, without a reference, its source and title; a link by its
    driver and item."""

    title = "Drivers"
    sheets = {
        "Drivers": [
            Column("Kind", True),
            Column("Title", True),
            Column("Source", True),
            Column("Reference"),
            Column("Issued on"),
            Column("Description"),
        ],
        "Links": [
            Column("Source", True),
            Column("Driver", True),
            Column("Programme code", True),
            Column("Workstream"),
            Column("Project"),
            Column("Note"),
        ],
    }
    readme = [
        "Drivers: one row per driver. Kind is one of Inspection recommendation, Area for improvement, Cause of",
        "concern, Internal audit recommendation, Police and Crime Plan priority, Other strategic driver.",
        "Links: the work that answers each driver: its Source, and the driver's Reference (or its Title), and one",
        "workstream or one project of a programme. A driver or link already held adds nothing.",
    ]

    @staticmethod
    def _key(source: str, reference: str, title: str) -> tuple:
        return (source.lower(), reference.lower()) if reference else (source.lower(), "title:" + title.lower())

    def check(self) -> "DriverPlan":
        from assurance.models import Driver, DriverKind, DriverLink

        held = {self._key(d.source, d.reference, d.title): d for d in Driver.objects.all()}
        by_title = {(d.source.lower(), d.title.lower()): d for d in held.values()}
        plan = DriverPlan()
        for row in self.read.rows("Drivers"):
            title, source, reference = (
                self.text(row, "Title", limit=300),
                self.text(row, "Source"),
                self.text(row, "Reference", limit=60),
            )
            values = {
                "kind": self.choice(row, "Kind", DriverKind.choices, required=True),
                "title": title,
                "source": source,
                "reference": reference,
                "issued_on": self.date(row, "Issued on"),
                "description": self.text(row, "Description", limit=5000),
            }
            if not (title and source) or values["kind"] is None:
                continue
            key = self._key(source, reference, title)
            if key in plan.drivers:
                self.problem(row, "Reference" if reference else "Title", "This driver appears twice in the file.")
                continue
            plan.drivers[key] = (row, held.get(key) or Driver(**values))
            by_title.setdefault((source.lower(), title.lower()), plan.drivers[key][1])
        linked = {(link.driver_id, link.workstream_id, link.project_id) for link in DriverLink.objects.all()}
        for row in self.read.rows("Links"):
            source, name = row.text("Source"), row.text("Driver")
            programme = self.programme(row)
            item = self._item(row, programme) if programme else None
            note = self.text(row, "Note", limit=300)
            driver = None
            for key in (self._key(source, name, ""), (source.lower(), "title:" + name.lower())):
                if key in plan.drivers:
                    driver = plan.drivers[key][1]
                    break
                if key in held:
                    driver = held[key]
                    break
            driver = driver or by_title.get((source.lower(), name.lower()))
            if source and name and driver is None:
                self.problem(row, "Driver", f"No driver “{name}” from {source} in the file or in ChangeProg.")
            if driver is None or item is None:
                continue
            is_project = isinstance(item, Project)
            already = (
                driver.pk and (driver.pk, None if is_project else item.pk, item.pk if is_project else None) in linked
            )
            plan.links.append((row, driver, item, note, bool(already)))
        return plan

    def write(self, plan: "DriverPlan", *, by, reason: str) -> dict:
        made = {"drivers": 0, "drivers already held": 0, "links": 0, "links already held": 0}
        for row, driver in plan.drivers.values():
            if driver.pk:
                made["drivers already held"] += 1
                continue
            self.attempt(row, lambda d=driver: services.driver_save(driver=d, by=by, reason=reason))
            made["drivers"] += 1
        done = set()
        for row, driver, item, note, already in plan.links:
            key = (driver.pk, type(item).__name__, item.pk)
            if already or key in done:
                made["links already held"] += 1
                continue
            self.attempt(
                row,
                lambda d=driver, i=item, n=note: services.driver_link(driver=d, item=i, note=n, by=by, reason=reason),
            )
            done.add(key)
            made["links"] += 1
        return {kind: n for kind, n in made.items() if n or "already" not in kind}
