"""Code that reproduces the page's comparison outside the app: a Python snippet calling `model.run` with the
reform's overrides, and the command lines that run the downloaded scenario file.

The snippet rebuilds the edited reform the way the page does (`model.app.levers.with_levers`): each changed
parameter with all its dated values, each shifted macro series by `model.app.levers.shifted_path`, so that its run
has the page's run identity and gives the page's numbers; the app's precision (scale), seed and years are passed to
`model.run` as the page runs them.
"""

import datetime as dt
from collections.abc import Mapping

from ..parameters import Value
from ..scenario import Scenario



def _mapping(opening: str, items: list[str]) -> list[str]:
    """Lines of a keyword argument holding a dict: `opening` (e.g. '    macro={**reform.macro,'), then one item a
    line aligned under the first key, the last closing the dict."""
    indent = " " * (opening.index("{") + 1)
    return [opening] + [f"{indent}{item}{'}' if i == len(items) - 1 else ''}," for i, item in enumerate(items)]


def _value(value: Value) -> str:
    """A parameter value as Python source."""
    return repr(value)


def _dated(values: Mapping[dt.date, Value]) -> str:
    """{date: value, ...} as Python source with dt.date(...) keys."""
    return "{" + ", ".join(f"dt.date({d.year}, {d.month}, {d.day}): {_value(v)}" for d, v in sorted(values.items())) + "}"


def python_snippet(base: str, reform_source: str, reform: Scenario, edited: Scenario,
                   shifts: Mapping[str, float]) -> str:
    """Python that runs the page's baseline and reform and prints the budget impact by fiscal year.

    base: the baseline's name in scenarios/; reform_source: what `load_scenario` reads the unedited reform from (a
    shipped name, or the file name of an upload); reform: the unedited reform; edited: the reform as the page runs
    it (the app's scale, seed and years); shifts: the macro shifts in percentage points by series."""
    changed = sorted(path for path, dated in edited.parameters.items() if reform.parameters.get(path) != dated)
    lines = ["import datetime as dt" if changed else None, "", "import model",
             "from model.app.impact import budget_impact",
             "from model.app.levers import shifted_path" if shifts else None,
             "from model.scenario import load_scenario", "",
             f"reform = load_scenario({reform_source!r})"]
    if changed or shifts:
        lines += ["reform = reform.replaced(", f"    name={edited.name!r},"]
        if changed:
            items = [f"{path!r}: {_dated(edited.parameters[path])}" for path in changed]
            lines += _mapping("    parameters={**reform.parameters,", items)
        if shifts:
            items = [f"{series!r}: shifted_path(reform.macro, {series!r}, {pp!r})" for series, pp in sorted(shifts.items())]
            lines += _mapping("    macro={**reform.macro,", items)
        lines.append(")")
    lines += [f"settings = dict(scale={edited.scale:g}, seed={edited.seed}, end_year={edited.years.end})"
              "  # the app's precision, seed and years",
              f"base = model.run({base!r}, **settings)",
              "result = model.run(reform, **settings)",
              "impact = budget_impact(base, result)  # reform minus baseline by fiscal year, THB",
              "print(impact.table[['government', 'fund', 'total']] / 1e9)  # THB bn"]
    return "\n".join(line for line in lines if line is not None)


def cli_commands(base: str, edited: Scenario) -> str:
    """The command lines that run the downloaded scenario file (`<name>.yaml`, saved without the app's precision)
    at the page's scale, seed and years: the reform alone, and compared with the baseline by fiscal year."""
    options = f"--scale {edited.scale:g} --seed {edited.seed} --end-year {edited.years.end}"
    return (f"python -m model run {edited.name}.yaml {options} --out {edited.name}.nc\n"
            f"python -m model compare {base} {edited.name}.yaml {options} --fiscal-years")
