"""Scoring candidate pairs chunk by chunk: only the columns needed ever leave the database.

Splink 5 keeps the gamma (level) columns only together with the matching columns, so one
prediction table holds every compared value of both records for every pair above the floor.
At a million reports that is tens of millions of wide rows, more than the database's memory
limit. Scored a slice of the left-hand records at a time, each slice's table holds a fraction
of the pairs; from it only ids and scores are pulled for every pair, and the levels only for
the pairs the review queue shows; then the table is dropped before the next slice.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from dhakira.core.linkage.errors import SettingsError

# Up to this many records are scored in one table (the demo dossier, 200k reports); more
# are scored in slices. Either way the same pairs and scores come out.
RECORDS_PER_CHUNK = 250_000
BASE_COLUMNS = "unique_id_l, unique_id_r, match_weight, match_probability"


def chunk_count(records: int, chunks: int | None = None) -> int:
    """The number of slices to score ``records`` in: ``chunks`` when given, else by size.

    Args:
        records: the number of records linked.
        chunks: a fixed number of slices; None chooses one per RECORDS_PER_CHUNK records.

    Returns:
        At least 1.

    Raises:
        SettingsError: ``chunks`` is below 1.

    Examples:
        >>> chunk_count(4_383), chunk_count(1_004_461), chunk_count(10, 3)
        (1, 5, 3)
    """
    if chunks is not None:
        if chunks < 1:
            raise SettingsError(f"predict_chunks must be 1 or more, not {chunks!r}")
        return chunks
    return max(1, math.ceil(records / RECORDS_PER_CHUNK))


def predict_pairs(linker: Any, gammas: list[str], *, floor: float, review: float,
                  chunks: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every pair scoring at least ``floor``, and those at least ``review`` with their levels.

    Args:
        linker: a trained Splink linker.
        gammas: the gamma column names to pull for review pairs.
        floor: the lowest match probability kept.
        review: the match probability from which pairs are returned with their levels.
        chunks: the number of slices of left-hand records (1: one table, as Splink does).

    Returns:
        (scores, review pairs): ids, match_weight and match_probability; the second frame
        has the gamma columns too. Both are sorted by ids: pairs of equal probability are
        then clustered in one order whatever the chunks or the database's threads.
    """
    scores, reviews = [], []
    for i in range(1, chunks + 1):
        if chunks == 1:
            table = linker.inference.predict(threshold_match_probability=floor)
        else:
            table = linker.inference.predict_chunk(
                left_chunk=(i, chunks), right_chunk=(1, 1),
                threshold_match_probability=floor, warning_mode="never")
        name = table.physical_name
        try:
            # Splink leaves out a comparison no pair can differ on (a column null in every
            # record): it has no gamma column to pull.
            present = set(linker.misc.query_sql(f"select * from {name} limit 0",
                                                "pandas").columns)
            kept = [g for g in gammas if g in present]
            wide = f"{BASE_COLUMNS}, {', '.join(kept)}" if kept else BASE_COLUMNS
            scores.append(linker.misc.query_sql(f"select {BASE_COLUMNS} from {name}", "pandas"))
            reviews.append(linker.misc.query_sql(
                f"select {wide} from {name} where match_probability >= {float(review)!r}",
                "pandas"))
        finally:
            table.drop_table_from_database_and_remove_from_cache()
    return _by_ids(scores), _by_ids(reviews)


def _by_ids(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    frames.clear()  # the parts are no longer needed: at a million reports they are large
    order = np.lexsort((frame["unique_id_r"].to_numpy(), frame["unique_id_l"].to_numpy()))
    return frame.take(order).reset_index(drop=True)
