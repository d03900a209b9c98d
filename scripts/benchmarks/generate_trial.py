#!/usr/bin/env python3
"""Seeded generator of simulated pain trials for scripts/bench.

Writes a CSV with columns subject,site,arm,week,baseline_pain,pain (one row per observed visit)
and prints one JSON line describing it. Same design and generating model as
scripts/reference/simulate_pain_trial.R (datasets/pain_trial.csv), scaled to any number of
patients and with milder dropout, so that rows per patient is about 7.9 of 8:

  patients S000001.. (zero-padded to >= 6 digits); sites of 50 patients (site0001..);
  arms placebo / ketamine / ketamine_memantine in permuted blocks of 6 (1:1:1);
  weeks 0..7; baseline_pain = round(clamp(N(6.8, 1.0), 4, 10), 1);
  pain = 1.5 + 0.65 baseline_pain + site effect N(0, 0.15^2) + arm shift (0, -0.20, -0.30)
         + b0 + (arm slope (-0.10, -0.35, -0.45) + b1) week + e,
  (b0, b1) ~ N(0, [0.90^2, -0.3*0.90*0.15; ., 0.15^2]), e ~ N(0, 0.70^2),
  rounded to 0.1 and clamped to [0, 10];
  monotone MAR dropout before each visit from week 1 on with probability
  plogis(-6.0 + 0.35 (previous pain - 5)); visits after dropout are absent. No NA values.

Deterministic for a given (--patients, --seed) with numpy's PCG64 (numpy.random.default_rng).
Usage: generate_trial.py --patients N --seed S --out FILE.csv
"""

import argparse
import json
import os
import sys
import time

import numpy as np

ARMS = ("placebo", "ketamine", "ketamine_memantine")
ARM_SHIFT = np.array([0.0, -0.20, -0.30])
ARM_SLOPE = np.array([-0.10, -0.35, -0.45])
WEEKS = np.arange(8)
PATIENTS_PER_SITE = 50
DROPOUT_INTERCEPT = -6.0
DROPOUT_SLOPE = 0.35


def simulate(patients, seed):
    rng = np.random.default_rng(seed)
    n = patients
    n_sites = max(1, -(-n // PATIENTS_PER_SITE))
    site = np.arange(n) // PATIENTS_PER_SITE
    blocks = -(-n // 6)
    arm = rng.permuted(np.tile(np.array([0, 0, 1, 1, 2, 2]), (blocks, 1)), axis=1).ravel()[:n]
    baseline10 = np.rint(np.clip(rng.normal(6.8, 1.0, n), 4.0, 10.0) * 10).astype(np.int64)
    site_effect = rng.normal(0.0, 0.15, n_sites)
    sd0, sd1, rho = 0.90, 0.15, -0.3
    chol = np.linalg.cholesky(np.array([[sd0**2, rho * sd0 * sd1], [rho * sd0 * sd1, sd1**2]]))
    u = rng.standard_normal((n, 2)) @ chol.T
    mu = (
        1.5 + 0.65 * (baseline10 / 10.0) + site_effect[site] + ARM_SHIFT[arm] + u[:, 0]
    )[:, None] + (ARM_SLOPE[arm] + u[:, 1])[:, None] * WEEKS[None, :]
    y = mu + rng.normal(0.0, 0.70, (n, len(WEEKS)))
    pain10 = np.rint(np.clip(y, 0.0, 10.0) * 10).astype(np.int64)
    present = np.ones((n, len(WEEKS)), dtype=bool)
    for k in range(1, len(WEEKS)):
        eta = DROPOUT_INTERCEPT + DROPOUT_SLOPE * (pain10[:, k - 1] / 10.0 - 5.0)
        p_drop = 1.0 / (1.0 + np.exp(-eta))
        u_k = rng.random(n)
        present[:, k] = present[:, k - 1] & (u_k >= p_drop)
    return site, arm, baseline10, pain10, present


def write_csv(path, site, arm, baseline10, pain10, visits):
    n = len(arm)
    width = max(6, len(str(n)))
    tenths = [f"{i // 10}.{i % 10}" for i in range(101)]
    sites = [f"site{s + 1:04d}" for s in range(max(site) + 1)]
    rows_out = 0
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("subject,site,arm,week,baseline_pain,pain\n")
        chunk = []
        for i in range(n):
            prefix = f"S{i + 1:0{width}d},{sites[site[i]]},{ARMS[arm[i]]},"
            bl = tenths[baseline10[i]]
            pi = pain10[i]
            for w in range(visits[i]):
                chunk.append(f"{prefix}{w},{bl},{tenths[pi[w]]}\n")
            if len(chunk) >= 65536:
                rows_out += len(chunk)
                f.write("".join(chunk))
                chunk = []
        rows_out += len(chunk)
        f.write("".join(chunk))
    os.replace(tmp, path)
    return rows_out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    if a.patients < 1:
        ap.error("--patients must be >= 1")
    t0 = time.perf_counter()
    site, arm, baseline10, pain10, present = simulate(a.patients, a.seed)
    # Python lists index much faster than numpy arrays in the row loop; dropout is monotone,
    # so each patient's visits are weeks 0 .. visits-1.
    rows = write_csv(a.out, site.tolist(), arm.tolist(), baseline10.tolist(),
                     pain10.tolist(), present.sum(axis=1).tolist())
    info = {
        "patients": a.patients,
        "seed": a.seed,
        "rows": rows,
        "rows_per_patient": round(rows / a.patients, 4),
        "bytes": os.path.getsize(a.out),
        "generator_seconds": round(time.perf_counter() - t0, 3),
        "path": a.out,
    }
    print(json.dumps(info))


if __name__ == "__main__":
    main(sys.argv[1:])
