"""The generated sections of a report, one module per source of data: `programme` (status, updates, changes,
structure), `risks` (prioritisation and the risk register), `assurance` (drivers, business cases, benefits,
embedding, decisions) and `plan` (money, milestones, the roadmap). Each generator takes a `Context` and returns
document blocks (`reporting.document`); `GENERATORS` maps a template section's generator to its function."""

from reporting.models import Generator
from reporting.sections import assurance, plan, programme, risks
from reporting.sections.context import Context

GENERATORS = {
    Generator.PROGRAMME_STATUS: programme.programme_status,
    Generator.WORKSTREAM_UPDATES: programme.workstream_updates,
    Generator.STATUS_TABLE: programme.status_table,
    Generator.CHANGES: programme.changes,
    Generator.STATUS_KEY: programme.status_key,
    Generator.STRUCTURE: programme.structure,
    Generator.STRUCTURE_BEFORE: programme.structure_before,
    Generator.STRUCTURE_AFTER: programme.structure_after,
    Generator.NEXT_STEPS: programme.next_steps,
    Generator.PRIORITISATION: risks.prioritisation,
    Generator.RISK_SUMMARY: risks.risk_summary,
    Generator.DRIVERS: assurance.drivers_evidence,
    Generator.BUSINESS_CASES: assurance.business_cases,
    Generator.BENEFITS: assurance.benefits,
    Generator.EMBEDDING: assurance.embedding,
    Generator.DECISIONS: assurance.decisions,
    Generator.STATUS_COUNTS: programme.status_counts,
    Generator.PROJECTS_TABLE: programme.projects_table,
    Generator.TOP_RISKS: risks.top_risks,
    Generator.CHALLENGES: programme.challenges,
    Generator.RULE_DIFFERENCES: programme.rule_differences,
    Generator.FINANCE: plan.finance,
    Generator.MILESTONES: plan.milestones,
    Generator.ROADMAP: plan.roadmap,
}

__all__ = ["GENERATORS", "Context"]
