// The NLopt shim: a thin, `trj_`-prefixed wrapper over NLopt, imported by Optimization only.
// No NLopt type or symbol is visible to Swift; every dimension is `int`.
#ifndef TRJ_CNLOPT_H
#define TRJ_CNLOPT_H

/// Objective: returns f(x) for x of length n; context is the caller's.
typedef double (*trj_objective)(int n, const double *x, void *context);

/// Settings for a bounded derivative-free minimisation (NLopt's names; <= 0 means "unset").
typedef struct {
  int algorithm;        ///< 0 = BOBYQA, 1 = Nelder-Mead (NLopt's LN_ variants), 2 = COBYLA
  double ftol_rel;
  double ftol_abs;
  double xtol_rel;
  double xtol_abs;      ///< applied to every coordinate
  int maxeval;
  const double *initial_step; ///< per-coordinate initial step, or NULL for NLopt's default
} trj_nlopt_settings;

/// Doubles NLopt's BOBYQA allocates for n variables with its default 2n+1 interpolation points:
/// (npt+5)(npt+n) + 3n(n+5)/2, computed in 64 bits (NLopt computes it in `int`).
long long trj_nlopt_bobyqa_workspace(int n);

/// Minimises f over lower <= x <= upper starting at x (overwritten with the best point).
/// Returns NLopt's result code (positive = success); *fmin gets f at x, *evaluations the count.
/// Returns NLOPT_OUT_OF_MEMORY (-3) without calling NLopt when BOBYQA's workspace size would
/// overflow NLopt's `int` arithmetic.
int trj_nlopt_minimize(int n, double *x, const double *lower, const double *upper,
                       trj_objective f, void *context, const trj_nlopt_settings *settings,
                       double *fmin, int *evaluations);

#endif
