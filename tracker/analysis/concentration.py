"""How evenly something is shared: the Gini coefficient and the share of the top few.

Kept apart from ``metrics`` so ``participation`` can use it without importing the graph code;
``metrics`` re-exports both names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def gini(values: Sequence[float]) -> float | None:
    """Gini coefficient of non-negative values (0 equal shares, toward 1 one carries all).

    The population form, sum_i sum_j |x_i - x_j| / (2 n^2 mean), computed from the sorted
    values; its largest value is (n-1)/n. None for no values or a zero total.
    """
    xs = sorted(float(v) for v in values)
    n, total = len(xs), sum(xs)
    if n == 0 or total <= 0:
        return None
    ranked = sum((i + 1) * x for i, x in enumerate(xs))
    return 2 * ranked / (n * total) - (n + 1) / n


def top_share(values: Sequence[float], fraction: float = 0.2) -> float | None:
    """Share of the total carried by the top ``fraction`` of the values given.

    The top group is the ceil(fraction * n) largest values (at least one), so with five or
    fewer participants the "top 20%" is the single largest. Pass participants only (values
    above zero) to read it as Harris's "share carried by the top 20% of participants".
    None for no values or a zero total.
    """
    xs = sorted((float(v) for v in values), reverse=True)
    total = sum(xs)
    if not xs or total <= 0:
        return None
    k = max(1, math.ceil(fraction * len(xs) - 1e-9))
    return sum(xs[:k]) / total
