"""Who each person is: the attributes the schemes need, set for the base population and advanced every year.

`initialise_attributes` gives the base population of 1 July 2023 its nationality, labour status, wage, contribution
records, civil-service record, household, income, disability and take-up propensity, calibrated to
calibration_targets.yaml. `advance_attributes` runs after the year's demography: it records the past year's
contributions, updates households (model.population.households), grows wages and incomes, moves persons between statuses, and gives the rows demography appended
(newborns and immigrants, which carry the column defaults, `propensity` unset: propensity.UNSET) their attributes.
"""

from functools import partial

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from . import (civil_service, disability, histories, households, income, labour, nationality, propensity, regions,
               wages)
from .lookup import counts_by_cell
from .persons import Persons
from .rates import load_inputs
from .status import SSF_S40
from .streams import Streams
from .targets import default_targets

HOUSEHOLD_TARGETS = ("households.elderly_alone_share", "households.elderly_spouse_only_share")
INCOME_READS = ("status", "wage", "income", "income_transitory")  # the columns but `hh` that initialise_income uses


def initialise_attributes(persons: Persons, year: int, params: ParameterTree, streams: Streams) -> None:
    """Attributes of the base population (ages and sexes set) on 1 July of `year`, each process drawing from its own
    stream of `streams` (model.population.streams)."""
    targets = default_targets()
    nationality.initialise_nationality(persons, targets, params, year, streams["nationality"])
    persons.set("propensity", propensity.draw(streams["propensity"], len(persons)))
    # the households (from sex, age and nationality) are made on a thread of their own while the labour market's
    # attributes and disability, which read no household, are drawn on this one
    inputs = load_inputs()
    household_shares = {name: targets.value(name) for name in HOUSEHOLD_TARGETS}
    grouped = threads.in_background(partial(households.build_households, persons, params, year,
                                            inputs.asfr[inputs.index(year)], household_shares, streams["households"]))
    shares = labour.base_shares(counts_by_cell(persons) * persons.scale, targets, params, year)
    persons.tables["status_shares"] = shares
    labour.initialise_status(persons, shares, streams["labour"])
    wages.initialise_wages(persons, targets, params, year, streams["wages"])
    civil_service.initialise_civil_service(persons, targets, params, year, streams["civil_service"])
    histories.initialise_histories(persons, params, year, streams["histories"])
    labour.classify_out_of_work(persons, params, year)
    histories.initialise_s33_exits(persons, shares, params, year, streams["labour"])
    disability.initialise_disability(persons, targets, streams["disability"])
    grouped.result()
    # each household's rows next to each other, so that the passes by household (from the two below on, every year)
    # read their tables nearly in order; the regions, drawn below, are not moved. The incomes, which need the
    # households but not their rows' order, are drawn meanwhile from the columns `touched` (INCOME_READS).
    persons.group_by_household(unset=("region",), touched=INCOME_READS,
                               meanwhile=partial(income.initialise_income, persons, targets, params, year,
                                                 streams["income"]))
    households.refresh_income(persons)
    regions.assign_regions(persons, params, year, streams["regions"])


def advance_attributes(persons: Persons, year: int, params: ParameterTree, wage_growth: float,
                       streams: Streams, *, inflation: float, real_growth: float) -> None:
    """From 1 July of `year` to 1 July of `year + 1`, after demography (ages advanced, rows added and removed).

    `wage_growth` is the nominal growth of wages and earnings over the year, `inflation` that of consumer prices and
    `real_growth` that of real GDP (fractions): income from outside work grows with prices and a share of real
    growth per person (model.population.income). Each process draws from its own stream of `streams`.
    """
    targets = default_targets()
    new = np.flatnonzero(persons.propensity == propensity.UNSET)
    persons.propensity[new] = propensity.draw(streams["propensity"], new.size)
    drawn = new[np.isnan(persons.income[new])]  # newborns and immigrants: income drawn after their status
    # Three strands of the year, each reading nothing the others write, on two threads. On this one: the household
    # events, the regions' moves, the ids renumbered. On a thread of their own, in order: the year's contributions,
    # service, wage and income growth, disability and the status moves with the movers' wages, officials' records
    # and section 40 options (while the household events run); then, once the households are known, their income
    # shocks (as of the statuses and wages before the moves) and the incomes the moves shift, draw or inherit (while
    # the regions' moves run). Only the shocks read the household ids, so the renumbering waits for them alone.
    population_growth = len(persons) / persons.tables["income"][4] - 1.0  # rows: scale is constant
    outside_growth = income.outside_work_growth(params, year, inflation, real_growth, population_growth)
    shares = labour.shares_in_force(persons.tables["status_shares"], params, year + 1)
    stream = {name: streams[name] for name in ("disability", "income", "labour", "wages", "civil_service",
                                               "civil_service_exit", "histories")}  # made here, read there

    def grow_and_move() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The year's records and growth, then the status moves: (rows moved, their status and wage before)."""
        histories.accrue_contributions(persons, params, year)
        civil_service.accrue_service(persons, params, year)
        wages.grow_wages(persons, params, year, wage_growth)
        income.grow_income(persons, wage_growth, outside_growth)
        disability.advance_disability(persons, stream["disability"])
        moves = labour.draw_transitions(persons, shares, params, year + 1, stream["labour"])
        rows, old_status = labour.apply_transitions(persons, *moves, params, year + 1)
        labour.record_s33_exits(persons, rows, old_status, year + 1)
        old_wage = persons.wage[rows]
        wages.draw_wages(persons, rows, params, year + 1, stream["wages"])
        civil_service.update_civil_service(persons, rows, old_status, targets, params, year + 1,
                                           stream["civil_service"], stream["civil_service_exit"])
        joined_s40 = rows[persons.status[rows] == SSF_S40]
        histories.draw_s40_option(persons, joined_s40, params, year + 1, stream["histories"])
        return rows, old_status, old_wage

    def shock(size: np.ndarray) -> None:
        income.shock_income(persons, params, year, stream["income"],
                            income.household_draws(persons, stream["income"], size), grown.result())

    def shift(mothers: np.ndarray) -> None:
        income.shift_income(persons, *grown.result(), params, year + 1)  # a NaN not drawn yet stays NaN
        income.draw_income(persons, drawn, params, year + 1, stream["income"])
        newborn = (persons.age[drawn] == 0) & (mothers >= 0)
        newborn[newborn] &= ~np.isnan(persons.income[mothers[newborn]])
        income.inherit_income(persons, drawn[newborn], mothers[newborn], params, year + 1)

    grown = threads.in_background(grow_and_move)
    # rows stay below; the members of each household id are kept for the household incomes at the end
    index, size, moves = households.advance_households(persons, params, year, streams["households"])
    mothers = households.linked_rows(persons, persons.mother[drawn], index)  # the drawn rows' mothers' rows
    del index  # its last reader this year: the whole index freed (a view holds it), rebuilt by next year's households
    persons.forget_row_of_pid()  # (peak memory)
    shocked = threads.in_background(partial(shock, size))  # the ids before the renumbering below
    shifted = threads.in_background(partial(shift, mothers))
    regions.advance_regions(persons, moves, params, year, streams["regions"], size)
    del moves  # its last reader
    shocked.result()
    # the emptied households' ids dropped, so that the arrays by id (and the income shocks drawn by id) are as long
    # as the households, not the ids ever given (a fifth more by 2037: peak memory and time)
    size = households.renumber(persons, size)
    shifted.result()
    households.refresh_income(persons, size)
