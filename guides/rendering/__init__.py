"""Rendering published snapshots for the public: the service guide (办事指南).

Renderers read only snapshot-shaped dicts (`PublishedSnapshot.data` or
`standards.snapshot.snapshot(version)`), never the draft tables.
"""

from .guide import render_guide_html

__all__ = ["render_guide_html"]
