"""Views: format-free projections of a workspace (what a diagram shows), computed once per render.

A view knows nothing of syntax; renderers turn views into text.
"""
