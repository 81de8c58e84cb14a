"""`archkit check`: the model contract loads and is counted right."""

import json


def test_spec_model_loads_with_the_right_counts(cli, spec_model):
    result = cli("check", spec_model)
    assert result.exit_code == 0, result.stderr
    assert "Food delivery" in result.stdout
    for expected in ("2 people", "3 systems", "8 containers", "2 brokers", "3 components", "7 channels",
                     "6 events", "2 flows"):
        assert expected in result.stdout


def test_check_json_is_machine_readable(cli, spec_model):
    result = cli("check", "--format", "json", spec_model)
    assert result.exit_code == 0
    [entry] = json.loads(result.stdout)
    assert entry["workspace"] == "Food delivery"
    assert entry["counts"]["channels"] == 7


def test_python_dash_m_and_version(cli_process):
    proc = cli_process("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("archkit, version ")
