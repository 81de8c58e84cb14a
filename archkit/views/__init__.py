"""Views: format-free projections of a workspace that renderers turn into text."""
