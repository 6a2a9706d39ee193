"""Checks the editorial office applies at compliance filing review (ids C01 …).

They run with the cross-field rules so authors see a likely rejection while
writing, not weeks later in the review.
"""

from . import citations, clauses, duplicates, setting

MODULES = (clauses, setting, citations, duplicates)
