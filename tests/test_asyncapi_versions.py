"""AsyncAPI 3.0.0 by default, 3.1.0 on request (`render --asyncapi-version`, `asyncapi-version` in the
configuration): every document archkit writes passes the official JSON Schema of its version."""

from __future__ import annotations

import yaml
from asyncapi_support import asyncapi_errors


def rendered(folder):
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("asyncapi/*.yaml"))}


def test_3_0_0_by_default_and_3_1_0_on_request(cli, spec_model, tmp_path):
    for version, options in (("3.0.0", ()), ("3.1.0", ("--asyncapi-version", "3.1.0"))):
        out = tmp_path / version
        result = cli("render", spec_model, "-f", "asyncapi", "-o", out, *options)
        assert result.exit_code == 0, result.output
        docs = rendered(out)
        assert docs and {d["asyncapi"] for d in docs.values()} == {version}
        for name, doc in docs.items():
            assert asyncapi_errors(doc) == [], (version, name)


def test_the_configuration_chooses_the_version(cli_process, spec_model, tmp_path):
    (tmp_path / "archkit.toml").write_text('asyncapi-version = "3.1.0"\n', encoding="utf-8")
    result = cli_process("render", spec_model, "-f", "asyncapi", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {d["asyncapi"] for d in rendered(tmp_path / "out").values()} == {"3.1.0"}
    (tmp_path / "archkit.toml").write_text('asyncapi-version = "2.6.0"\n', encoding="utf-8")
    result = cli_process("render", spec_model, "-f", "asyncapi", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "asyncapi-version must be one of 3.0.0, 3.1.0, got '2.6.0'" in result.stderr and "Traceback" not in result.stderr
