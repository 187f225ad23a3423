"""Bad scenario and sweep files (and the scenarios they name): one line `error: ...` naming the file, the field
and the value, exit 2, and no output file or folder left behind."""

import pytest

from model.cli import main

from bad_yaml import bomb

OAA = "old_age_allowance.amount.age_60_69"
RATE = "ssf_s33.contribution_rate.employee"
HEAD = "name: t\nend_year: 2030\noutputs: [total_population_2030]\n"



BAD_SCENARIOS: dict[str, tuple[str | bytes, str]] = {
    "Latin-1 e acute in the description": (b"name: t\ndescription: caf\xe9\n",
                                           "not UTF-8 text: byte 0xe9 at byte offset 24"),
    "binary file": (bytes(range(128, 256)) + bytes(range(128)), "not UTF-8 text: byte 0x80 at byte offset 0"),
    "UTF-8 with a NUL character": ("name: t\x00\n", "unacceptable character '\\x00' at character 7"),
    "UTF-16 file": ("name: t\n".encode("utf-16"), "not UTF-8 text: byte 0xff at byte offset 0"),
    "month 13 as an override date": (f"name: t\nparameters:\n  {OAA}: {{2025-13-01: 700}}\n",
                                     "cannot read '2025-13-01' as a date (month must be in 1..12) (line 3"),
    "30 February as an override date": (f"name: t\nparameters:\n  {OAA}: {{2025-02-30: 700}}\n",
                                        "cannot read '2025-02-30' as a date (day is out of range for month) (line 3"),
    "a year as an override date": (f"name: t\nparameters:\n  {OAA}: {{2025: 700}}\n",
                                   f"field 'parameters.{OAA}.2025': must be a date YYYY-MM-DD"),
    "alias bomb in an unknown key": (f"name: t\nlaughs: {bomb(9)}\n", "YAML aliases (*name) are not accepted"),
    "alias bomb in the name": (f"name: {bomb(9)}\n", "YAML aliases (*name) are not accepted"),
    "alias bomb in macro": (f"name: t\nmacro:\n  real_growth: {bomb(9)}\n", "YAML aliases (*name) are not accepted"),
    "alias bomb in a parameter value": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: {bomb(9)}}}\n",
                                        "YAML aliases (*name) are not accepted"),
    "recursive alias": ("name: t\nmacro: &m {real_growth: *m}\n", "YAML aliases (*name) are not accepted"),
    "nested too deep": ("name: t\nlaughs: " + "[" * 80 + "]" * 80 + "\n", "nested deeper than 64 levels"),
    "1e38 (text in YAML 1.1)": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: 1e38}}\n",
                                f"override of '{OAA}' on 2025-10-01: must be a finite number in THB/month "
                                "(got '1e38')"),
    "1.0e+38": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: 1.0e+38}}\n",
                "must be between 0 and 1,000,000,000 [THB/month] (got 1e+38)"),
    "1.0e+300": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: 1.0e+300}}\n",
                 "must be between 0 and 1,000,000,000 [THB/month] (got 1e+300)"),
    "int64 maximum": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: 9223372036854775807}}\n",
                      "must be between 0 and 1,000,000,000 [THB/month] (got 9223372036854775807)"),
    "an integer of 5000 digits": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: {'9' * 5000}}}\n",
                                  "cannot read '99999999999"),
    "infinite amount": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: .inf}}\n",
                        "must be a finite number in THB/month (got inf)"),
    "negative benefit amount": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: -600}}\n",
                                f"field 'parameters': override of '{OAA}' on 2025-10-01: must be between 0 and "
                                "1,000,000,000 [THB/month] (got -600)"),
    "fertility path year outside the data": ("name: t\ndemography:\n  fertility_path: {2020: 0.9}\n",
                                             "field 'demography.fertility_path': year 2020 is outside the data"),
    "negative multiplier in the fertility path": ("name: t\ndemography:\n  fertility_path: {2030: -0.5}\n",
                                                  "field 'demography.fertility_path.2030': Input should be greater "
                                                  "than 0 (got -0.5)"),
    "negative contribution rate": (f"name: t\nparameters:\n  {RATE}: {{2026-01-01: -0.05}}\n",
                                   f"override of '{RATE}' on 2026-01-01: must be between 0 and 0.2 [fraction of "
                                   "insurable wage] (got -0.05)"),
    "duplicate parameter path": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: 700}}\n  {OAA}: {{2025-10-01: 800}}\n",
                                 f"duplicate key '{OAA}': each key may appear once in a mapping (line 4, column 3)"),
    "duplicate top-level key": ("name: t\nscale: 100\nscale: 1000\n", "duplicate key 'scale'"),
    "duplicate override date": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: 700, 2025-10-01: 800}}\n",
                                "duplicate key datetime.date(2025, 10, 1)"),
    "one date as a date and as text": (f"name: t\nparameters:\n  {OAA}: {{2025-10-01: 700, '2025-10-01': 800}}\n",
                                       "date 2025-10-01 is given twice"),
    "infinite macro value": ("name: t\nmacro:\n  real_growth: .nan\n",
                             "macro.real_growth: value must be a finite number or a {year: number} mapping (got nan)"),
    "macro list": ("name: t\nmacro:\n  inflation: [" + ", ".join(["0.01"] * 500) + "]\n",
                   "macro.inflation: value must be a finite number or a {year: number} mapping (got [0.01, 0.01, 0.01, "
                   "...])"),
    "macro out of range": ("name: t\nmacro:\n  real_growth: 3\n", "macro.real_growth: value 3 is outside -0.5..0.5"),
    "long macro name": ("name: t\nmacro:\n  " + "g" * 900 + ": 0.01\n", "macro: 'gggggggg"),
    "long unknown key": ("name: t\n" + "x" * 900 + ": 1\n", "unknown key (got 1)"),
    "python object tag": ("name: !!python/object/apply:os.system [echo hi]\n",
                          "could not determine a constructor for the tag"),
    "file over 1 MB": ("name: t\n#" + "x" * 1_000_000 + "\n", "file is larger than 1,000,000 bytes"),
}


@pytest.mark.parametrize("kind", BAD_SCENARIOS)
def test_bad_scenario_file(tmp_path, capsys, kind):
    text, expected = BAD_SCENARIOS[kind]
    scenario = tmp_path / "scenario.yaml"
    scenario.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = tmp_path / "out.nc"
    assert main(["run", str(scenario), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith("error: scenario.yaml: ") and err.count("\n") == 1, err
    assert expected in err, err
    assert len(err) < 400 and "Traceback" not in err and not captured.out
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["scenario.yaml"]


def test_bad_scenario_table_covers_the_input_rows():
    assert len(BAD_SCENARIOS) >= 25


def test_override_after_the_projection_end_warns(tmp_path, capsys):
    scenario = tmp_path / "late.yaml"
    scenario.write_text(f"name: late\nbase: baseline\nparameters:\n  {OAA}: {{2040-01-01: 900}}\n"
                        f"  {RATE}: {{2026-01-01: 0.06}}\nmacro:\n  inflation: {{2045: 0.02}}\n")
    assert main(["run", str(scenario), "--scale", "1000", "--end-year", "2024"]) == 0
    err = capsys.readouterr().err.splitlines()
    warnings = [line for line in err if line.startswith("warning: ")]
    assert len(warnings) == 2, err  # on load (end 2037), then what --end-year 2024 makes late as well
    assert f"late.yaml: overrides dated after the projection ends in 2037 have no effect: parameters.{OAA} from " \
           "2040-01-01, macro.inflation from 2045" in warnings[0]
    assert f"ends in 2024 have no effect: parameters.{RATE} from 2026-01-01" in warnings[1]
    assert OAA not in warnings[1]


def design(body: str, kind: str = "grid", extra: str = "") -> str:
    return f"{HEAD}design:\n  kind: {kind}\n{extra}{body}"


BAD_SWEEPS: dict[str, tuple[str | bytes, str]] = {
    "invalid yaml": ("name: [t\n", "not valid YAML"),
    "not UTF-8": (HEAD.encode() + b"description: caf\xe9\n", "not UTF-8 text: byte 0xe9 at byte offset 72"),
    "binary": (bytes(range(255, 0, -1)), "not UTF-8 text: byte 0xff at byte offset 0"),
    "alias bomb in the description": (HEAD + f"description: {bomb(9)}\n", "YAML aliases (*name) are not accepted"),
    "alias bomb in factor values": (design(f"  parameters:\n    {OAA}: {{values: {bomb(3)}, from: 2025-10-01}}\n"),
                                    "YAML aliases (*name) are not accepted"),
    "duplicate factor": (design("  demography:\n    fertility_multiplier: {values: [0.9]}\n"
                                "    fertility_multiplier: {values: [1.1]}\n"),
                         "duplicate key 'fertility_multiplier': each key may appear once in a mapping (line 8"),
    "duplicate parameter factor": (design(f"  parameters:\n    {OAA}: {{values: [600], from: 2025-10-01}}\n"
                                          f"    {OAA}: {{values: [900], from: 2025-10-01}}\n"),
                                   f"duplicate key '{OAA}'"),
    "impossible date": (design(f"  parameters:\n    {OAA}: {{values: [600], from: 2025-02-30}}\n"),
                        "cannot read '2025-02-30' as a date (day is out of range for month)"),
    "negative amount factor": (design(f"  parameters:\n    {OAA}: {{values: [600, -600], from: 2025-10-01}}\n"),
                               f"field 'design.parameters.{OAA}': override of '{OAA}' on 2025-10-01: must be between "
                               "0 and 1,000,000,000 [THB/month] (got -600)"),
    "amount factor of 1e300": (design(f"  parameters:\n    {OAA}: {{low: 600, high: 1.0e+300, from: 2025-10-01}}\n",
                                      "oat"), "(got 1e+300)"),
    "negative rate factor": (design(f"  parameters:\n    {RATE}: {{low: -0.01, high: 0.05, from: 2026-01-01}}\n",
                                    "lhs", "  samples: 4\n"), "must be between 0 and 0.2 [fraction of insurable wage]"),
    "not a mapping": ("- 1\n- 2\n", "a sweep file must be a YAML mapping"),
    "unknown top-level key": (HEAD + "drawz: 3\n", "field 'drawz': unknown key (got 3)"),
    "missing outputs": ("name: t\n", "field 'outputs': required field is missing"),
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
                           "a uniform distribution needs low, high (missing high)"),
    "values and a range": (design("  demography:\n    fertility_multiplier: {values: [1], low: 0.8, high: 1.2}\n"),
                           "a discrete distribution takes values, weights, not high, low"),
    "grid range without levels": (design("  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2}\n"),
                                  "a grid needs 'values' or 'low'/'high' with 'levels'"),
    "values in a latin hypercube": (design("  demography:\n    fertility_multiplier: {values: [0.9, 1.1]}\n", "lhs",
                                           "  samples: 4\n"), "lhs designs sample 'low'..'high'"),
    "unknown macro series": (design("  macro:\n    gdp_growth: {values: [0.02]}\n"),
                             "field 'design.macro.gdp_growth': not an overridable macro series"),
    "macro value out of range": (design("  macro:\n    real_growth: {apply: shift, low: 0.1, high: 0.9}\n", "oat"),
                                 "field 'design.macro.real_growth': macro.real_growth: value "),
    "macro factor without apply": (design("  macro:\n    real_growth: {values: [0.02]}\n"),
                                   "field 'design.macro.real_growth.apply': a macro factor needs 'apply': 'shift'"),
    "macro first year after the end": (
        design("  macro:\n    real_growth: {apply: shift, values: [0.01], from: 2040}\n"),
        "field 'design.macro.real_growth.from': the first year changed must be within 2024-2030 (got 2040)"),
    "normal without sd": (design("  demography:\n    fertility_multiplier: {distribution: normal, mean: 1}\n", "lhs",
                                 "  samples: 4\n"), "a normal distribution needs mean, sd (missing sd)"),
    "triangular mode outside": (
        design("  demography:\n    fertility_multiplier: {distribution: triangular, low: 0.9, mode: 1.3, high: 1.1}\n",
               "lhs", "  samples: 4\n"), "'mode' must lie within low..high (got 1.3)"),
    "lognormal draws outside the range": (
        HEAD + "draws: 3\nuncertainty:\n  demography:\n    mortality_multiplier: {distribution: lognormal, "
        "median: 1, sigma: 2}\n", "field 'uncertainty.demography.mortality_multiplier': Input should be less than"),
    "weights not matching values": (
        HEAD + "draws: 3\nuncertainty:\n  demography:\n    mortality_multiplier: {distribution: discrete, "
        "values: [0.9, 1.1], weights: [1]}\n", "'weights' needs one weight per value (2; got 1)"),
    "linked factor without targets": (design("  linked:\n    flat: {values: [900], from: 2025-10-01}\n"),
                                      "field 'design.linked.flat.set': a linked factor needs 'set'"),
    "correlation not positive definite": (
        HEAD + "draws: 3\nuncertainty:\n  demography:\n    mortality_multiplier: {low: 0.9, high: 1.1}\n"
        "    fertility_multiplier: {low: 0.9, high: 1.1}\n    migration_multiplier: {low: 0.9, high: 1.1}\n"
        "  correlation:\n    factors: [demography.mortality_multiplier, demography.fertility_multiplier, "
        "demography.migration_multiplier]\n    matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n",
        "field 'uncertainty.correlation.matrix': must be positive definite"),
    "correlation of an unknown factor": (
        HEAD + "draws: 3\nuncertainty:\n  demography:\n    mortality_multiplier: {low: 0.9, high: 1.1}\n"
        "  correlation:\n    factors: [demography.mortality_multiplier, macro.inflation]\n    matrix: [[1, 0], [0, 1]]\n",
        "field 'uncertainty.correlation.factors.1': not an uncertain factor of this sweep"),
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
    sweep.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = tmp_path / "out"
    assert main(["sweep", str(sweep), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: sweep.yaml: ") and err.count("\n") == 1, err
    assert expected in err and len(err) < 1000, err
    assert not out.exists()


def test_sweep_factor_after_the_projection_end_warns(tmp_path):
    from model.errors import ModelInputWarning
    from model.sweep.spec import sweep_from_text

    text = design(f"  parameters:\n    {OAA}: {{values: [600, 900], from: 2031-01-01}}\n")
    with pytest.warns(ModelInputWarning, match=f"field 'design.parameters.{OAA}.from': 2031-01-01 is after the "
                                               "projection ends in 2030"):
        assert len(sweep_from_text(text).factors) == 1


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
