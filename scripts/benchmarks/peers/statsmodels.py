#!/usr/bin/env python3
"""Peer for scripts/bench: times statsmodels MixedLM (REML) on one CSV, in-process.

Usage: statsmodels.py DATA.csv FORMULA REPS [CASE] [REF]
  FORMULA  lme4 syntax with one random-effects term, e.g.
           'pain ~ week * arm + baseline_pain + (1 + week | subject)'; translated to
           smf.mixedlm("pain ~ week * C(arm, Treatment('placebo')) + baseline_pain", data,
                       groups="subject", re_formula="~1 + week").fit(reml=True)
  REPS, CASE, REF as in lmer.R (REF 'arm=placebo' becomes C(arm, Treatment('placebo'))).

Prints ONE JSON line on stdout (same keys as lmer.R). `reml` = -2 * result.llf. statsmodels'
REML log-likelihood (MixedLM.loglike with reml=True) is Harville's restricted likelihood with
the same constants as lme4's: -(n-p)/2 log(2 pi) - 1/2 log|V| - 1/2 log|X' V^-1 X| - 1/2 r'V^-1 r
with sigma^2 profiled, so -2 llf is on lme4's REMLcrit scale without adjustment (scripts/bench
reports the difference on every case). `read_seconds` is pandas.read_csv.
"""

import json
import os
import re
import statistics
import sys
import time
import warnings

# This file is named statsmodels.py: drop its own directory from the import path, or
# `import statsmodels` would import this script instead of the package.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]


def translate(text, refs):
    """Splits an lme4 formula into (fixed formula, groups, re_formula) for smf.mixedlm."""
    bars = re.findall(r"\(([^()|]+)\|([^()]+)\)", text)
    if len(bars) != 1:
        raise SystemExit(f"statsmodels.py: need exactly one (terms | group) term in: {text}")
    lhs, group = bars[0][0].strip(), bars[0][1].strip()
    fixed = re.sub(r"\s*\+?\s*\([^()|]+\|[^()]+\)", "", text).strip()
    fixed = re.sub(r"~\s*\+", "~", fixed)
    for var, level in refs.items():
        fixed = re.sub(rf"\b{re.escape(var)}\b", f"C({var}, Treatment('{level}'))", fixed)
    return fixed, group, "~" + lhs


def main(argv):
    if len(argv) < 3:
        raise SystemExit("usage: statsmodels.py DATA.csv FORMULA REPS [CASE] [REF]")
    csv, formula, reps = argv[0], argv[1], int(argv[2])
    case = argv[3] if len(argv) >= 4 and argv[3] else csv.rsplit("/", 1)[-1]
    refs = {}
    if len(argv) >= 5 and argv[4]:
        for spec in argv[4].split(","):
            var, _, level = spec.partition("=")
            refs[var.strip()] = level.strip()
    fixed, group, re_formula = translate(formula, refs)

    import pandas as pd
    import statsmodels
    import statsmodels.formula.api as smf

    t0 = time.perf_counter()
    data = pd.read_csv(csv)
    read_seconds = time.perf_counter() - t0

    times, caught, result = [], [], None
    for _ in range(reps):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            t0 = time.perf_counter()
            model = smf.mixedlm(fixed, data, groups=group, re_formula=re_formula)
            result = model.fit(reml=True)
            times.append(time.perf_counter() - t0)
        caught.extend(str(x.message).splitlines()[0] for x in w)

    out = {
        "case": case, "tool": "statsmodels", "seconds": statistics.median(times), "reps": reps,
        "times": times, "reml": -2.0 * float(result.llf), "read_seconds": read_seconds,
        "nobs": int(result.nobs), "converged": bool(result.converged),
        "optimizer": "MixedLM.fit default (bfgs, then lbfgs/cg if needed)",
        "call": f"smf.mixedlm({fixed!r}, data, groups={group!r}, "
                f"re_formula={re_formula!r}).fit(reml=True)",
        "warnings": sorted(set(caught)),
        "version": f"statsmodels {statsmodels.__version__}, pandas {pd.__version__}, "
                   f"Python {sys.version.split()[0]}",
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
