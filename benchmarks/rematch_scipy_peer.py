#!/usr/bin/env python3
"""SciPy peer of the rematch assignment, run by rematch_benchmark.

Reads the candidate graph the benchmark wrote ("free f0 f1 ..." then
"row opening weight" lines), builds the capacity-expanded dense matrix (one
column per free place of each opening, capped at the number of people who
have that opening as a candidate, since more columns can never be used; one
row per participant with a candidate; weight 0 where a pair is no candidate,
which equals leaving the person out because every weight is positive), solves
it with scipy.optimize.linear_sum_assignment(maximize=True) and writes
"objective solve_seconds rows columns" to ANSWER. Only the solve is timed.

Usage: rematch_scipy_peer.py INSTANCE ANSWER
"""

import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main():
    instance, answer = sys.argv[1], sys.argv[2]
    with open(instance) as f:
        free = np.array(f.readline().split()[1:], dtype=np.int64)
        pairs = np.loadtxt(f, dtype=np.int64, ndmin=2)
    if pairs.size == 0:
        with open(answer, "w") as out:
            out.write("0 0 0 0\n")
        return 0
    rows, row_index = np.unique(pairs[:, 0], return_inverse=True)
    openings, opening_index = np.unique(pairs[:, 1], return_inverse=True)
    degree = np.bincount(opening_index, minlength=len(openings))
    copies = np.minimum(free[openings], degree)
    first_column = np.concatenate(([0], np.cumsum(copies)[:-1]))
    matrix = np.zeros((len(rows), int(copies.sum())))
    for o in range(len(openings)):
        take = opening_index == o
        for c in range(copies[o]):
            matrix[row_index[take], first_column[o] + c] = pairs[take, 2]
    start = time.perf_counter()
    r, c = linear_sum_assignment(matrix, maximize=True)
    seconds = time.perf_counter() - start
    objective = matrix[r, c].sum()
    with open(answer, "w") as out:
        out.write(f"{objective:.1f} {seconds:.6f} {matrix.shape[0]} {matrix.shape[1]}\n")
    print(f"scipy linear_sum_assignment: {matrix.shape[0]} x {matrix.shape[1]} in "
          f"{seconds:.3f} s, objective {objective:.0f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
