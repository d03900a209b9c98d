#include "CNLopt.h"

#include <limits.h>
#include <nlopt.h>

typedef struct {
  trj_objective f;
  void *context;
} trj_nlopt_bridge;

static double trj_nlopt_call(unsigned n, const double *x, double *grad, void *data) {
  (void)grad;  // derivative-free algorithms only
  trj_nlopt_bridge *bridge = (trj_nlopt_bridge *)data;
  return bridge->f((int)n, x, bridge->context);
}

long long trj_nlopt_bobyqa_workspace(int n) {
  long long d = n;
  long long npt = 2 * d + 1;
  return (npt + 5) * (npt + d) + 3 * d * (d + 5) / 2;
}

int trj_nlopt_minimize(int n, double *x, const double *lower, const double *upper,
                       trj_objective f, void *context, const trj_nlopt_settings *s,
                       double *fmin, int *evaluations) {
  nlopt_algorithm algorithm = NLOPT_LN_BOBYQA;
  if (s->algorithm == 1) algorithm = NLOPT_LN_NELDERMEAD;
  if (s->algorithm == 2) algorithm = NLOPT_LN_COBYLA;
  // NLopt 2.7's BOBYQA sizes its workspace, (npt+5)(npt+n) + 3n(n+5)/2 doubles with
  // npt = 2n+1, in `int` arithmetic: past n ≈ 16,900 that overflows and the search writes
  // out of bounds (SIGSEGV). Refuse before NLopt sees such a dimension.
  if (n < 0 || (s->algorithm == 0 && trj_nlopt_bobyqa_workspace(n) > (long long)INT_MAX)) {
    *fmin = 0;
    *evaluations = 0;
    return NLOPT_OUT_OF_MEMORY;
  }
  nlopt_opt opt = nlopt_create(algorithm, (unsigned)n);
  if (opt == NULL) return NLOPT_OUT_OF_MEMORY;
  trj_nlopt_bridge bridge = {f, context};
  nlopt_set_lower_bounds(opt, lower);
  nlopt_set_upper_bounds(opt, upper);
  nlopt_set_min_objective(opt, trj_nlopt_call, &bridge);
  if (s->ftol_rel > 0) nlopt_set_ftol_rel(opt, s->ftol_rel);
  if (s->ftol_abs > 0) nlopt_set_ftol_abs(opt, s->ftol_abs);
  if (s->xtol_rel > 0) nlopt_set_xtol_rel(opt, s->xtol_rel);
  if (s->xtol_abs > 0) nlopt_set_xtol_abs1(opt, s->xtol_abs);
  if (s->maxeval > 0) nlopt_set_maxeval(opt, s->maxeval);
  if (s->initial_step != NULL) nlopt_set_initial_step(opt, s->initial_step);
  double value = 0;
  nlopt_result result = nlopt_optimize(opt, x, &value);
  *fmin = value;
  *evaluations = nlopt_get_numevals(opt);
  nlopt_destroy(opt);
  return (int)result;
}
