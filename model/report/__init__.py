"""Publication helpers for the notebooks and the documentation book: one plotting style (`style`), tables
formatted for people (`tables`), the stamp each notebook carries and its staleness check (`stamp`), and the
key results a notebook publishes for the book's summary pages (`published`).

Nothing here computes model results: these modules only present them."""
