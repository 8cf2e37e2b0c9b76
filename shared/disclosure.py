"""Small groups: which groups' figures may be shown so that no small group can be worked out.

Figures about people's reflections (groups under 5 managers) and sick leave (groups of 10
employees or fewer) are protected by building *safe cells*: a partition of the
organisation where every cell holds at least `minimum` people.

- Within a förvaltning, each enhet big enough is a cell of its own; the small ones are
  merged into one cell; if that merged cell is still too small, it takes in the smallest
  big enhet as well.
- A förvaltning too small as a whole joins the other small förvaltningar in one
  municipality-wide cell; if that is still too small, it takes in the smallest big
  förvaltning, whole.

A group's figure is shown only if the group is exactly a union of cells. Then any two
shown figures differ by a union of cells, and every non-empty union of cells holds at least
`minimum` people: no total, difference or overlap of shown figures can single out a group
smaller than that. Everything here works on counts per department already aggregated in
the database, never on people.

This module knows no app: HR's reports (reports.selectors) and the benefit survey's
results (evaluations.survey_selectors) both build their cells here, each from its own counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field

# A department key is the id of the department people are placed in (an enhet, or a
# förvaltning for people placed directly on it), or None for people with no department.
NO_DEPARTMENT = None


@dataclass
class Organisation:
    """Förvaltning id -> its department keys (its enheter' ids, and its own id)."""

    units_of: dict[int, list] = field(default_factory=dict)


@dataclass
class SafeCells:
    """`cell_of[key]` names the cell of each department key; `sizes[cell]` its people."""

    cell_of: dict
    sizes: dict
    minimum: int
    _members: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._members = defaultdict(set)
        for key, cell in self.cell_of.items():
            self._members[cell].add(key)

    def members(self, cell) -> set:
        return set(self._members.get(cell, ()))

    def may_show(self, keys) -> bool:
        """True if the group of department keys is exactly a union of whole cells, each big
        enough (only a whole organisation smaller than `minimum` has a cell that is not)."""
        keys = {k for k in keys if k in self.cell_of}
        if not keys:
            return False
        cells = {self.cell_of[k] for k in keys}
        members = self._members  # not members(): no copy per cell (thousands at scale)
        return all(self.sizes[cell] >= self.minimum and members[cell] <= keys for cell in cells)


def _merge_small(groups: dict, minimum: int, label) -> dict:
    """Map each group to a cell: big ones alone, small ones together, topped up if needed.

    `groups` maps a group to its size (groups of size 0 are ignored).
    """
    sized = {g: n for g, n in groups.items() if n > 0}
    big = {g: n for g, n in sized.items() if n >= minimum}
    small = {g: n for g, n in sized.items() if n < minimum}
    cell_of = {g: g for g in big}
    if small:
        merged_size = sum(small.values())
        for g in small:
            cell_of[g] = label
        if merged_size < minimum and big:
            smallest = min(big, key=lambda g: (big[g], str(g)))
            cell_of[smallest] = label
    return cell_of


def safe_cells(org: Organisation, people: dict, minimum: int) -> SafeCells:
    """The cells for people counted per department key (`people[key] = n`)."""
    cell_of: dict = {}
    forvaltning_size: dict[int, int] = {}
    inner: dict[int, dict] = {}
    for forvaltning, keys in org.units_of.items():
        sizes = {key: people.get(key, 0) for key in keys}
        forvaltning_size[forvaltning] = sum(sizes.values())
        inner[forvaltning] = _merge_small(sizes, minimum, ("rest", forvaltning))
    # People with no department form a pseudo-förvaltning of their own.
    if people.get(NO_DEPARTMENT, 0):
        forvaltning_size[NO_DEPARTMENT] = people[NO_DEPARTMENT]
        inner[NO_DEPARTMENT] = {NO_DEPARTMENT: ("rest", NO_DEPARTMENT)}
    top = _merge_small(forvaltning_size, minimum, "small-forvaltningar")
    for forvaltning, own in inner.items():
        merged_at_top = top.get(forvaltning) == "small-forvaltningar"
        for key, cell in own.items():
            cell_of[key] = "small-forvaltningar" if merged_at_top else cell
    sizes: dict = defaultdict(int)
    for key, cell in cell_of.items():
        sizes[cell] += people.get(key, 0)
    return SafeCells(cell_of=cell_of, sizes=dict(sizes), minimum=minimum)
