#!/usr/bin/env python3
"""The rematch objective equals an independent optimum (SciPy's HiGHS).

For random instances, rematch_instance_tool writes the candidate graph the
engine solved and the objective it reported. This script solves the same
maximum-weight assignment as a MILP with scipy.optimize.milp (x_e in {0, 1};
each participant row at most one pair; each opening at most its free places)
and asserts the two optima are equal. Weights are integers (score x 1e6), so
equal means equal up to the 0.5 the floating-point solver may be off.

Usage: rematch_optimum_test.py PATH_TO_rematch_instance_tool
"""

import json
import subprocess
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

# (seed, participants, openings, K): small to medium, sparse to dense.
INSTANCES = [(seed, 8 + seed % 9, 3 + seed % 5, 1 + seed % 4) for seed in range(1, 21)] + [
    (101, 120, 30, 5),
    (102, 200, 40, 10),
    (103, 300, 25, 50),
    (104, 400, 80, 3),
]


def solve_with_milp(instance):
    rows = instance["rows"]
    free = instance["free_places"]
    weights, row_of, opening_of = [], [], []
    for r, pairs in enumerate(rows):
        for opening, weight in pairs:
            weights.append(weight)
            row_of.append(r)
            opening_of.append(opening)
    pairs = len(weights)
    if pairs == 0:
        return 0
    openings = sorted(set(opening_of))
    opening_row = {o: len(rows) + i for i, o in enumerate(openings)}
    constraint_rows = row_of + [opening_row[o] for o in opening_of]
    matrix = coo_matrix(
        (np.ones(2 * pairs), (constraint_rows, list(range(pairs)) * 2)),
        shape=(len(rows) + len(openings), pairs),
    ).tocsr()
    upper = np.array([1.0] * len(rows) + [float(free[o]) for o in openings])
    result = milp(
        c=-np.array(weights, dtype=float),
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(pairs),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if result.status != 0:
        raise AssertionError(f"milp failed: {result.message}")
    return -result.fun


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    tool = sys.argv[1]
    failures = 0
    for seed, participants, openings, k in INSTANCES:
        output = subprocess.run(
            [tool, str(seed), str(participants), str(openings), str(k)],
            check=True, capture_output=True, text=True,
        ).stdout
        instance = json.loads(output)
        assert instance["scale"] == 1_000_000
        optimum = solve_with_milp(instance)
        engine = instance["objective"]
        same = abs(optimum - engine) <= 0.5
        pairs = sum(len(r) for r in instance["rows"])
        print(f"seed {seed}: {participants} x {openings}, K {k}, {pairs} pairs: "
              f"engine {engine} ({instance['algorithm']}), milp {optimum:.1f} "
              f"{'ok' if same else 'DIFFERENT'}")
        failures += not same
    print(f"{len(INSTANCES) - failures} of {len(INSTANCES)} instances agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
