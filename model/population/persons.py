"""The agent population as a columnar table: one numpy array per attribute, one row per `scale` persons.

All columns are declared once in COLUMNS with their dtype, the value new rows get, and whether a newborn
copies it from the mother. Rules operate on whole columns; no Python object exists per person. Row order carries
no meaning (the base population's rows are grouped by household for speed, `group_by_household`, and the order
decays from there): removing rows moves the last rows into the gaps, and each column is a view of a buffer with spare
room at the end, so that the yearly deaths, births and migrants cost in proportion to their number, not to the
population's size. Large buffers are memory mappings of their own, outside the heap where the steps' temporaries
come and go (model.allocator): a column made or grown mid-run never pins the heap's top above freed temporaries,
so the peak memory stays that of the arrays alive at once. Values that only a few percent of rows have are kept
apart in compact side tables of records (`Records`), each found through one int32 column, not in full-length
columns: the civil-service record (CS_FIELDS: six float32 amounts and the four flags of civil servants and former
ones; 28 bytes a row less the index's 4, and 32 bytes a record) and the SSF benefit record (SSF_FIELDS: the old-age
pension and the years of the old-age claims and of the latest exit from section 33 employment; 12 bytes a row less
the index's 4, and 16 bytes a record). The table has 57 bytes a row (89 with those values as columns). Rules that
need a flag for every row build the mask from the records (`Persons.flag_mask`); those that concern only rows with a
record work on the records' rows (`Records.rows_where`). A value that every member of a household shares is kept
once a household, in `tables` by household id, not in every row (the household's income per person:
model.population.households.income_per_person).
"""

import mmap
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from .. import threads
from ..compiled import kernel
from . import propensity
from .axes import MAX_AGE, N_AGES

GROWTH = 1.1  # every buffer is allocated with 10% spare rows at the end, and reallocated so when full
MAPPED_BYTES = 1 << 24  # buffers of at least this many bytes (16 MiB) are mappings of their own


@dataclass(frozen=True)
class Column:
    """Declaration of one person attribute."""

    dtype: type
    default: float
    description: str
    inherited: bool = False  # newborns copy the mother's value
    encode: Callable[[np.ndarray], np.ndarray] | None = None  # codes values given as floating-point numbers


COLUMNS: dict[str, Column] = {
    "age": Column(np.int16, 0, "completed years of age on 1 July (100 means 100 and over)"),
    "sex": Column(np.int8, 0, "0 male, 1 female"),
    "thai": Column(np.bool_, False, "Thai national (newborns copy the mother's, then the birth rule of "
                   "nationality.newborn_thai applies; immigrants are not Thai, returning Thai emigrants are)",
                   inherited=True),
    "migrant_worker": Column(np.bool_, False, "registered non-Thai migrant worker, who returns home in time "
                             "(model.population.migration); newborns are not"),
    "status": Column(np.int8, 7, "labour status, an index into model.population.status.STATUSES (7 = child)"),
    "wage": Column(np.float32, 0.0, "monthly wage or earnings, THB/month (0 when not working)"),
    "s33_months": Column(np.int16, 0, "months of section 33 contributions (never decreases)"),
    "s39_months": Column(np.int16, 0, "months of section 39 contributions (never decreases)"),
    "s40_months": Column(np.int16, 0, "months of section 40 contributions (never decreases)"),
    "avg_insurable_wage": Column(np.float32, 0.0, "average insurable wage of the last 60 contribution months under "
                                 "sections 33/39 (THB/month, each month within its floor and ceiling)"),
    "s40_option": Column(np.int8, 0, "section 40 option of the latest membership: 0 never a member, else 1, 2 or 3"),
    "cs_record": Column(np.int32, -1, "index of the person's civil-service record in `Persons.cs` (CS_FIELDS); "
                        "-1: none, every civil-service value 0 (never a civil servant, state pensioner or gratuity "
                        "taker)"),
    "ssf_record": Column(np.int32, -1, "index of the person's SSF benefit record in `Persons.ssf` (SSF_FIELDS); -1: "
                         "none, every SSF benefit value 0 (never claimed an old-age benefit nor left section 33 "
                         "employment into unemployment)"),
    "pid": Column(np.int32, -1, "person id, unique over the run (given by `Persons` to every new row); links name it"),
    "hh": Column(np.int32, -1, "household id (model.population.households; newborns join the mother's household)",
                 inherited=True),
    "mother": Column(np.int32, -1, "pid of the mother (-1: not known or not in the population)"),
    "partner": Column(np.int32, -1, "pid of the partner in a co-resident union (-1: none)"),
    "income": Column(np.float32, np.nan, "the person's income counted in the household's income, THB/year "
                     "(model.population.income; NaN marks rows not given one yet)"),
    "income_transitory": Column(np.float32, 0.0, "transitory log deviation of the part of `income` above income "
                                "from outside work (log points; model.population.income)"),
    "region": Column(np.int8, -1, "region of residence, an index into model.population.regions.REGIONS, shared by the "
                     "household (-1: not given one yet)", inherited=True),
    "disabled": Column(np.bool_, False, "holds a disability identity card (registered disability)"),
    "propensity": Column(np.uint16, propensity.UNSET,
                         "fixed U(0,1) draw for persistent take-up, as a code (model.population.propensity; values "
                         "given as fractions are coded); propensity.UNSET marks rows not yet given their attributes",
                         encode=propensity.encode),
}

# The civil-service record: values only current and former civil servants have (a few percent of rows), kept in a
# side table (`Persons.cs`, a `Records`) that the person table's column `cs_record` points into, not in full-length
# columns. Names as the person table's columns had them; a row without a record has 0 (False) in each, so a row
# with a value other than 0 (a flag set) always has a record.
CS_FIELDS: dict[str, Column] = {
    "service_years": Column(np.float32, 0.0, "civil-service years of service (kept after leaving)"),
    "cs_salary": Column(np.float32, 0.0, "civil-service average salary of the last 60 months of service, THB/month"),
    "cs_pension": Column(np.float32, 0.0, "civil-service pension in payment, THB/month (0 = none yet)"),
    "cs_last_salary": Column(np.float32, 0.0, "civil-service salary of the last month of service, THB/month"),
    "cs_living_gratuity": Column(np.float32, 0.0, "living gratuity received so far by a state pensioner, THB"),
    "cs_gratuity_due": Column(np.float32, 0.0, "one-off civil-service gratuity due this year instead of a pension, "
                              "THB (0 = none)"),
    "state_employee": Column(np.bool_, False,
                             "civil servant (or retired one) employed as a state employee, not an official"),
    "state_pensioner": Column(np.bool_, False, "retired civil servant drawing a state pension"),
    "gpf_member": Column(np.bool_, False, "official (or retired one) who is a Government Pension Fund member"),
    "local_official": Column(np.bool_, False, "official (or retired one) of a local government: outside the GPF and "
                             "the central budget's pensions"),
}


# The SSF benefit record: the old-age claims of sections 33/39 and 40 and the latest move from section 33 employment
# into unemployment, which a few percent of rows have (6% in 2023, 17% by 2037), kept in `Persons.ssf` (found through
# the column `ssf_record`) as the civil-service record is. A row without a record has 0 in each.
SSF_FIELDS: dict[str, Column] = {
    "ssf_pension": Column(np.float32, 0.0, "SSF old-age pension entitlement (sections 33/39), THB/month; 0 = none; "
                          "kept while suspended on re-employment"),
    "ssf_pension_start": Column(np.int16, 0, "calendar year the SSF old-age pension was first paid (0 = never)"),
    "ssf_lump_sum_year": Column(np.int16, 0, "calendar year the SSF section 33/39 old-age lump sum was paid "
                                "(0 = never)"),
    "s33_left_year": Column(np.int16, 0, "calendar year on whose 1 July the person was unemployed after section 33 "
                            "employment a year earlier (0 = never; the latest such move)"),
    "s40_lump_sum_year": Column(np.int16, 0, "calendar year the section 40 old-age lump sum was paid (0 = never)"),
}

# The side tables of records: name (the `Persons` attribute holding them) -> (index column, fields).
RECORD_TABLES: dict[str, tuple[str, dict[str, Column]]] = {
    "cs": ("cs_record", CS_FIELDS),
    "ssf": ("ssf_record", SSF_FIELDS),
}
TABLE_OF: dict[str, str] = {name: table for table, (_, fields) in RECORD_TABLES.items() for name in fields}
INDEX_COLUMNS: tuple[str, ...] = tuple(index for index, _ in RECORD_TABLES.values())


COUNT_BLOCK = 1 << 18  # rows whose codes `bincount` counts at once
SPARSE = 4  # a column with at most 1/SPARSE of its rows off its default is regrouped by those rows only


def bincount(codes: np.ndarray, n_codes: int, mask: np.ndarray | None = None) -> np.ndarray:
    """np.bincount(codes if mask is None else codes[mask], minlength=n_codes) of small non-negative integer codes
    (all below n_codes), counted by blocks of rows: numpy's bincount first copies narrow codes to intp, 8 bytes a
    row (and the mask's selection would be another copy). Integer counts: the same in any order."""
    counts = np.zeros(n_codes, dtype=np.intp)
    for start in range(0, codes.size, COUNT_BLOCK):
        part = codes[start:start + COUNT_BLOCK]
        if mask is not None:
            part = part[mask[start:start + COUNT_BLOCK]]
        counts += np.bincount(part, minlength=n_codes)
    return counts


def _empty(dtype: type, rows: int) -> np.ndarray:
    """An uninitialised buffer for `rows` rows with spare room (GROWTH) at the end: from MAPPED_BYTES, private
    anonymous mapped memory (zero pages, resident only once written, returned to the system when the buffer is
    dropped; private pages fault in faster than shared ones, and no forked process could write into them)."""
    size = int(rows * GROWTH) + 1
    nbytes = size * np.dtype(dtype).itemsize
    if nbytes < MAPPED_BYTES:
        return np.empty(size, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS), dtype=dtype, count=size)


def _reserve(dtype: type, rows: int) -> np.ndarray:
    """An empty record buffer for a table of `rows` rows: when room for `rows` records would be a mapping
    (MAPPED_BYTES), that room from the start (address space only: its pages become resident once written), so that
    the buffer never moves as records are added, nor holds the old and the new copy at once (peak memory); else an
    empty heap buffer that grows as records are added (`_room`)."""
    if rows * GROWTH * np.dtype(dtype).itemsize >= MAPPED_BYTES:
        return _empty(dtype, rows)
    return _empty(dtype, 0)


def _release_past(buffer: np.ndarray, rows: int) -> None:
    """Discard the whole pages of `buffer` past its first `rows` rows when it is a mapping of its own (`_empty`):
    they read as zeros afterwards, resident again only once written."""
    mapping = buffer.base.obj if isinstance(buffer.base, memoryview) else None
    if not isinstance(mapping, mmap.mmap) or not hasattr(mapping, "madvise"):
        return
    start = -(-rows * buffer.itemsize // mmap.PAGESIZE) * mmap.PAGESIZE
    if start < len(mapping):
        mapping.madvise(mmap.MADV_DONTNEED, start, len(mapping) - start)


def _stored(spec: Column, values: object) -> object:
    """`values` as column `spec` keeps them: coded (`spec.encode`) when the column has a coding and they are given
    as floating-point numbers."""
    if spec.encode is not None and np.asarray(values).dtype.kind == "f":
        return spec.encode(values)
    return values


def _own(buffer: np.ndarray) -> bool:
    """Whether `buffer` is a whole buffer made by `_empty` (not a view of one)."""
    return buffer.base is None or isinstance(buffer.base, memoryview)


def mapped_copy(values: np.ndarray) -> np.ndarray:
    """A copy of `values` (1-d) in a buffer of its own, outside the heap from MAPPED_BYTES as the columns' buffers:
    for a large array kept between steps (a table by household), which would otherwise pin the heap's pages."""
    return _filled(values, values.dtype, values.size)[:values.size]


def _filled(values: object, dtype: type, rows: int) -> np.ndarray:
    """A buffer with spare room whose first `rows` rows hold `values` (an array or a scalar), cast to dtype."""
    buffer = _empty(dtype, rows)
    buffer[:rows] = values
    return buffer


def _room(buffer: np.ndarray, used: int, extra: int) -> np.ndarray:
    """`buffer` if it is its own memory with room for `extra` more rows after `used`, else a larger copy."""
    if _own(buffer) and used + extra <= buffer.size:
        return buffer
    grown = _empty(buffer.dtype, used + extra)
    grown[:used] = buffer[:used]
    return grown


def _no_record_index(values: dict[str, object]) -> None:
    """Refuse a record index (`cs_record`, `ssf_record`) among given values: the table keeps it with its records
    (give the records' values, CS_FIELDS or SSF_FIELDS)."""
    for index in INDEX_COLUMNS:
        if index in values:
            raise ValueError(f"{index} is kept by the person table with its records: give the records' values "
                             "(CS_FIELDS, SSF_FIELDS) instead")


class Records:
    """A compact side table of records with the fields `fields` (CS_FIELDS: the civil-service record; SSF_FIELDS:
    the SSF benefit record), one record per person who has ever needed one, found through an int32 column of the
    person table (`cs_record`, `ssf_record`); `records.cs_salary[r]` is record r's average salary. Values that only
    a few percent of rows have cost 4 bytes a row (the index) and a record's bytes per record, not their bytes on
    every row.

    Records are appended when a row first needs one (`Persons.records_for`) into buffers with spare room, as the
    person table's; a buffer that is a mapping (`_reserve`) has room for a record for every row of the table from
    the start, so it never moves as records are added. Records stay where they are while their person lives; `row`
    points back to the person's row (`Persons.drop` keeps it), -1 once the person is gone. Such dead records stay
    until they are more than half of all records; then `compact` moves the living ones down, in order, and the
    person table renews its indices.
    """

    def __init__(self, fields: dict[str, Column], rows: int = 0) -> None:
        self.size = 0  # records in use, dead ones included
        self.dead = 0  # records whose person is gone
        self._buffers = {name: _reserve(spec.dtype, rows) for name, spec in fields.items()}
        self._row = _reserve(np.int32, rows)

    def __getattr__(self, name: str) -> np.ndarray:
        buffers = self.__dict__.get("_buffers")  # absent while pickle or copy rebuilds the object
        if buffers is None or name not in buffers:
            raise AttributeError(name)
        return buffers[name][:self.size]

    @property
    def row(self) -> np.ndarray:
        """[record] the row of the record's person, -1 for a dead record (int32)."""
        return self._row[:self.size]

    def add(self, rows: np.ndarray) -> np.ndarray:
        """New records, each value 0, for the persons at `rows`; their indices (int32)."""
        start, n = self.size, len(rows)
        for name, buffer in self._buffers.items():
            buffer = self._buffers[name] = _room(buffer, start, n)
            buffer[start:start + n] = 0.0
        self._row = _room(self._row, start, n)
        self._row[start:start + n] = rows
        self.size += n
        return np.arange(start, start + n, dtype=np.int32)

    def forget(self, records: np.ndarray) -> None:
        """Mark the records of persons who left the table as dead."""
        self._row[records] = -1
        self.dead += len(records)

    def compact(self) -> None:
        """Move the living records down over the dead ones, keeping their order (the caller renews the indices)."""
        live = np.flatnonzero(self.row >= 0)
        for buffer in (*self._buffers.values(), self._row):
            buffer[:live.size] = buffer[live]
        self.size, self.dead = live.size, 0

    def rename_rows(self, new_row: np.ndarray) -> None:
        """The persons' rows renamed (`new_row`: [old row] its new row; no dead record) and the records put in the
        order of their new rows (the caller renews the indices)."""
        rows = new_row[self.row]
        by_row = np.argsort(rows, kind="stable")  # a few % of the table's rows
        for buffer in self._buffers.values():
            buffer[:self.size] = buffer[by_row]
        self.row[:] = rows[by_row]

    def rows_of(self, mask: np.ndarray) -> np.ndarray:
        """Rows, in the records' order, of the persons whose record meets `mask` ([record] bool; a dead record's row,
        -1, left out; int32): for setting them in a mask, where their order does not matter."""
        rows = self.row[mask]
        return rows[rows >= 0]

    def rows_where(self, mask: np.ndarray) -> np.ndarray:
        """Rows, ascending, of the persons whose record meets `mask` ([record] bool, e.g. `cs_pension > 0`; intp):
        sorted as int32 (a new array, in place: twice as fast as intp), then widened."""
        rows = self.rows_of(mask)
        rows.sort()
        return rows.astype(np.intp)


class Persons:
    """Columnar person table; `persons.age` is the age column, `len(persons)` the number of rows.

    `tables` holds population-level arrays kept between steps (for example the current median wage by status,
    sex and age); they are not per row and removing or adding rows leaves them alone.

    The civil-service values (CS_FIELDS) are records in `cs`, row i's at `cs_record[i]`, and the SSF benefit values
    (SSF_FIELDS) records in `ssf`, row i's at `ssf_record[i]` (each a `Records`): read and write them as `records =
    persons.cs_records(rows)` (`ssf_records`), then `persons.cs.cs_salary[records]` (in two statements: a new
    record may move the fields' buffers). Set a value other than 0 only so, which gives the row a record (setting 0
    needs none: write it only to rows that have one). `columns` (like `append`'s values) may give them as
    full-length columns; rows with a value other than 0 get a record. `values_of` and `as_columns` spell them out
    per row, `flag_mask` a civil-service flag's full-length mask, `record_mask` that of any test of a table's records.
    """

    def __init__(self, columns: dict[str, np.ndarray], scale: float):
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns differ in length: {lengths}")
        _no_record_index(columns)
        unknown = sorted(set(columns) - set(COLUMNS) - set(TABLE_OF))
        if unknown:
            raise ValueError(f"unknown person column {unknown[0]!r} (columns: model.population.persons.COLUMNS and "
                             "the records' fields; the household's income per person is set by "
                             "households.refresh_income)")
        self.scale = float(scale)
        self.tables: dict[str, np.ndarray] = {}
        n = next(iter(lengths), 0)
        self.next_pid = n  # the pid the next appended row gets
        buffers: list[np.ndarray] = [np.empty(0)] * len(COLUMNS)

        def fill(i: int, item: tuple[str, Column]) -> None:  # the columns' fresh pages, on threads
            name, spec = item
            buffers[i] = _filled(_stored(spec, columns.get(name, spec.default)), spec.dtype, n)

        threads.for_each(fill, list(COLUMNS.items()))
        self._buffers = dict(zip(COLUMNS, buffers))
        self.columns = {name: buffer[:n] for name, buffer in self._buffers.items()}
        if "pid" not in columns:  # 0 .. n - 1, by blocks: no whole-length arange besides the column
            for start in range(0, n, COUNT_BLOCK):
                stop = min(start + COUNT_BLOCK, n)
                self.columns["pid"][start:stop] = np.arange(start, stop, dtype=np.int32)
        else:
            self.next_pid = int(self.columns["pid"].max(initial=-1)) + 1
        self.cs = Records(CS_FIELDS, n)
        self.ssf = Records(SSF_FIELDS, n)
        self._add_records(columns, 0, n)
        self._rows_of_pids: np.ndarray | None = None  # buffer behind `row_of_pid()`, or None when not built
        self._rows_of_pids_for = -1  # the next_pid it was built for (next_pid changed from outside: rebuild)
        self._rows_by_cell: np.ndarray | None = None  # [cell] rows in each sex-age cell, or None until counted

    def __len__(self) -> int:
        return len(self.columns["age"])

    def __setstate__(self, state: dict[str, object]) -> None:
        """Unpickling: each column becomes again a view of its buffer (pickle copies the two apart), so that drops
        and appends keep writing where the column lives."""
        self.__dict__.update(state)
        self.columns = {name: self._buffers[name][:len(values)] for name, values in self.columns.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["columns"][name]
        except KeyError:
            if name in TABLE_OF:
                table = TABLE_OF[name]
                raise AttributeError(f"{name} is a field of a record: persons.{table}.{name}[records] with records "
                                     f"= persons.{table}_records(rows), or persons.values_of({name!r})") from None
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: object) -> None:
        if name in COLUMNS:  # `persons.wage *= 2` would otherwise hide the column behind a stale attribute
            raise AttributeError(f"use persons.set({name!r}, values) or assign in place: persons.{name}[...] = values")
        super().__setattr__(name, value)

    def records_for(self, table: str, rows: np.ndarray) -> np.ndarray:
        """[i] the record in the side table `table` ("cs" or "ssf", RECORD_TABLES) of row rows[i] (distinct row
        indices; int32), a new one (each value 0) for a row without one. Call it before taking a field of the
        table: new records may move the fields' buffers."""
        index = self.columns[RECORD_TABLES[table][0]]
        records = index[rows]
        missing = records < 0
        if missing.any():
            new = rows[missing]
            records[missing] = getattr(self, table).add(new)
            index[new] = records[missing]
        return records

    def cs_records(self, rows: np.ndarray) -> np.ndarray:
        """[i] the civil-service record of row rows[i], a new one for a row without one (`records_for`)."""
        return self.records_for("cs", rows)

    def ssf_records(self, rows: np.ndarray) -> np.ndarray:
        """[i] the SSF benefit record of row rows[i], a new one for a row without one (`records_for`)."""
        return self.records_for("ssf", rows)

    def values_of(self, name: str, rows: np.ndarray | None = None) -> np.ndarray:
        """A column's values at `rows` (every row by default; a new array); for a field of a record (CS_FIELDS,
        SSF_FIELDS), each row's record's value, 0 for a row without a record."""
        if name not in TABLE_OF:
            return self.columns[name].copy() if rows is None else _gather(self.columns[name], rows)
        return self.record_values(rows, name)[0]

    def record_values(self, rows: np.ndarray | None, *names: str) -> list[np.ndarray]:
        """[values_of(name, rows) for name in names] for fields of one table of records (CS_FIELDS or SSF_FIELDS):
        each row's record's value, 0 for a row without a record; the rows' records are looked up once for all the
        fields. ValueError if the names are not fields of one table."""
        tables = {TABLE_OF.get(name) for name in names}
        if len(tables) != 1 or None in tables:
            raise ValueError(f"record_values: {names} are not fields of one table of records")
        table = tables.pop()
        index = self.columns[RECORD_TABLES[table][0]]
        records = index if rows is None else _gather(index, rows)
        return [_record_values(records.ravel(), getattr(getattr(self, table), name)).reshape(records.shape)
                for name in names]

    def flag_mask(self, name: str, into: np.ndarray | None = None) -> np.ndarray:
        """[row] whether the row's civil-service record has the flag `name` (a bool field of CS_FIELDS, e.g.
        "state_pensioner") set: a new full-length mask, set from the records (a few percent of rows), for rules
        that take a whole column. Rows without a record are False. With `into` ([row] bool), the flagged rows are
        set True in it instead (into |= the mask, without a second full-length array), and it is returned."""
        if name not in CS_FIELDS or CS_FIELDS[name].dtype is not np.bool_:
            raise ValueError(f"{name} is not a civil-service flag")
        return self.record_mask("cs", getattr(self.cs, name), into)

    def record_mask(self, table: str, where: np.ndarray, into: np.ndarray | None = None) -> np.ndarray:
        """[row] whether the row's record in `table` ("cs" or "ssf") meets `where` ([record] bool, e.g.
        `persons.ssf.ssf_pension_start > 0`): a new full-length mask (rows without a record False), or with `into`
        ([row] bool) the rows set True in it (into |= the mask), which is returned."""
        records = getattr(self, table)
        if np.shape(where) != (records.size,):
            raise IndexError(f"record_mask: `where` has shape {np.shape(where)}, the {table} records {records.size}")
        mask = np.zeros(len(self), dtype=bool) if into is None else into
        _set_record_rows(mask, records.row, np.asarray(where, dtype=bool))
        return mask

    def as_columns(self, rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Every column's values at `rows` (all by default), the records' values spelled out per row instead of
        their indices: what `Persons(...)` takes, for an independent copy or a subset of the table."""
        names = [name for name in (*COLUMNS, *TABLE_OF) if name not in INDEX_COLUMNS]
        return {name: self.values_of(name, rows) for name in names}

    def _add_records(self, values: dict[str, np.ndarray], first: int, n: int) -> None:
        """Records for rows first..first+n-1 from the records' values among `values` (full-length columns or
        scalars): each row with a value other than 0 in a table's fields gets a record of that table."""
        for table, (index, fields) in RECORD_TABLES.items():
            given = {name: np.broadcast_to(np.asarray(values[name]), (n,)) for name in fields if name in values}
            if not given:
                continue
            rows = np.flatnonzero(np.logical_or.reduce([v != 0 for v in given.values()]))
            records = getattr(self, table).add(first + rows)
            for name, v in given.items():
                getattr(getattr(self, table), name)[records] = v[rows]
            self.columns[index][first + rows] = records

    def set(self, name: str, values: np.ndarray) -> None:
        """Replace a whole column, cast to its declared dtype (a copy: `values` is not kept). Values for every row
        are written over the column's own buffer (views of the column then read them), not into a new buffer
        beside it (peak memory)."""
        if name in INDEX_COLUMNS or name in TABLE_OF:
            raise ValueError(f"{name} belongs to a table of records: write persons.<table>.<field>[records] "
                             "(records = persons.records_for(table, rows))")
        rows = len(values)
        values = _stored(COLUMNS[name], values)
        if rows == len(self) and _own(self._buffers[name]):
            self._buffers[name][:rows] = values
        else:
            self._buffers[name] = _filled(values, COLUMNS[name].dtype, rows)
        self.columns[name] = self._buffers[name][:rows]
        if name in ("sex", "age"):
            self._rows_by_cell = None
        if name == "pid":
            self._rows_of_pids = None

    def keep(self, mask: np.ndarray) -> None:
        """Drop the rows where mask is False (deaths, emigration); the last kept rows fill the gaps."""
        self.drop(np.flatnonzero(~mask))

    def drop(self, rows: np.ndarray) -> None:
        """Drop the rows at the given distinct indices (deaths, emigration); the last kept rows fill the gaps.

        Costs in proportion to the number of rows dropped, times the number of columns.
        """
        n = len(self)
        m = n - rows.size
        inside = rows < m
        holes = rows[inside]
        in_tail = np.ones(n - m, dtype=bool)
        in_tail[rows[~inside] - m] = False
        fillers = m + np.flatnonzero(in_tail)
        index = self._rows_of_pids if self._rows_of_pids_for == self.next_pid else None
        if index is not None:
            index[self.columns["pid"][rows]] = -1
        if self._rows_by_cell is not None:
            self._rows_by_cell -= np.bincount(self.cells[rows], minlength=2 * N_AGES)
        for table, (column, _) in RECORD_TABLES.items():
            records = self.columns[column][rows]
            getattr(self, table).forget(records[records >= 0])
        names = list(self.columns)

        def fill(_: int, name: str) -> None:  # each column its own item: the columns on threads
            values = self.columns[name]
            _fill_holes(values, holes, fillers)
            self.columns[name] = values[:m]

        threads.for_each(fill, names)
        if index is not None:
            index[self.columns["pid"][holes]] = holes
        for table, (column, _) in RECORD_TABLES.items():
            side = getattr(self, table)
            records = self.columns[column][holes]
            moved = records >= 0
            side.row[records[moved]] = holes[moved]
            if 2 * side.dead > side.size:
                side.compact()
                self.columns[column][side.row] = np.arange(side.size, dtype=np.int32)

    def group_by_household(self, unset: tuple[str, ...] = (), meanwhile: Callable[[], None] | None = None,
                           touched: tuple[str, ...] = ()) -> None:
        """Put each household's rows next to each other, households in the order of their ids and each one's rows in
        their present order, and give the rows the pids 0..n-1 in their new order, the links (`mother`, `partner`)
        and the records following: for the base population, whose pids are its rows, before any row is added or
        dropped. A pass by household then reads its table nearly in order instead of at random (2-3.6 times faster
        at scale 10), and a link or record of a row lies near the row; the order decays as persons die, are born
        and move (model.population.households). The columns named in `unset` hold their declared default on every
        row: they are left as they are, not moved.

        `meanwhile()`, when given, runs on this thread while the other columns are moved on the background thread
        (model.threads.in_background): it may read `hh` and read and write the columns named in `touched`, which
        are moved once it has returned, and nothing else of the table (set-up work that needs the households but
        not their rows' order, overlapping the grouping)."""
        n = len(self)
        hh = self.columns["hh"]
        if self.next_pid != n or not _counts_up(self.columns["pid"]):
            raise ValueError("group_by_household: only a table whose pids are its rows (a base population) is "
                             "regrouped")
        if hh.min(initial=0) < 0:
            raise ValueError("group_by_household: a row has no household (hh -1)")
        for name in unset:
            if _count_not(self.columns[name], COLUMNS[name].default):
                raise ValueError(f"group_by_household: {name} is not its default {COLUMNS[name].default} on every "
                                 "row, so it must be moved")
        links = [name for name in ("mother", "partner") if name not in unset]
        others = [name for name in self.columns if name not in ("pid", "hh", *links, *INDEX_COLUMNS, *unset)]
        for name in touched:
            if name not in others:
                raise ValueError(f"group_by_household: {name} cannot be touched meanwhile, only one of {others}")
        n_households = int(hh.max(initial=-1)) + 1
        first = partial(self._group_rows, n_households, links, [name for name in others if name not in touched])
        if meanwhile is None:
            order, ends = first()
        else:
            grouping = threads.in_background(first)
            try:
                meanwhile()
            finally:
                order, ends = grouping.result()
        for name in touched:
            self._move(name, lambda values, rows, out: _gather_into(values, order[rows], out[rows]))
        del order
        # the ids in their new order: each id as many times as it has rows
        threads.for_blocks(lambda _, rows: _fill_codes(ends, rows.start, hh[rows]), n)
        self._rows_of_pids, self._rows_of_pids_for = None, -1

    def _group_rows(self, n_households: int, links: list[str], names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """`group_by_household`'s order of the rows by household ([new row] its old row) and the new row after each
        household's last ([household], both int32), the records, the links and the columns `names` moved to it;
        `hh` is left as it is."""
        order, new_row, ends = _household_order(self.columns["hh"], n_households)  # and [old row] its new row
        for table, (column, _) in RECORD_TABLES.items():  # the records in the order of their new rows
            records = getattr(self, table)
            records.rename_rows(new_row)
            self.columns[column].fill(-1)
            self.columns[column][records.row] = np.arange(records.size, dtype=np.int32)
        # one column at a time, its blocks on threads (one new buffer alive at once: peak memory); the links and the
        # columns mostly at their default first, then the inverse order is freed. Pids of the base population are its
        # rows: a link's new pid is its new row
        for name in links:
            self._move(name, lambda values, rows, out: _gather_links(values, order[rows], new_row, out[rows]))
        # a column mostly at its default: each other value written at its new row, after a pass in order, instead
        # of a read at random for every row
        sparse = [name for name in names if SPARSE * _count_not(self.columns[name], COLUMNS[name].default) <= len(self)]
        for name in sparse:
            default = self.columns[name].dtype.type(COLUMNS[name].default)
            self._move(name, lambda values, rows, out: out[rows].fill(default),
                       lambda values, rows, out: _scatter_set(values[rows], new_row[rows], default, out))
        del new_row
        for name in names:
            if name not in sparse:
                self._move(name, lambda values, rows, out: _gather_into(values, order[rows], out[rows]))
        return order, ends

    def _move(self, name: str, *passes: Callable[[np.ndarray, slice, np.ndarray], None]) -> None:
        """Column `name` replaced by a buffer of its own that `passes` fill in turn from the column's values, each
        called as pass(values, rows, buffer) for every block of rows, on threads."""
        n = len(self)
        buffer = _empty(self._buffers[name].dtype, n)
        for fill in passes:
            threads.for_blocks(lambda _, rows: fill(self.columns[name], rows, buffer), n)
        self._buffers[name] = buffer
        self.columns[name] = buffer[:n]

    def advance_age(self) -> None:
        """Every row becomes one year older; MAX_AGE (the open group, 100 and over) stays MAX_AGE.

        In place: the age column keeps its buffer, and the rows of each cell move to the next age.
        """
        age = self.columns["age"]
        age += age < MAX_AGE
        if self._rows_by_cell is not None:
            by_age = self._rows_by_cell.reshape(2, N_AGES)
            by_age[:, MAX_AGE] += by_age[:, MAX_AGE - 1]
            by_age[:, 1:MAX_AGE] = by_age[:, :MAX_AGE - 1].copy()
            by_age[:, 0] = 0

    def append(self, values: dict[str, np.ndarray], n: int) -> None:
        """Add n rows; columns not given take their declared default (no record unless values of a table of records,
        CS_FIELDS or SSF_FIELDS, other than 0 are given), and each new row gets the next pid."""
        _no_record_index(values)
        old = len(self)
        values = {**values, "pid": np.arange(self.next_pid, self.next_pid + n, dtype=np.int32)}
        self.next_pid += n
        for name, spec in COLUMNS.items():
            buffer = self._buffers[name] = _room(self._buffers[name], old, n)
            buffer[old:old + n] = _stored(spec, values[name]) if name in values else spec.default
            self.columns[name] = buffer[:old + n]
        self._add_records(values, old, n)
        if self._rows_by_cell is not None:
            self._rows_by_cell += np.bincount(self.cells[old:], minlength=2 * N_AGES)
        if self._rows_of_pids is not None and self._rows_of_pids_for == self.next_pid - n:
            index = self._rows_of_pids = _room(self._rows_of_pids, self._rows_of_pids_for + 1, n)
            index[self.next_pid - n:self.next_pid] = np.arange(old, old + n, dtype=np.int32)
            index[self.next_pid] = -1
            self._rows_of_pids_for = self.next_pid

    def newborn_values(self, mothers: np.ndarray) -> dict[str, np.ndarray]:
        """Values newborns inherit from their mothers (row indices), for the columns marked inherited, and the link
        to the mother (`mother`, her pid)."""
        values = {name: self.columns[name][mothers] for name, spec in COLUMNS.items() if spec.inherited}
        values["mother"] = self.columns["pid"][mothers]
        return values

    def column_buffers(self, but: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
        """The whole buffer (spare room included) behind each column, but the columns named in `but`."""
        return {name: buffer for name, buffer in self._buffers.items() if name not in but}

    def reader(self) -> "Persons":
        """A table for a run that only reads this one's columns: the same arrays, never written, while its record
        indices (INDEX_COLUMNS), dict of tables and index of rows by pid are its own. Its side tables of records
        (`cs`, `ssf`) are still this one's: give it copies before its claims write them."""
        new = object.__new__(Persons)
        new.__dict__.update(vars(self))
        new.columns = dict(self.columns)
        new._buffers = dict(self._buffers)
        for index in INDEX_COLUMNS:  # a scheme's claims add records and write their indices here
            buffer = new._buffers[index] = self._buffers[index].copy()
            new.columns[index] = buffer[:len(self)]
        new.tables = dict(self.tables)
        new._rows_of_pids, new._rows_of_pids_for = None, -1
        return new

    def release_dropped(self) -> None:
        """Give the system back the pages of each mapped column buffer past the rows in use: the rows dropped since
        the table was longest stay resident otherwise (a shrinking population's 1.5 million rows by 2037 at full
        scale, 88 MB). Their contents are never read again: an appended row writes every column first. Only for a
        table whose buffers are its own (not a `reader`)."""
        n = len(self)
        for buffer in self._buffers.values():
            _release_past(buffer, n)

    def forget_row_of_pid(self) -> None:
        """Free the index behind `row_of_pid` (4 bytes for every person id ever given) when it is large (from
        MAPPED_BYTES), rebuilt on its next use: the yearly passes that read it call this when done, so that it is
        not held beside the arrays of the schemes and indicators (peak memory); a small one is kept up to date
        instead (rebuilding it would cost more time than its memory is worth)."""
        if self._rows_of_pids is not None and self._rows_of_pids.nbytes >= MAPPED_BYTES:
            self._rows_of_pids = None
            self._rows_of_pids_for = -1

    def row_of_pid(self) -> np.ndarray:
        """[pid + 1] the row now holding each person id, -1 for ids no longer in the table (died, emigrated); the
        last entry is -1, so that indexing with the link value -1 ("none") gives -1 (read-only).

        Built on first use and kept up to date by `drop` and `append` at the cost of the rows they move, so the
        links of households and schemes find rows without a pass over the whole table, until `forget_row_of_pid`."""
        if self._rows_of_pids is None or self._rows_of_pids_for != self.next_pid:
            # from the heap, not a mapping of its own (`_empty`): the index lives within a yearly pass, so it reuses
            # the memory the year's freed temporaries left instead of adding fresh pages beside it (peak memory). A
            # large one is freed before any row is added (`forget_row_of_pid`), so only a small one has spare room
            size = self.next_pid + 1
            if size * 4 < MAPPED_BYTES:
                size = int(size * GROWTH) + 1
            index = self._rows_of_pids = np.full(size, -1, dtype=np.int32)
            _index_rows(self.columns["pid"], index)  # no array of every row beside it (peak memory)
            self._rows_of_pids_for = self.next_pid
        view = self._rows_of_pids[:self.next_pid + 1]
        view.flags.writeable = False
        return view

    @property
    def cells(self) -> "Cells":
        """Each row's sex-age cell, sex × N_AGES + age, read as `cells[rows]` (Cells): an index into a raveled
        [sex, age] array, computed from the two columns when read."""
        return Cells(self)

    def rows_by_cell(self) -> np.ndarray:
        """[cell] rows in each sex-age cell (`cells`' index): a copy of the counts, counted once and then kept up to
        date by `drop`, `append` and `advance_age` (`set` of sex or age counts them again)."""
        if self._rows_by_cell is None:
            self._rows_by_cell = self._count_cells()
        return self._rows_by_cell.copy()

    def count_by_sex_age(self, mask: np.ndarray | None = None) -> np.ndarray:
        """[sex, age] persons (rows × scale), optionally among rows where mask is True."""
        rows = self.rows_by_cell() if mask is None else self._count_cells(mask)
        return rows.reshape(2, N_AGES) * self.scale

    def _count_cells(self, mask: np.ndarray | None = None) -> np.ndarray:
        """[cell] rows in each sex-age cell (among rows where mask is True), the cells made block by block."""
        counts = np.zeros(2 * N_AGES, dtype=np.intp)
        for start in range(0, len(self), COUNT_BLOCK):
            block = slice(start, start + COUNT_BLOCK)
            counts += bincount(self.cells[block], 2 * N_AGES, None if mask is None else mask[block])
        return counts


class Cells:
    """The rows' sex-age cells, sex × N_AGES + age (int16), as a read-only array-like: `cells[rows]` (rows an index
    array or a slice) computes the cells of those rows from the columns when read, and `size` is the number of rows.
    Not kept as a column (2 bytes a row, 137 MiB at full scale): most readers want the cells of some rows, or of
    a block at a time (model.population.sampling draws read those of their candidate rows only)."""

    def __init__(self, persons: Persons) -> None:
        self.persons = persons

    @property
    def size(self) -> int:
        """The number of rows."""
        return len(self.persons)

    def __getitem__(self, rows: np.ndarray | slice) -> np.ndarray:
        out = _gather(self.persons.sex, rows).astype(np.int16)
        out *= N_AGES
        out += _gather(self.persons.age, rows)
        return out


def _gather(values: np.ndarray, rows: np.ndarray | slice) -> np.ndarray:
    """values[rows], by np.take for an array of row indices (indexing by int32 rows converts them to intp first and
    takes two to six times as long)."""
    if isinstance(rows, np.ndarray) and rows.dtype.kind in "iu":
        return np.take(values, rows)
    return values[rows]


@kernel
def _fill_holes(values: np.ndarray, holes: np.ndarray, fillers: np.ndarray) -> None:
    """values[holes] = values[fillers] (`Persons.drop`; no hole is a filler): one column's rows moved into the gaps
    without numpy's temporary of the moved values, the GIL released."""
    for j in range(holes.size):
        values[holes[j]] = values[fillers[j]]


def _household_order(hh: np.ndarray, n_households: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """([new row] its old row, [old row] its new row, [household] the new row after its last): the rows by household
    id (0..n_households-1), each household's in their present order (a stable counting sort; int32)."""
    order, new_row = np.empty(hh.size, dtype=np.int32), np.empty(hh.size, dtype=np.int32)
    start = np.zeros(n_households + 1, dtype=np.int32)
    _place_by_household(hh, start, order, new_row)
    return order, new_row, start[:n_households]


@kernel
def _place_by_household(hh: np.ndarray, start: np.ndarray, order: np.ndarray, new_row: np.ndarray) -> None:
    """order = the rows by household id, stably, and new_row its inverse (`start`: [household + 1] zeros, used for
    the households' starts, then holding the new row after each household's last)."""
    for i in range(hh.size):
        start[hh[i] + 1] += 1
    for h in range(1, start.size):
        start[h] += start[h - 1]
    for i in range(hh.size):
        at = start[hh[i]]
        order[at] = i
        new_row[i] = at
        start[hh[i]] = at + 1


@kernel
def _counts_up(values: np.ndarray) -> bool:
    """Whether values[i] == i for every i."""
    for i in range(values.size):
        if values[i] != i:
            return False
    return True


@kernel
def _fill_codes(ends: np.ndarray, first: int, out: np.ndarray) -> None:
    """out[j] = the code of row first + j in the rows sorted by code, `ends` ([code] the row after its last,
    ascending): the smallest code whose end is past the row."""
    code = np.searchsorted(ends, first, side="right")
    for j in range(out.size):
        while ends[code] <= first + j:
            code += 1
        out[j] = code


@kernel
def _gather_into(values: np.ndarray, order: np.ndarray, out: np.ndarray) -> None:
    """out[i] = values[order[i]] for every i of `order`, without numpy's widening of int32 indices."""
    for i in range(order.size):
        out[i] = values[order[i]]


@kernel
def _count_not(values: np.ndarray, default: float) -> int:
    """The number of values other than `default` (a NaN default: the values that are not NaN)."""
    count = 0
    for i in range(values.size):
        count += values[i] != default and not (np.isnan(default) and np.isnan(values[i]))
    return count


@kernel
def _scatter_set(values: np.ndarray, new_row: np.ndarray, default: float, out: np.ndarray) -> None:
    """out[new_row[i]] = values[i] for every value other than `default` (`Persons.group_by_household`)."""
    for i in range(values.size):
        if values[i] != default:
            out[new_row[i]] = values[i]


@kernel
def _gather_links(links: np.ndarray, order: np.ndarray, new_row: np.ndarray, out: np.ndarray) -> None:
    """out[i] = new_row[links[order[i]]], -1 (none) kept: a column of links to rows moved and renamed at once."""
    for i in range(order.size):
        link = links[order[i]]
        out[i] = new_row[link] if link >= 0 else -1


@kernel
def _record_values(records: np.ndarray, field: np.ndarray) -> np.ndarray:
    """[i] field[records[i]], 0 where records[i] is -1 (no record), in one pass (`Persons.values_of`)."""
    values = np.zeros(records.size, field.dtype)
    for i in range(records.size):
        if records[i] >= 0:
            values[i] = field[records[i]]
    return values


@kernel
def _set_record_rows(mask: np.ndarray, row: np.ndarray, where: np.ndarray) -> None:
    """mask[row[r]] = True for every record r meeting `where` whose person lives (row[r] >= 0; `row`: [record] its
    person's row, `Records.row`): `Records.rows_of(where)` set in the mask in one pass over the records, without
    the list of rows."""
    for r in range(where.size):
        if where[r] and row[r] >= 0:
            mask[row[r]] = True


@kernel
def _index_rows(pid: np.ndarray, index: np.ndarray) -> None:
    """index[pid[row]] = row for every row (`Persons.row_of_pid`): numpy's index[pid] = np.arange(n) without the
    arange, 4 bytes a row (287 MB at full scale)."""
    for row in range(pid.size):
        index[pid[row]] = row
