#include "CLinearAlgebra.h"

#include <cblas.h>
#include <lapacke.h>
#include <nlopt.h>
#include <stdlib.h>

// OpenBLAS exports these; Debian's cblas.h declares them, but declare defensively.
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);

static enum CBLAS_TRANSPOSE trans_of(int t) { return t ? CblasTrans : CblasNoTrans; }

void trj_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a,
               int lda, const double *b, int ldb, double beta, double *c, int ldc) {
  cblas_dgemm(CblasColMajor, trans_of(transA), trans_of(transB), m, n, k, alpha, a, lda, b, ldb,
              beta, c, ldc);
}

void trj_dsyrk_lower(int trans, int n, int k, double alpha, const double *a, int lda, double beta,
                     double *c, int ldc) {
  cblas_dsyrk(CblasColMajor, CblasLower, trans_of(trans), n, k, alpha, a, lda, beta, c, ldc);
}

void trj_dtrsm_lower(int left, int transA, int m, int n, double alpha, const double *a, int lda,
                     double *b, int ldb) {
  cblas_dtrsm(CblasColMajor, left ? CblasLeft : CblasRight, CblasLower, trans_of(transA),
              CblasNonUnit, m, n, alpha, a, lda, b, ldb);
}

void trj_dgemv(int transA, int m, int n, double alpha, const double *a, int lda, const double *x,
               double beta, double *y) {
  cblas_dgemv(CblasColMajor, trans_of(transA), m, n, alpha, a, lda, x, 1, beta, y, 1);
}

void trj_set_blas_threads(int n) { openblas_set_num_threads(n); }
int trj_blas_threads(void) { return openblas_get_num_threads(); }
const char *trj_blas_config(void) { return openblas_get_config(); }

int trj_dpotrf_lower(int n, double *a, int lda) {
  return LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, a, lda);
}

int trj_dtrtri_lower(int n, double *a, int lda) {
  return LAPACKE_dtrtri_work(LAPACK_COL_MAJOR, 'L', 'N', n, a, lda);
}

int trj_dpotri_lower(int n, double *a, int lda) {
  return LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', n, a, lda);
}

int trj_dgeqrf(int m, int n, double *a, int lda, double *tau) {
  return LAPACKE_dgeqrf(LAPACK_COL_MAJOR, m, n, a, lda, tau);
}

int trj_dgeqp3(int m, int n, double *a, int lda, int *jpvt, double *tau) {
  return LAPACKE_dgeqp3(LAPACK_COL_MAJOR, m, n, a, lda, jpvt, tau);
}

int trj_dsyev_values(int n, double *a, int lda, double *w) {
  return LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'L', n, a, lda, w);
}

typedef struct {
  trj_objective f;
  void *context;
} trj_nlopt_bridge;

static double trj_nlopt_call(unsigned n, const double *x, double *grad, void *data) {
  (void)grad;  // derivative-free algorithms only
  trj_nlopt_bridge *bridge = (trj_nlopt_bridge *)data;
  return bridge->f((int)n, x, bridge->context);
}

int trj_nlopt_minimize(int n, double *x, const double *lower, const double *upper,
                       trj_objective f, void *context, const trj_nlopt_settings *s,
                       double *fmin, int *evaluations) {
  nlopt_algorithm algorithm = NLOPT_LN_BOBYQA;
  if (s->algorithm == 1) algorithm = NLOPT_LN_NELDERMEAD;
  if (s->algorithm == 2) algorithm = NLOPT_LN_COBYLA;
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
