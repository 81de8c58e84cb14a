"""Linting: contract compatibility against a baseline, and rules of sound messaging design."""
