"""Compiled per-row passes of the yearly people layer (numba): each fuses several numpy passes over the rows into one.

They do only integer, comparison and float32 arithmetic (+, −, ×, ÷ in the order numpy did them), so they give
bit for bit what the numpy code did; logarithms, exponentials and the inverse normal stay with numpy and scipy,
whose results the compiled ones could differ from in the last bit. Compiled on first use and cached on disk.
"""

import numpy as np

from ..compiled import inline_kernel, kernel



@kernel
def income_shock_prepare(income: np.ndarray, floor: np.float32, tiny: np.float32, status: np.ndarray,
                         wage: np.ndarray, employed_below: int, reference: np.float32, out: np.ndarray) -> None:
    """out[:n] = max(income − floor, tiny) (NaN stays NaN) and out[n:] = wage / reference for the employed rows
    (status codes below `employed_below`) with a wage, 1 for the others, for the n rows of a block
    (model.population.income.shock_income)."""
    n = income.size
    one = np.float32(1.0)
    for i in range(n):
        x = income[i] - floor
        out[i] = tiny if x < tiny else x
        w = wage[i]
        out[n + i] = w / reference if (status[i] < employed_below) & (w > 0) else one


@kernel
def gather_pairs(index: np.ndarray, first: np.ndarray, second: np.ndarray, out: np.ndarray) -> None:
    """out[:n] = first[index] and out[n:] = second[index] for the n entries of `index` (a household's draws for
    each of its members)."""
    n = index.size
    for i in range(n):
        j = index[i]
        out[i] = first[j]
        out[n + i] = second[j]


@kernel
def sorted_repeated(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """np.repeat(values[order], counts[order]) with order = np.argsort(values), for non-negative float64 values
    (model.population.income's pooled household incomes, each repeated by its members): a stable radix sort of
    their bits, whose order is that of non-negative floats, 11 bits a pass. Equal values are equal bits, so any
    order among them gives the same array."""
    n = values.size
    bits = values.view(np.uint64)
    order = np.arange(n)
    spare = np.empty(n, dtype=np.int64)
    digit = np.empty(n, dtype=np.int64)
    for shift in range(0, 64, 11):
        starts = np.zeros(2049, dtype=np.int64)
        for i in range(n):
            d = np.int64((bits[order[i]] >> np.uint64(shift)) & np.uint64(0x7FF))
            digit[i] = d
            starts[d + 1] += 1
        for d in range(2048):
            starts[d + 1] += starts[d]
        for i in range(n):
            spare[starts[digit[i]]] = order[i]
            starts[digit[i]] += 1
        order, spare = spare, order
    out = np.empty(counts.sum(), dtype=np.float64)
    k = 0
    for i in range(n):
        v = values[order[i]]
        for _ in range(counts[order[i]]):
            out[k] = v
            k += 1
    return out


N_TABLE = 9  # entries of income_shock_apply's status table: the labour statuses


@kernel
def income_shock_apply(logs: np.ndarray, draws: np.ndarray, status: np.ndarray, wage: np.ndarray,
                       employed_below: int, table: np.ndarray, pooling: np.float32, mu: np.float32,
                       rho: np.float32, transitory: np.ndarray) -> None:
    """The year's shock to log income above the floor, in place of logs[:n] (the logs of `income_shock_prepare`'s
    values), and the new transitory deviation in place of `transitory` (kept where the result is NaN): with the
    status shift (pooling × logs[n + i] for the employed with a wage, else table[status]) the persistent
    z = log above − mu − shift − e becomes rho × z + draws[i] and e becomes draws[n + i]. The table is read by
    comparisons rather than by index, so that the loop runs on vectors."""
    n = transitory.size
    for i in range(n):
        s = status[i]
        by_status = table[0]
        for k in range(1, N_TABLE):
            by_status = table[k] if s == k else by_status
        shift = pooling * logs[n + i] if (s < employed_below) & (wage[i] > 0) else by_status
        e = transitory[i]
        persistent = logs[i] - mu
        persistent = persistent - shift
        persistent = persistent - e
        change = rho * persistent
        change = change + draws[i]
        new_e = draws[n + i]
        change = change - persistent
        change = change + (new_e - e)
        x = logs[i] + change
        logs[i] = x
        transitory[i] = e if x != x else new_e  # x != x: NaN


@inline_kernel
def _status_cell_key(thai: bool, sex: int, age: int, status: int, n_ages: int, n_statuses: int) -> int:
    """((thai × 2 + sex) × n_ages + age) × n_statuses + status: a row's index into a raveled [cell, status] array."""
    return ((int(thai) * 2 + int(sex)) * n_ages + int(age)) * n_statuses + int(status)


@kernel
def status_cell_keys(thai: np.ndarray, sex: np.ndarray, age: np.ndarray, status: np.ndarray, n_ages: int,
                     n_statuses: int, key: np.ndarray) -> None:
    """key[i] = each row's `_status_cell_key` (int16; model.population.labour.draw_transitions)."""
    for i in range(key.size):
        key[i] = _status_cell_key(thai[i], sex[i], age[i], status[i], n_ages, n_statuses)


@kernel
def count_status_cells(thai: np.ndarray, sex: np.ndarray, age: np.ndarray, status: np.ndarray, n_ages: int,
                       n_statuses: int, counts: np.ndarray) -> None:
    """counts[k] += 1 for each row's key k (`_status_cell_key`), the keys not kept."""
    for i in range(thai.size):
        counts[_status_cell_key(thai[i], sex[i], age[i], status[i], n_ages, n_statuses)] += 1


@kernel
def leavers(u: np.ndarray, key: np.ndarray, leave: np.ndarray, cumulative: np.ndarray, n_groups: int, start: int,
            rows: np.ndarray, groups: np.ndarray) -> int:
    """The rows (start + position) whose draw u is below their key's probability of leaving, and the group each goes
    to: the number of its key's cumulative probabilities at or below u, by a binary search over the first
    n_groups − 1 (a power of two; u is below the last); writes them to the front of `rows` and `groups`, returns
    how many (model.population.labour.draw_moves)."""
    m = 0
    for i in range(u.size):  # without a branch: the row is written at the front and kept if it leaves
        rows[m] = start + i
        m += u[i] < leave[key[i]]
    for j in range(m):
        i = rows[j] - start
        x = u[i]
        base = key[i] * n_groups
        group = 0
        half = n_groups // 2
        while half:
            if cumulative[base + group + half - 1] <= x:
                group += half
            half //= 2
        groups[j] = group
    return m


@kernel
def grow_wages(wage: np.ndarray, cell: np.ndarray, status: np.ndarray, cs_record: np.ndarray,
               state_employee: np.ndarray, step: np.ndarray, civil_servant: int, civil_factor: np.ndarray,
               official_factor: np.ndarray, officials: bool) -> None:
    """wage × step[cell] for every row, then × civil_factor[cell] for civil servants and, with `officials`,
    × official_factor[cell] for those who are not state employees (model.population.wages.grow_wages).
    `state_employee`: [record] the civil-service records' flag, row i's at cs_record[i] (-1: none, not one)."""
    for i in range(wage.size):
        c = cell[i]
        w = wage[i] * step[c]
        if status[i] == civil_servant:
            w = w * civil_factor[c]
            r = cs_record[i]
            if officials and not (r >= 0 and state_employee[r]):
                w = w * official_factor[c]
        wage[i] = w


@kernel
def accrue_contributions(status: np.ndarray, wage: np.ndarray, average: np.ndarray, s33_months: np.ndarray,
                         s39_months: np.ndarray, s40_months: np.ndarray, s33: int, s39: int, s40: int,
                         floor: np.float32, ceiling: np.float32, deemed: np.float32, most_earlier: float) -> None:
    """A year of section 33, 39 and 40 membership (model.population.histories.accrue_contributions): 12 more
    months in the member's section, and for sections 33 and 39 the average insurable wage moved towards the
    year's (the wage within floor and ceiling, or the deemed wage) as (avg × n + wage × 12) / (n + 12), n the
    earlier section 33 and 39 months, at most `most_earlier`."""
    twelve = np.float32(12.0)
    for i in range(status.size):  # without branches, which the mix of statuses would mispredict
        s = status[i]
        in33, in39 = s == s33, s == s39
        w = wage[i]
        w = floor if w < floor else w
        w = ceiling if w > ceiling else w
        w = deemed if in39 else w
        earlier = np.float32(min(float(np.int32(s33_months[i]) + np.int32(s39_months[i])), most_earlier))
        updated = (average[i] * earlier + w * twelve) / (earlier + twelve)
        average[i] = updated if (in33 or in39) else average[i]
        s33_months[i] += np.int16(12 * in33)
        s39_months[i] += np.int16(12 * in39)
        s40_months[i] += np.int16(12 * (s == s40))


@kernel
def below_threshold(u: np.ndarray, threshold: np.ndarray, keys: np.ndarray, start: int, out: np.ndarray) -> int:
    """Writes start + i for the draws u[i] below threshold[keys[i]] to the front of `out`, in order; returns how
    many (model.population.sampling.uniform_rows)."""
    m = 0
    for i in range(u.size):  # without a branch: the row is written and kept if picked
        out[m] = start + i
        m += u[i] < threshold[keys[i]]
    return m


@kernel
def categorical_search(keys: np.ndarray, u: np.ndarray, bounds: np.ndarray, g: int, out: np.ndarray) -> bool:
    """The category of each row (model.population.sampling.categorical): out[i] = the number of its key's first
    g − 1 bounds, bounds[keys[i] × g + j] for j < g − 1, at or below x = keys[i] + u[i] (float64). Those bounds
    increase, so this count is what a binary search over them finds; counted without branches. False, with
    nothing written, when some x reaches its key's last bound key + 1 (the caller then searches all bounds)."""
    for i in range(keys.size):
        key = np.int64(keys[i])
        if np.float64(key) + np.float64(u[i]) >= key + 1:
            return False
    for i in range(keys.size):
        key = np.int64(keys[i])
        x = np.float64(key) + np.float64(u[i])
        start = key * g
        count = 0
        for j in range(g - 1):
            count += bounds[start + j] <= x
        out[i] = count
    return True


@kernel
def splitmix_uniforms(key: np.uint64, rows: np.ndarray, out: np.ndarray) -> None:
    """out[i] = ((SplitMix64 output number rows[i] + 1 of the sequence keyed by `key`) >> 11 + 0.5) × 2⁻⁵³: the
    float64 uniform of model.population.streams.row_uniforms, in one pass."""
    golden = np.uint64(0x9E3779B97F4A7C15)
    mix1, mix2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
    scale = 2.0 ** -53
    for i in range(rows.size):
        z = key + (np.uint64(rows[i]) + np.uint64(1)) * golden
        z = (z ^ (z >> np.uint64(30))) * mix1
        z = (z ^ (z >> np.uint64(27))) * mix2
        z = z ^ (z >> np.uint64(31))
        out[i] = (np.float64(z >> np.uint64(11)) + 0.5) * scale


@kernel
def others_and_flagged(keys: np.ndarray, thai: np.ndarray, flag: np.ndarray, counts: np.ndarray,
                       rows: np.ndarray) -> None:
    """In one pass, counts[keys[i]] += 1 for the rows not `thai` (np.bincount of their keys) and the rows where
    `flag` is True written to `rows` in order (np.flatnonzero(flag); `rows` has room for them all)."""
    m = 0
    for i in range(keys.size):
        if not thai[i]:
            counts[keys[i]] += 1
        if flag[i]:
            rows[m] = i
            m += 1


@kernel
def accrue_service(status: np.ndarray, record: np.ndarray, civil_servant: int, wage: np.ndarray,
                   service: np.ndarray, salary: np.ndarray, last_salary: np.ndarray, most_earlier: np.float32) -> int:
    """A year of service for civil servants (model.population.civil_service.accrue_service), in their records
    (`record`: the rows' indices into the civil-service records' service, salary and last_salary): the salary
    average moves to (avg × n + wage × 12) / (n + 12), n = min(12 × service, most_earlier) months, the last salary
    becomes the wage, service grows by a year. Returns the number of civil servants without a record (-1), left
    alone."""
    twelve = np.float32(12.0)
    one = np.float32(1.0)
    lacking = 0
    for i in range(status.size):
        if status[i] == civil_servant:
            r = record[i]
            if r < 0:
                lacking += 1
                continue
            years = service[r]
            earlier = twelve * years
            earlier = most_earlier if earlier > most_earlier else earlier
            salary[r] = (salary[r] * earlier + wage[i] * twelve) / (earlier + twelve)
            last_salary[r] = wage[i]
            service[r] = years + one
    return lacking


@kernel
def code_counts(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """[code] rows of each code 0..n_codes-1 (np.bincount(codes, minlength=n_codes)), of a block of rows."""
    counts = np.zeros((4, n_codes), dtype=np.intp)  # four lanes: rows of one code often follow each other
    for i in range(codes.size):
        counts[i & 3, codes[i]] += 1
    return counts[0] + counts[1] + counts[2] + counts[3]


@kernel
def place_rows(codes: np.ndarray, start: int, position: np.ndarray, order: np.ndarray) -> None:
    """order[position[c]] = start + i for each row i of a block of `codes` (c its code), position[c] moving on by
    one each time: a block's part of a counting sort, given where its rows of each code go (lookup.grouped)."""
    for i in range(codes.size):
        c = codes[i]
        order[position[c]] = start + i
        position[c] += 1


@kernel
def nth_true(mask: np.ndarray, positions: np.ndarray, out: np.ndarray) -> None:
    """out[j] = the row of the positions[j]-th true value of `mask` (counted from 0; `positions` ascending, each
    below the number of true values). Eight rows at a time: the trues of a word of eight bools are counted at once
    (their bytes summed by one multiplication), and only a word holding a wanted true is looked at row by row."""
    if positions.size == 0:
        return
    flags = mask.view(np.uint8)
    n_words = flags.size >> 3
    words = flags[:n_words * 8].view(np.uint64)
    ones = np.uint64(0x0101010101010101)
    j = 0
    c = 0  # trues before the current row
    target = positions[0]
    for w in range(n_words + 1):
        first = w * 8
        last = min(first + 8, flags.size)
        if w < n_words:
            count = np.int64((words[w] * ones) >> np.uint64(56))
            if c + count <= target:  # the wanted true is after this word
                c += count
                continue
        for i in range(first, last):
            if flags[i]:
                while positions[j] == c:
                    out[j] = i
                    j += 1
                    if j == positions.size:
                        return
                target = positions[j]
                c += 1
