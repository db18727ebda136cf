"""Benchmark: TAG formation and brain-date matching against a greedy baseline.

    .venv/bin/python benchmarks/tags.py
    .venv/bin/python benchmarks/tags.py --seeds 3

Pure Python, no database: the instances come from ``icc.tags.instances`` (seeded, shaped
like an edition: uneven theme popularity, EU and international mentors, capacities with a
modest margin, preferences crowding on well-known mentors). For each instance it prints
the optimiser's status, solve time, the value of each priority tier, the final gap, and
the greedy baseline's tiers computed in the same run; for brain dates, the status, time,
objective, the proven bound and the gap to it, and the greedy baseline.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icc import optimiser
from icc.tags import instances

TARGETS = {136: 5.0, 1000: 60.0}
BRAIN_DATE_TARGETS = {136: 20.0}


def formation(cities: int, mentors: int, seed: int) -> None:
    problem = instances.tag_instance(cities=cities, mentors=mentors, seed=seed)
    started = time.perf_counter()
    result = optimiser.form_tags(problem)
    elapsed = time.perf_counter() - started
    greedy = optimiser.greedy_tags(problem)
    optimum = optimiser.score_tags(problem, result.groups) if result.groups else None
    baseline = optimiser.score_tags(problem, greedy.groups) if greedy.groups else None
    gap = f"{100 * result.gap:.2f} %" if result.gap is not None else "—"
    print(f"TAG formation, {cities} cities, {mentors} mentors (seed {seed})")
    print(f"  optimiser: {result.status}, {elapsed:.2f} s (target {TARGETS.get(cities, '—')} s), final gap {gap}")
    for tier in result.tiers:
        bound = "—" if tier.bound is None else tier.bound
        print(f"    {tier.name:<13} {tier.sense} {tier.value:>7}  bound {bound}  {'proven' if tier.optimal else ''}")
    if optimum and baseline:
        print(
            f"  greedy:    theme penalty {baseline.theme_penalty}, preferences {baseline.preferences}, relatability {baseline.relatability}"
        )
        print(
            f"  optimiser: theme penalty {optimum.theme_penalty}, preferences {optimum.preferences}, relatability {optimum.relatability}"
        )
        ratio = optimum.preferences / baseline.preferences if baseline.preferences else float("nan")
        print(f"  preference points, optimiser ÷ greedy: {ratio:.2f}")
    for note in result.notes:
        print(f"  note: {note.code} {dict(note.params)}")
    print(flush=True)


def brain_dates(cities: int, seed: int) -> None:
    problem = instances.brain_date_instance(cities=cities, seed=seed)
    started = time.perf_counter()
    result = optimiser.match_brain_dates(problem)
    elapsed = time.perf_counter() - started
    greedy = optimiser.greedy_brain_dates(problem)
    gap = f"{100 * result.gap:.2f} %" if result.gap is not None else "—"
    bound = "—" if result.bound is None else f"{result.bound:.0f}"
    target = BRAIN_DATE_TARGETS.get(cities, "—")
    print(f"Brain dates, {cities} cities × {problem.settings.picks} picks (seed {seed})")
    print(
        f"  optimiser: {result.status}, {elapsed:.2f} s (limit {problem.settings.time_limit:g} s, target {target} s), "
        f"mutual interest {result.objective}, bound {bound}, gap {gap}"
    )
    ratio = result.objective / greedy.objective if greedy.objective else float("nan")
    print(f"  greedy:    mutual interest {greedy.objective}; optimiser ÷ greedy {ratio:.2f}")
    print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=1, help="instances of each size")
    args = parser.parse_args()
    for seed in range(args.seeds):
        formation(136, 12, seed)
        formation(1000, 80, seed)
        brain_dates(136, seed)
        brain_dates(300, seed)
    print(f"peak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
