"""Importing a risk register from Excel (`workstreams.importer.register`): risks with their three scores, owners,
the work they sit on and the organisation's own risk fields, and their actions. A risk is matched by register and
title, an action by its risk, description and due date: rows for ones ChangeProg already holds add nothing."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from risks import services
from risks.models import ActionStatus, Proximity, Register, Response, Risk, RiskAction
from workstreams.importer.reading import Column, Row
from workstreams.importer.register import RegisterImport
from workstreams.models import Project, Workstream

SCORE_COLUMNS = [
    (kind, part, f"{kind.title()} {part}")
    for kind in ("inherent", "current", "target")
    for part in ("likelihood", "impact")
]


@dataclass
class PlannedRisk:
    row: Row
    register: Register
    title: str
    category: object
    scores: services.Scores
    raised_on: date
    fields: dict
    existing: Risk | None = None


@dataclass
class PlannedAction:
    row: Row
    risk_key: tuple
    description: str
    due_date: date
    owner: object
    status: str
    completed_on: date | None


@dataclass
class Plan:
    risks: dict = field(default_factory=dict)  # (register code, title) -> PlannedRisk
    actions: list = field(default_factory=list)


class RiskRegisterImport(RegisterImport):
    title = "Risk register"
    sheets = {
        "Risks": [
            Column("Register", True),
            Column("Title", True),
            Column("Category", True),
            Column("Cause"),
            Column("Event"),
            Column("Effect"),
            Column("Owner"),
            Column("Workstream"),
            Column("Project"),
            *[Column(header, True) for _, _, header in SCORE_COLUMNS],
            Column("Target date"),
            Column("Proximity"),
            Column("Response"),
            Column("Raised on"),
        ],
        "Actions": [
            Column("Register", True),
            Column("Risk", True),
            Column("Description", True),
            Column("Owner"),
            Column("Due date", True),
            Column("Status"),
            Column("Completed on"),
        ],
    }
    own = {"Risks": "risk"}
    readme = [
        "Risks: one row per risk. Register is a register's code (a programme's own register has the programme's",
        "code); Category is a category of the current risk scheme, by code or name. Scores are the scheme's",
        "likelihood and impact numbers. Workstream and Project name work in the register's programme. Raised on",
        "defaults to today. A risk whose register already holds one with the same title adds nothing.",
        "Actions: one row per action. Risk is the title of a risk in the Risks sheet or already in that register",
        "(or its reference, e.g. T2025-R004). Status is Open (the default), Done or Cancelled.",
    ]

    def __init__(self, book):
        super().__init__(book)
        self.scheme = services.current_scheme()
        self.spec = services.scheme_spec(self.scheme)
        self.categories = {c.code.lower(): c for c in self.scheme.categories.all()} | {
            c.name.lower(): c for c in self.scheme.categories.all()
        }
        self.registers = {
            r.code: r for r in Register.objects.select_related("programme", "project__workstream__programme")
        }
        self.today = timezone.localdate()

    def _programme_of(self, register: Register):
        if register.programme_id:
            return register.programme
        if register.project_id:
            return register.project.workstream.programme
        return None

    def _register(self, row: Row):
        code = row.text("Register")
        if code and code not in self.registers:
            self.problem(row, "Register", f"There is no register with the code “{code}”.")
        return self.registers.get(code)

    def _work(self, row: Row, register: Register) -> dict:
        programme = self._programme_of(register)
        found = {}
        for header, model, path in (
            ("Workstream", Workstream, "programme"),
            ("Project", Project, "workstream__programme"),
        ):
            name = row.text(header)
            if not name:
                continue
            if programme is None:
                self.problem(row, header, f"{register} belongs to no programme; leave {header} empty.")
                continue
            matches = list(model.objects.filter(**{path: programme, "name": name})[:2])
            if len(matches) != 1:
                why = "no" if not matches else "more than one"
                self.problem(row, header, f"{programme.code} has {why} {header.lower()} called “{name}”.")
                continue
            found[header.lower()] = matches[0]
        return found

    def check(self) -> Plan:
        plan = Plan()
        held = {(r.register.code, r.title): r for r in Risk.objects.select_related("register")}
        references = {r.reference: r for r in held.values()}
        for row in self.read.rows("Risks"):
            register, title = self._register(row), self.text(row, "Title")
            category_word = row.text("Category")
            category = self.categories.get(category_word.lower()) if category_word else None
            if category_word and category is None:
                names = sorted({c.name for c in self.categories.values()})
                self.problem(row, "Category", f"Not a category of {self.scheme}: use one of {', '.join(names)}.")
            scores = {}
            for kind, part, header in SCORE_COLUMNS:
                values = self.spec.likelihoods if part == "likelihood" else self.spec.impacts
                scores[(kind, part)] = self.whole(row, header, allowed_values=values)
            raised_on = self.date(row, "Raised on") or self.today
            if raised_on > self.today:
                self.problem(row, "Raised on", "A risk cannot be raised on a day in the future.")
            fields = {
                "cause": self.text(row, "Cause", limit=5000),
                "event": self.text(row, "Event", limit=5000),
                "effect": self.text(row, "Effect", limit=5000),
                "owner": self.person(row, "Owner"),
                "target_date": self.date(row, "Target date"),
                "proximity": self.choice(row, "Proximity", Proximity.choices, default=""),
                "response": self.choice(row, "Response", Response.choices, default=Response.TREAT),
                "custom": self.own_values(row),
            }
            if register is None or not title:
                continue
            fields.update(self._work(row, register))
            key = (register.code, title)
            if key in plan.risks:
                self.problem(row, "Title", f"{title} appears twice in register {register.code}.")
                continue
            if None in scores.values() or category is None:
                continue
            plan.risks[key] = PlannedRisk(
                row,
                register,
                title,
                category,
                services.Scores(
                    *((scores[(k, "likelihood")], scores[(k, "impact")]) for k in ("inherent", "current", "target"))
                ),
                raised_on,
                fields,
                existing=held.get(key),
            )
        for row in self.read.rows("Actions"):
            register, name = self._register(row), row.text("Risk")
            description = self.text(row, "Description", limit=5000)
            due = self.date(row, "Due date", required=True)
            status = self.choice(row, "Status", ActionStatus.choices, default=ActionStatus.OPEN)
            completed_on = self.date(row, "Completed on")
            owner = self.person(row, "Owner")
            if register is None or not name:
                continue
            key = (register.code, name)
            if key not in plan.risks:
                known = held.get(key) or references.get(name)
                if known is None or known.register_id != register.pk:
                    self.problem(row, "Risk", f"Register {register.code} has no risk “{name}” here or in ChangeProg.")
                    continue
                key = (register.code, known.title)
                plan.risks.setdefault(key, None)
                raised_on = known.raised_on
            else:
                raised_on = plan.risks[key].raised_on if plan.risks[key] else self.today
            if due and due < raised_on:
                self.problem(
                    row, "Due date", f"An action cannot be due before its risk was raised ({raised_on:%d/%m/%Y})."
                )
            if completed_on and status != ActionStatus.DONE:
                self.problem(row, "Completed on", "Only a Done action has a completed-on date.")
            if due:
                plan.actions.append(PlannedAction(row, key, description, due, owner, status, completed_on))
        self._held = held
        return plan

    def write(self, plan: Plan, *, by, reason: str) -> dict:
        made = {"risks": 0, "risks already held": 0, "actions": 0, "actions already held": 0}
        risks = {}
        for key, planned in plan.risks.items():
            if planned is None:
                risks[key] = self._held[key]
                continue
            if planned.existing is not None:
                risks[key] = planned.existing
                made["risks already held"] += 1
                continue
            risks[key] = self.attempt(
                planned.row,
                lambda p=planned: services.risk_raise(
                    register=p.register,
                    title=p.title,
                    category=p.category,
                    scores=p.scores,
                    by=by,
                    reason=reason,
                    raised_on=p.raised_on,
                    **{k: v for k, v in p.fields.items() if v not in (None, "", {}) or k == "proximity"},
                ),
            )
            made["risks"] += 1
        existing = set(
            RiskAction.objects.filter(risk__in=[r for r in risks.values() if r.pk]).values_list(
                "risk_id", "description", "due_date"
            )
        )
        for action in plan.actions:
            risk = risks[action.risk_key]
            if (risk.pk, action.description, action.due_date) in existing:
                made["actions already held"] += 1
                continue
            added = self.attempt(
                action.row,
                lambda a=action, r=risk: services.action_add(
                    risk=r, description=a.description, due_date=a.due_date, owner=a.owner, by=by, reason=reason
                ),
            )
            if action.status != ActionStatus.OPEN:
                changes = {"status": action.status}
                if action.completed_on:
                    changes["completed_on"] = action.completed_on
                self.attempt(
                    action.row,
                    lambda a=added, c=changes: services.action_update(action=a, changes=c, by=by, reason=reason),
                )
            existing.add((risk.pk, action.description, action.due_date))
            made["actions"] += 1
        return {kind: n for kind, n in made.items() if n or "already" not in kind}


class DependenciesImport(RegisterImport):
    """Dependencies between a programme's projects, or on things outside it. Matched by the project that depends,
    what it depends on and the kind: rows for ones ChangeProg already holds add nothing."""

    title = "Dependencies"
    sheets = {
        "Dependencies": [
            Column("Programme code", True),
            Column("Workstream"),
            Column("Project", True),
            Column("Depends on project"),
            Column("Depends on outside"),
            Column("Outside kind"),
            Column("Kind"),
            Column("Description"),
            Column("Owner"),
            Column("Needed by"),
            Column("Status"),
        ],
    }
    readme = [
        "Dependencies: one row per dependency of a project (give its Workstream too if two projects share its",
        "name). It depends either on another project of the same programme (Depends on project) or on something",
        "outside the programme (Depends on outside, with its Outside kind: National programme, Another force,",
        "Supplier, Partner agency or Other), not both. Kind defaults to Needs a deliverable, Status to Open.",
    ]

    def check(self) -> list:
        from risks.models import Dependency, DependencyKind, DependencyStatus, ExternalKind

        held = set(Dependency.objects.values_list("from_project_id", "to_project_id", "external_name", "kind"))
        plan, seen = [], set()
        for row in self.read.rows("Dependencies"):
            programme = self.programme(row)
            if programme is None:
                continue
            from_project = self.project(row, programme, "Project", workstream=row.text("Workstream"))
            to_project = self.project(row, programme, "Depends on project")
            outside = self.text(row, "Depends on outside")
            fields = {
                "external_kind": self.choice(row, "Outside kind", ExternalKind.choices, default=""),
                "kind": self.choice(row, "Kind", DependencyKind.choices, default=DependencyKind.DELIVERABLE),
                "description": self.text(row, "Description", limit=5000),
                "owner": self.person(row, "Owner"),
                "needed_by": self.date(row, "Needed by"),
            }
            status = self.choice(row, "Status", DependencyStatus.choices, default=DependencyStatus.OPEN)
            if bool(row.text("Depends on project")) == bool(outside):
                self.problem(row, "Depends on project", "Give another project or something outside, not both.")
                continue
            if outside and not fields["external_kind"]:
                self.problem(row, "Outside kind", "Say what kind of thing outside the programme this is.")
            if from_project is None or (row.text("Depends on project") and to_project is None):
                continue
            if to_project is not None and to_project.pk == from_project.pk:
                self.problem(row, "Depends on project", "A project cannot depend on itself.")
                continue
            key = (from_project.pk, to_project.pk if to_project else None, outside, fields["kind"])
            if key in seen:
                self.problem(row, "Project", "This dependency appears twice in the file.")
                continue
            seen.add(key)
            plan.append((row, key in held, from_project, to_project, outside, fields, status))
        return plan

    def write(self, plan, *, by, reason: str) -> dict:
        from risks.models import DependencyStatus

        made = {"dependencies": 0, "dependencies already held": 0}
        for row, held, from_project, to_project, outside, fields, status in plan:
            if held:
                made["dependencies already held"] += 1
                continue
            added = self.attempt(
                row,
                lambda f=from_project, t=to_project, o=outside, x=fields: services.dependency_add(
                    from_project=f, to_project=t, external_name=o, by=by, reason=reason, **x
                ),
            )
            if status != DependencyStatus.OPEN:
                self.attempt(
                    row,
                    lambda d=added, s=status: services.dependency_update(
                        dependency=d, changes={"status": s}, by=by, reason=reason
                    ),
                )
            made["dependencies"] += 1
        return {kind: n for kind, n in made.items() if n or "already" not in kind}


class AssessmentsImport(RegisterImport):
    """Prioritisation assessments: how much it would matter if each project were not progressed, scored against
    the current scheme's categories (a column each). An assessment is matched by its project and date."""

    title = "Prioritisation assessments"
    readme = [
        "Assessments: one row per assessment of a project (give its Workstream too if two projects share its name).",
        "Likelihood is the scheme's likelihood that the consequences materialise if the project is not progressed;",
        "each Impact column is that category's impact from 0 (none) to the scheme's highest. Confidence is High,",
        "Medium (the default) or Low; Mandatory is Yes or No. A project's earlier assessments are kept: a later one",
        "is a re-assessment. An assessment already held (same project and date) adds nothing.",
    ]

    @classmethod
    def categories(cls):
        return list(services.current_scheme().categories.order_by("order", "name"))

    @classmethod
    def sheet_columns(cls):
        return {
            "Assessments": [
                Column("Programme code", True),
                Column("Workstream"),
                Column("Project", True),
                Column("Assessed on", True),
                Column("Likelihood", True),
                Column("Confidence"),
                Column("Mandatory"),
                Column("Notes"),
                *[Column(f"Impact: {category.name}", True) for category in cls.categories()],
            ]
        }

    def __init__(self, book):
        super().__init__(book)
        self.scheme = services.current_scheme()
        self.spec = services.scheme_spec(self.scheme)
        self.scheme_categories = self.categories()

    def check(self) -> list:
        from risks.models import Confidence, PriorityAssessment

        held = set(PriorityAssessment.objects.values_list("project_id", "assessed_on"))
        today = timezone.localdate()
        plan, seen = [], set()
        impacts_allowed = range(0, max(self.spec.impacts) + 1)
        for row in self.read.rows("Assessments"):
            project = self.project(row, self.programme(row), "Project", workstream=row.text("Workstream"))
            assessed_on = self.date(row, "Assessed on", required=True)
            if assessed_on and assessed_on > today:
                self.problem(row, "Assessed on", "An assessment cannot be dated in the future.")
            likelihood = self.whole(row, "Likelihood", allowed_values=self.spec.likelihoods)
            impacts = [
                (category, self.whole(row, f"Impact: {category.name}", allowed_values=impacts_allowed))
                for category in self.scheme_categories
            ]
            fields = {
                "confidence": self.choice(row, "Confidence", Confidence.choices, default=Confidence.MEDIUM),
                "mandatory": self.choice(row, "Mandatory", [(True, "Yes"), (False, "No")], default=False),
                "notes": self.text(row, "Notes", limit=5000),
            }
            if project is None or assessed_on is None or likelihood is None or any(v is None for _, v in impacts):
                continue
            key = (project.pk, assessed_on)
            if key in seen:
                self.problem(row, "Assessed on", f"{project.name} is assessed twice on that day in the file.")
                continue
            seen.add(key)
            plan.append((row, key in held, project, assessed_on, likelihood, impacts, fields))
        return plan

    def write(self, plan, *, by, reason: str) -> dict:
        made = {"assessments": 0, "assessments already held": 0}
        for row, held, project, assessed_on, likelihood, impacts, fields in plan:
            if held:
                made["assessments already held"] += 1
                continue
            self.attempt(
                row,
                lambda p=project, d=assessed_on, lk=likelihood, im=impacts, f=fields: services.assessment_record(
                    project=p,
                    likelihood=lk,
                    impacts=[services.ImpactInput(category, impact) for category, impact in im],
                    by=by,
                    assessed_on=d,
                    scheme=self.scheme,
                    **f,
                ),
            )
            made["assessments"] += 1
        return {kind: n for kind, n in made.items() if n or "already" not in kind}
