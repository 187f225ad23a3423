"""Bad sweep files (and the scenarios they name): one line `error: ...` naming the field and value, exit 2,
and no output folder left behind."""

import pytest

from model.cli import main

OAA = "old_age_allowance.amount.age_60_69"
HEAD = "name: t\nend_year: 2030\noutputs: [total_population_2030]\n"


def design(body: str, kind: str = "grid", extra: str = "") -> str:
    return f"{HEAD}design:\n  kind: {kind}\n{extra}{body}"


BAD_SWEEPS: dict[str, tuple[str, str]] = {
    "invalid yaml": ("name: [t\n", "not valid YAML"),
    "not a mapping": ("- 1\n- 2\n", "a sweep file must be a YAML mapping"),
    "unknown top-level key": (HEAD + "drawz: 3\n", "field 'drawz': unknown key (got 3)"),
    "missing outputs": ("name: t\n", "field 'outputs': Field required"),
    "empty outputs": ("name: t\noutputs: []\n", "field 'outputs': List should have at least 1 item"),
    "unknown output": ("name: t\noutputs: [total_cost_2037]\n", "field 'outputs.0': unknown output 'total_cost_2037'"),
    "output year after the end year": (
        "name: t\nend_year: 2030\noutputs: [total_population_2035]\n", "year 2035 is outside the projection years"),
    "output listed twice": ("name: t\noutputs: [ssf_depletion_year, ssf_depletion_year]\n",
                            "field 'outputs.1': output listed twice"),
    "bad sweep name": ("name: 'my sweep!'\noutputs: [total_population_2037]\n", "field 'name'"),
    "unknown scenario": (HEAD + "scenario: no_such_scenario\n",
                         "field 'scenario': scenario 'no_such_scenario': no such"),
    "bad scenario file": (HEAD + "scenario: bad_scenario.yaml\n", "bad_scenario.yaml: field 'scael': unknown key"),
    "scale out of range": (HEAD + "scale: 0.5\n",
                           "field 'scale': Input should be greater than or equal to 1 (got 0.5)"),
    "end year outside the data": ("name: t\nend_year: 2150\noutputs: [total_population]\n", "field 'years.end'"),
    "seeds beyond 64 bits": (HEAD + f"seed: {2**63 - 2}\ndraws: 3\n", "field 'seed': the seeds of 3 draws"),
    "zero draws": (HEAD + "draws: 0\n", "field 'draws': Input should be greater than or equal to 1 (got 0)"),
    "fractional draws": (HEAD + "draws: 2.5\n", "field 'draws'"),
    "unknown design kind": (design("", kind="random"), "field 'design.kind'"),
    "lhs without samples": (design("  demography:\n    fertility_multiplier: {low: 0.9, high: 1.1}\n", "lhs"),
                            "field 'design.samples': lhs designs need the number of samples"),
    "grid with samples": (design("", extra="  samples: 4\n"), "only lhs and sobol designs take samples"),
    "sobol samples not a power of two": (
        design("  demography:\n    fertility_multiplier: {low: 0.9, high: 1.1}\n", "sobol", "  samples: 10\n"),
        "field 'design.samples': a sobol design needs a power of two"),
    "design without factors": (design("", "oat"), "field 'design': oat designs need at least one factor"),
    "unknown parameter path": (design("  parameters:\n    old_age_allowance.amount.age_60_70: "
                                      "{values: [600], from: 2025-10-01}\n"),
                               "unknown parameter path 'old_age_allowance.amount.age_60_70' (did you mean"),
    "parameter without a date": (design(f"  parameters:\n    {OAA}: {{values: [600]}}\n"),
                                 f"field 'design.parameters.{OAA}.from': a parameter override needs the date"),
    "date that is a number": (design(f"  parameters:\n    {OAA}: {{values: [600], from: 2025}}\n"),
                              f"field 'design.parameters.{OAA}.from': must be a date YYYY-MM-DD (got 2025)"),
    "number for a boolean parameter": (
        design("  parameters:\n    old_age_allowance.income_test.enabled: {values: [1], from: 2025-10-01}\n"),
        "must be true or false (got 1)"),
    "text for a number": (design(f"  parameters:\n    {OAA}: {{low: '600', high: 900, from: 2025-10-01}}\n", "oat"),
                          f"field 'design.parameters.{OAA}.low': Input should be a valid number (got '600')"),
    "low not below high": (design("  demography:\n    fertility_multiplier: {low: 1.2, high: 0.8}\n", "oat"),
                           "'low' must be below 'high' (got low 1.2, high 0.8)"),
    "range without high": (design("  demography:\n    fertility_multiplier: {low: 0.8}\n", "oat"),
                           "a range needs both 'low' and 'high'"),
    "values and a range": (design("  demography:\n    fertility_multiplier: {values: [1], low: 0.8, high: 1.2}\n"),
                           "give either 'values' or both 'low' and 'high'"),
    "grid range without levels": (design("  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2}\n"),
                                  "a grid needs 'values' or 'low'/'high' with 'levels'"),
    "values in a latin hypercube": (design("  demography:\n    fertility_multiplier: {values: [0.9, 1.1]}\n", "lhs",
                                           "  samples: 4\n"), "lhs designs sample 'low'..'high'"),
    "unknown macro series": (design("  macro:\n    gdp_growth: {values: [0.02]}\n"),
                             "field 'design.macro.gdp_growth': not an overridable macro series"),
    "macro value out of range": (design("  macro:\n    real_growth: {low: 0.1, high: 0.9}\n", "oat"),
                                 "macro series real_growth must be a number in -0.5..0.5 (got 0.9)"),
    "date on a macro series": (design("  macro:\n    real_growth: {values: [0.02], from: 2025-01-01}\n"),
                               "field 'design.macro.real_growth.from': only parameter overrides take a 'from' date"),
    "unknown demographic multiplier": (design("  demography:\n    fertility: {values: [1.1]}\n"),
                                       "field 'design.demography.fertility': not a demographic multiplier"),
    "demographic multiplier out of range": (
        design("  demography:\n    fertility_multiplier: {low: 0.5, high: 4}\n", "oat"),
        "field 'design.demography.fertility_multiplier': Input should be less than or equal to 3 (got 4"),
    "base outside the range": (design("  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2, base: 2}\n",
                                      "oat"), "'base' must lie within low..high (got 2"),
    "base outside a one-at-a-time design": (
        design("  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2, base: 1}\n", "lhs", "  samples: 4\n"),
        "'base' is the centre of an oat design only"),
    "integer factor with fractions": (design(f"  parameters:\n    {OAA}: {{values: [600.5], from: 2025-10-01, "
                                             "integer: true}\n"), "an 'integer' factor needs whole-number values"),
    "factor both designed and uncertain": (
        design("  demography:\n    fertility_multiplier: {values: [0.9]}\n")
        + "draws: 3\nuncertainty:\n  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2}\n",
        "cannot be both in the design and uncertain"),
    "uncertainty with one draw": (HEAD + "uncertainty:\n  macro:\n    real_growth: {low: 0.01, high: 0.03}\n",
                                  "field 'draws': uncertain factors vary across draws"),
    "too many runs": (design("  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2}\n", "lhs",
                             "  samples: 60000\n") + "draws: 2\n", "120,000 runs (points x draws) exceed the limit"),
}


@pytest.mark.parametrize("kind", BAD_SWEEPS)
def test_bad_sweep_file(tmp_path, capsys, kind):
    text, expected = BAD_SWEEPS[kind]
    (tmp_path / "bad_scenario.yaml").write_text("name: x\nscael: 100\n")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(text)
    out = tmp_path / "out"
    assert main(["sweep", str(sweep), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: sweep.yaml: ") and err.count("\n") == 1, err
    assert expected in err, err
    assert not out.exists()


def test_table_has_at_least_twenty_kinds():
    assert len(BAD_SWEEPS) >= 20


GOOD = HEAD + "design:\n  kind: grid\n  demography:\n    fertility_multiplier: {values: [1.0]}\n"


@pytest.mark.parametrize("args, expected", [
    (["--workers", "0"], "--workers: must be between 1 and 256 (got 0)"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "give one or the other"),
    (["--draws", "0"], "field 'draws': Input should be greater than or equal to 1 (got 0)"),
    (["--out", "{tmp}/no/such/folder"], "--out: folder"),
    (["--out", "{tmp}/sweep.yaml"], "is a file, not a folder"),
])
def test_bad_sweep_command_line(tmp_path, capsys, args, expected):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(GOOD)
    args = [a.format(tmp=tmp_path) for a in args]
    out = [] if "--out" in args else ["--out", str(tmp_path / "out")]
    assert main(["sweep", str(sweep), *out, *args, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, expected", [
    (["no_such_file.yaml"], "sweep file 'no_such_file.yaml': no such file"),
])
def test_missing_sweep_file(capsys, args, expected):
    assert main(["sweep", *args, "--out", "unused"]) == 2
    assert expected in capsys.readouterr().err


def test_sweep_file_too_large(tmp_path, capsys):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(HEAD + "#" * 1_000_001 + "\n")
    assert main(["sweep", str(sweep), "--out", str(tmp_path / "out")]) == 2
    assert "file is larger than 1,000,000 bytes" in capsys.readouterr().err


@pytest.mark.parametrize("args, expected", [
    (["baseline", "no_such_reform"], "scenario 'no_such_reform': no such file"),
    (["baseline", "baseline", "--scale", "0"], "field 'scale'"),
    (["baseline", "baseline", "--out", "result.txt"], "must end in .nc"),
])
def test_bad_compare_command_line(capsys, args, expected):
    assert main(["compare", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err
