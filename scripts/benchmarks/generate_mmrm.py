#!/usr/bin/env python3
"""Simulated repeated-measures data for timing `traj fit` with a covariance term (MMRM).

Usage: scripts/benchmarks/generate_mmrm.py OUT.csv [--subjects 1000] [--visits 10] [--seed 7]

Columns: subject, arm (pbo/trt), visit (1..T), y, base. Errors are multivariate normal with
SDs 1, 1.1, ... and AR(1) correlation 0.6; 30% of subjects drop out after a uniformly chosen
visit >= 3 (monotone missingness, so there are at most T - 1 visit patterns).
Timed model (release build):

  traj fit OUT.csv --factor visit --quiet --json fit.json \
    --formula 'y ~ visit * arm + base + us(visit | subject)'

and read `timing.fit_seconds` from fit.json.
"""
import argparse
import math
import random


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    t_count = args.visits
    sd = [1 + 0.1 * t for t in range(t_count)]
    sigma = [[sd[i] * sd[j] * 0.6 ** abs(i - j) for j in range(t_count)] for i in range(t_count)]
    chol = [[0.0] * t_count for _ in range(t_count)]
    for i in range(t_count):
        for j in range(i + 1):
            s = sigma[i][j] - sum(chol[i][k] * chol[j][k] for k in range(j))
            chol[i][j] = math.sqrt(s) if i == j else s / chol[j][j]
    with open(args.out, "w") as f:
        f.write("subject,arm,visit,y,base\n")
        for s in range(args.subjects):
            arm = "trt" if s % 2 else "pbo"
            base = rng.gauss(5, 1)
            z = [rng.gauss(0, 1) for _ in range(t_count)]
            last = t_count if rng.random() < 0.7 else rng.randint(3, t_count)
            for t in range(last):
                e = sum(chol[t][k] * z[k] for k in range(t + 1))
                mu = 1 + 0.2 * t + (0.3 * t if arm == "trt" else 0) + 0.5 * base
                f.write(f"S{s:06d},{arm},{t + 1},{mu + e:.4f},{base:.4f}\n")


if __name__ == "__main__":
    main()
