"""The model: what a user's Python file builds. It knows nothing of output formats."""
