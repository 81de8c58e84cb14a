"""Contracts: the channels, messages and payload schemas of an estate, in one neutral shape.

The same shape comes from the current model, from a lock file, from the models at a git ref, or from
any AsyncAPI 3.0 document, so the compatibility checker compares like with like.
"""
