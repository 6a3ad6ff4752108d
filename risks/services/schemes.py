"""Risk schemes: their versions, what each version holds and which one is current.

Each service is one transaction, takes the acting user and a reason, and checks everything before saving."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from changeprog.governance import next_version, require_reason, save_governed
from risks.models import (
    BandCell,
    ImpactDescriptor,
    ImpactLevel,
    LikelihoodLevel,
    RiskBand,
    RiskCategory,
    RiskScheme,
)
from risks.scoring import Spec, grid_problems


def scheme_in_use(scheme: RiskScheme) -> bool:
    return scheme.assessments.exists() or scheme.risks.exists()


def scheme_spec(scheme: RiskScheme) -> Spec:
    scheme = RiskScheme.objects.prefetch_related(
        "likelihood_levels", "impact_levels", "bands", "cells", "categories"
    ).get(pk=scheme.pk)
    return Spec.from_scheme(scheme)


def scheme_check(scheme: RiskScheme):
    """Refuse a scheme whose grid does not match its scales or leaves a cell without a band."""
    problems = grid_problems(scheme_spec(scheme))
    if problems:
        raise ValidationError(["The band grid does not fit the scheme's scales.", *problems])


def scheme_new_version(*, scheme: RiskScheme, by, reason: str, when: datetime | None = None) -> RiskScheme:
    """Copy a scheme to its next version, which becomes current. The old version stays as it was, so every
    assessment and risk scored with it keeps its scores."""
    require_reason(reason)
    with transaction.atomic():
        scheme, copy = next_version(scheme, by=by, reason=reason, when=when)

        def clone(rows, **changes):
            for row in rows:
                row.pk = None
                for name, value in changes.items():
                    setattr(row, name, value(row) if callable(value) else value)
                save_governed(row, by=by, reason=reason, when=when)

        clone(LikelihoodLevel.objects.filter(scheme=scheme), scheme=copy)
        clone(ImpactLevel.objects.filter(scheme=scheme), scheme=copy)
        bands = {}
        for band in RiskBand.objects.filter(scheme=scheme):
            old = band.pk
            clone([band], scheme=copy)
            bands[old] = band
        clone(BandCell.objects.filter(scheme=scheme), scheme=copy, band=lambda cell: bands[cell.band_id])
        for category in RiskCategory.objects.filter(scheme=scheme):
            descriptors = list(ImpactDescriptor.objects.filter(category=category))
            clone([category], scheme=copy)
            clone(descriptors, category=category)
    return copy


def scheme_change(*, scheme: RiskScheme, by, reason: str, cells=None, categories=None, bands=None, **thresholds):
    """Change a scheme: in place if nothing has been scored with it yet, else as a new version.

    `cells` maps (likelihood, impact) to a band code; `categories` maps a category code to field values;
    `bands` maps a band code to field values; other keywords set the scheme's thresholds.
    Returns the scheme that now holds the change.
    """
    require_reason(reason)
    with transaction.atomic():
        target = scheme_new_version(scheme=scheme, by=by, reason=reason) if scheme_in_use(scheme) else scheme
        for name, value in thresholds.items():
            setattr(target, name, value)
        if thresholds:
            save_governed(target, by=by, reason=reason)
        band_rows = {band.code: band for band in target.bands.all()}
        for code, values in (bands or {}).items():
            for name, value in values.items():
                setattr(band_rows[code], name, value)
            save_governed(band_rows[code], by=by, reason=reason)
        for (likelihood, impact), code in (cells or {}).items():
            if code not in band_rows:
                raise ValidationError(f"There is no band {code!r} in {target}.")
            cell = BandCell.objects.filter(scheme=target, likelihood=likelihood, impact=impact).first() or BandCell(
                scheme=target, likelihood=likelihood, impact=impact
            )
            cell.band = band_rows[code]
            save_governed(cell, by=by, reason=reason)
        category_rows = {c.code: c for c in target.categories.all()}
        for code, values in (categories or {}).items():
            for name, value in values.items():
                setattr(category_rows[code], name, value)
            save_governed(category_rows[code], by=by, reason=reason)
        scheme_check(target)
    return target


def current_scheme() -> RiskScheme:
    scheme = RiskScheme.objects.filter(is_current=True).order_by("name").first()
    if scheme is None:
        raise ValidationError("No current risk scheme is set up; an administrator must make one current.")
    return scheme
