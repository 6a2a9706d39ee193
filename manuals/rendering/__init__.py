"""Rendering of the business manual (业务手册) from a published snapshot."""

from .manual import default_manual_number, manual_context, render_manual_html

__all__ = ["default_manual_number", "manual_context", "render_manual_html"]
