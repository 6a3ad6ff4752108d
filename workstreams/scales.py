"""Reading status levels across scale versions: how one rating compares with another, and how ratings count
against the scale in force on a day. The one home of "better", "worse" and "scale changed".

Within one scale a higher severity is worse. Across scales (a new version, or another scale a dimension moved
to) two levels compare only through a mapping an administrator declared (`LevelMapping`; making a new version
declares one per copied level); without one the movement reads "scale changed". A level that is not a rating
(Not reported, Exempt …) is never better or worse than anything; it is the same state on any scale that has a
state with its code.
"""

from collections import Counter, deque
from dataclasses import dataclass, field

from workstreams.models import LevelMapping, StatusLevel

WORSE, BETTER, SAME, SCALE_CHANGED, STATE = "worse", "better", "same", "scale changed", "state"


class LevelIndex:
    """Every level and every declared mapping, read once (two small queries: levels are configuration)."""

    def __init__(self, levels=None, mappings=None):
        if levels is None:
            levels = StatusLevel.objects.select_related("scale")
        self.levels = {level.pk: level for level in levels}
        self.states = {(lv.scale_id, lv.code): lv for lv in self.levels.values() if not lv.is_rating}
        if mappings is None:
            mappings = LevelMapping.objects.values_list("from_level_id", "to_level_id")
        self.edges: dict[int, set[int]] = {}
        for source, target in mappings:
            self.edges.setdefault(source, set()).add(target)
            # A mapping is an equivalence: read it both ways, so a rating on the newer scale can be placed on
            # the older one when only that comparison is possible.
            self.edges.setdefault(target, set()).add(source)

    def get(self, pk):
        return self.levels.get(pk)

    def of_scale(self, scale_id) -> list:
        """The levels of one scale, best first: read in `StatusLevel`'s own order, as `selectors.levels_of` reads
        them."""
        return [level for level in self.levels.values() if level.scale_id == scale_id]

    def on_scale(self, level, scale_id):
        """The level of scale `scale_id` equivalent to `level` (itself if it is on that scale), or None."""
        if level is None:
            return None
        if level.scale_id == scale_id:
            return level
        seen, queue = {level.pk}, deque([level.pk])
        found = []
        while queue:
            current = queue.popleft()
            for nxt in self.edges.get(current, ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                candidate = self.levels.get(nxt)
                if candidate is None:
                    continue
                if candidate.scale_id == scale_id:
                    found.append(candidate)
                else:
                    queue.append(nxt)
        # Two different equivalents on one scale is no equivalence at all.
        if len({f.pk for f in found}) == 1:
            return found[0]
        if not found and not level.is_rating:
            # A state that is not a rating is the same state on any scale that has it under the same code.
            return self.states.get((scale_id, level.code))
        return None

    def movement(self, old, new) -> str:
        """How `new` compares with `old`: worse, better, same, scale changed, or state (either is not a rating).
        An empty string when there was nothing before."""
        if old is None or new is None:
            return ""
        if old.pk == new.pk:
            return SAME
        if not (old.is_rating and new.is_rating):
            return STATE
        for a, b in ((self.on_scale(old, new.scale_id), new), (old, self.on_scale(new, old.scale_id))):
            if a is not None and b is not None:
                if a.pk == b.pk:
                    return SAME
                return WORSE if b.severity > a.severity else BETTER
        return SCALE_CHANGED


@dataclass
class LevelCounts:
    """Ratings counted against the scale in force: per level of that scale (ratings given on an older version
    count under their declared equivalent), states that are not ratings apart, and what cannot be placed."""

    levels: list[tuple[object, int]] = field(default_factory=list)  # the scale's ratings, best first
    states: list[tuple[object, int]] = field(default_factory=list)  # levels that are not ratings
    earlier_scale: int = 0  # rated on a scale with no declared equivalent in the one in force
    unrated: int = 0

    @property
    def total(self):
        return sum(n for _, n in self.levels) + sum(n for _, n in self.states) + self.earlier_scale + self.unrated


def count_levels(ratings, scale_levels: list, index: LevelIndex) -> LevelCounts:
    """Count `ratings` (each a rating or None) against `scale_levels`, the levels of the scale in force."""
    scale_id = scale_levels[0].scale_id if scale_levels else None
    placed, states = Counter(), Counter()
    state_levels = {}
    counts = LevelCounts()
    for rating in ratings:
        if rating is None:
            counts.unrated += 1
            continue
        level = rating.level
        if not level.is_rating:
            equivalent = index.on_scale(level, scale_id) or level
            states[equivalent.pk] += 1
            state_levels[equivalent.pk] = equivalent
            continue
        equivalent = index.on_scale(level, scale_id)
        if equivalent is None:
            counts.earlier_scale += 1
        else:
            placed[equivalent.pk] += 1
    counts.levels = [(level, placed[level.pk]) for level in scale_levels if level.is_rating]
    for level in scale_levels:
        if not level.is_rating:
            state_levels.setdefault(level.pk, level)
    counts.states = [(level, states[pk]) for pk, level in state_levels.items()]
    return counts


def matches_level(rating, level_pk: int, index: LevelIndex) -> bool:
    """Whether a rating counts under the level `level_pk` (directly or through a declared equivalent)."""
    if rating is None:
        return False
    target = index.get(level_pk)
    if target is None:
        return False
    equivalent = index.on_scale(rating.level, target.scale_id)
    return equivalent is not None and equivalent.pk == target.pk
