"""Small groups for HR's reports: the rule itself (safe cells, a figure only for a union of
whole cells) is in shared.disclosure, where the benefit survey's results use it too.

Over time, the cells hold only if the people counted do not move under HR's hands between
two reads of the same report. reports.selectors therefore counts, for reflections, the
managers of the report's period, each in their last department, whether or not they are
active today (a manager deactivated during or after the period still counts; one
deactivated before it does not). Deactivating one manager by a staff import, reading the
report again and importing them back changes no figure and no cell, so no difference of
two reads is one person's contribution (the property test models it over time). A move to
another department or a lost manager role still changes the cells: the portal keeps no
history of where someone worked when they wrote.
"""

from shared.disclosure import NO_DEPARTMENT, Organisation, SafeCells, safe_cells

__all__ = ["NO_DEPARTMENT", "Organisation", "SafeCells", "safe_cells"]
