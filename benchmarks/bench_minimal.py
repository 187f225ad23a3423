"""The whole model against a deliberately minimal numpy model of the same rows and years, side by side in one process.

The minimal model is what any microsimulation of this population must do at least: rows of persons by sex and age
(from the same WPP base population and scale), each year ageing, deaths drawn from the same death rates, births
from the same fertility rates, one allowance (600 THB/month from age 60) and one contribution (5% of 15,000 THB/month
for ages 15-59), and the year's totals. It has no statuses, wages, histories, schemes or fiscal layer: the ratio of
its row-years per second to the whole model's says how close the model is to the plain-numpy limit.

Usage: python benchmarks/bench_minimal.py [--scale 10] [--end-year 2037] [--repeat 3]
"""

import argparse
import platform
import time

import numpy as np

from model.api import resolve
from model.population.axes import N_AGES
from model.population.rates import load_inputs
from model.population.synthesis import base_persons
from model.simulation import SocialSecurityModel

ALLOWANCE = 600.0 * 12  # THB/year from age 60
CONTRIBUTION = 0.05 * 15_000.0 * 12  # THB/year for ages 15-59


def minimal_run(scale: float, end_year: int, seed: int = 1) -> tuple[int, int, float, float]:
    """(rows at the start, row-years stepped, seconds with set-up, net cost over the years in THB) of the minimal
    model."""
    start = time.perf_counter()
    inputs = load_inputs()
    persons, _ = base_persons(inputs.base_population, scale)
    sex, age = persons.sex.astype(np.int8), persons.age.astype(np.int16)
    rows0, row_years, net_cost = sex.size, 0, 0.0
    rng = np.random.default_rng(seed)
    for year in range(int(inputs.years[0]), end_year + 1):
        i = inputs.index(year)
        row_years += sex.size
        net_cost += ALLOWANCE * scale * np.count_nonzero(age >= 60)
        net_cost -= CONTRIBUTION * scale * np.count_nonzero((age >= 15) & (age < 60))
        q = 1.0 - np.exp(-inputs.mx[i])  # [sex, age] death probability over the year
        alive = rng.random(sex.size) >= q[sex, age]
        mothers = (sex == 1) & (rng.random(sex.size) < inputs.asfr[i][age])
        n_births = np.count_nonzero(mothers & alive)
        sex, age = sex[alive], np.minimum(age[alive] + 1, N_AGES - 1).astype(np.int16)
        newborn_sex = (rng.random(n_births) >= inputs.male_birth_share[i]).astype(np.int8)
        sex, age = np.concatenate([sex, newborn_sex]), np.concatenate([age, np.zeros(n_births, dtype=np.int16)])
    return rows0, row_years, time.perf_counter() - start, net_cost


def model_run(scale: float, end_year: int, seed: int = 1) -> tuple[int, int, float]:
    """(rows at the start, row-years stepped, seconds with set-up) of the whole model (no fiscal layer)."""
    start = time.perf_counter()
    model = SocialSecurityModel(resolve("baseline", scale=scale, seed=seed, end_year=end_year))
    rows0, row_years = len(model.persons), 0
    for _ in range(end_year - 2023 + 1):
        row_years += len(model.persons)
        model.step()
    return rows0, row_years, time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=10)
    p.add_argument("--end-year", type=int, default=2037)
    p.add_argument("--repeat", type=int, default=3, help="runs of each (the fastest is reported)")
    args = p.parse_args()
    load_inputs()  # data preparation is cached per process and is not part of either run
    minimal_run(1000, args.end_year)
    model_run(1000, args.end_year)  # first readings of parameter files, outside the timings
    runs = {"minimal": [], "model": []}
    for _ in range(args.repeat):  # interleaved, so both see the same machine
        runs["minimal"].append(minimal_run(args.scale, args.end_year))
        runs["model"].append(model_run(args.scale, args.end_year))
    print(f"# {platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"scale {args.scale:g}, 2023-{args.end_year}, set-up included, fastest of {args.repeat}")
    print("| model | rows | seconds | row-years/s |")
    print("|---|---|---|---|")
    speed = {}
    for name, results in runs.items():
        rows0, row_years, seconds = min(results, key=lambda r: r[2])[:3]
        speed[name] = row_years / seconds
        print(f"| {name} | {rows0:,} | {seconds:.2f} | {speed[name] / 1e6:.1f} M |")
    print(f"\nwhole model ÷ minimal model, row-years per second: {speed['model'] / speed['minimal']:.0%}")


if __name__ == "__main__":
    main()
