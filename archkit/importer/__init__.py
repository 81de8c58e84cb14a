"""`archkit import`: a model package written from existing descriptions of an estate (AsyncAPI documents).

`model_source` turns the documents' contract snapshots into the model's Python source; `payloads` has
datamodel-code-generator write the payload classes its events subclass; `write_package` puts both
in a folder, all or nothing.
"""
