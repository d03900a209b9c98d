#include "CLinearAlgebra.h"

#include <cblas.h>
#include <dlfcn.h>
#include <lapacke.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Loading OpenBLAS with a fixed kernel
//
// OpenBLAS (Debian's DYNAMIC_ARCH build) picks its kernels by CPU when it is loaded, and
// different kernels round products differently: the same fit then differs in the last bits,
// and an optimiser on a flat ridge may walk another path. OpenBLAS reads its documented
// variable OPENBLAS_CORETYPE once, in its library constructor, so the library is not linked
// but loaded here, on first use, with that variable set: Haswell (AVX2 + FMA) on every CPU
// that can run it, so that every such x86-64 machine computes the same bits.
// TRAJ_OPENBLAS_CORETYPE names another kernel (for tests and measurements), or "auto" to let
// OpenBLAS choose. The caller's environment is restored after loading.

// OpenBLAS exports these; Debian's cblas.h declares them, but declare defensively.
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);

static struct {
  __typeof__(cblas_dgemm) *dgemm;
  __typeof__(cblas_dsyrk) *dsyrk;
  __typeof__(cblas_dtrsm) *dtrsm;
  __typeof__(cblas_dgemv) *dgemv;
  __typeof__(openblas_set_num_threads) *set_num_threads;
  __typeof__(openblas_get_num_threads) *get_num_threads;
  __typeof__(openblas_get_config) *get_config;
  __typeof__(openblas_get_corename) *get_corename;
  __typeof__(LAPACKE_dpotrf_work) *dpotrf;
  __typeof__(LAPACKE_dtrtri_work) *dtrtri;
  __typeof__(LAPACKE_dpotri_work) *dpotri;
  __typeof__(LAPACKE_dgeqrf) *dgeqrf;
  __typeof__(LAPACKE_dgeqp3) *dgeqp3;
  __typeof__(LAPACKE_dsyev) *dsyev;
  char requested[32];  // the kernel asked for ("" when OpenBLAS chose)
} blas;

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void blas_fail(const char *what, const char *detail) {
  fprintf(stderr,
          "traj: error: cannot load %s (%s); install Debian's libopenblas0 and liblapacke "
          "(scripts/demo does)\n",
          what, detail ? detail : "unknown error");
  exit(1);
}

static void *blas_symbol(void *library, const char *library_name, const char *name) {
  void *symbol = dlsym(library, name);
  if (symbol == NULL) blas_fail(library_name, dlerror());
  return symbol;
}

// Sets `name` to `value` and returns a copy of its previous value (NULL when it was unset).
static char *swap_environment(const char *name, const char *value) {
  const char *old = getenv(name);
  char *saved = old ? strdup(old) : NULL;
  if (value) setenv(name, value, 1);
  return saved;
}

// Puts back what `swap_environment` replaced; `changed` says whether it replaced anything.
static void restore_environment(const char *name, char *saved, int changed) {
  if (!changed) return;
  if (saved) {
    setenv(name, saved, 1);
    free(saved);
  } else {
    unsetenv(name);
  }
}

static void blas_load(void) {
  const char *choice = getenv("TRAJ_OPENBLAS_CORETYPE");
  const char *kernel = NULL;
  if (choice != NULL && choice[0] != '\0') {
    if (strcmp(choice, "auto") != 0) kernel = choice;
  } else {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) kernel = "Haswell";
  }
  if (kernel) snprintf(blas.requested, sizeof blas.requested, "%s", kernel);
  // Without a kernel to ask for, OpenBLAS chooses (and honours the caller's OPENBLAS_CORETYPE).
  char *saved_core = swap_environment("OPENBLAS_CORETYPE", kernel);
  // One thread from the start: the project's own loops are the parallel ones, and OpenBLAS's
  // threaded products round differently (see BLASThreads).
  char *saved_threads = swap_environment("OPENBLAS_NUM_THREADS", "1");
  // RTLD_GLOBAL first, so that LAPACKE's calls bind to OpenBLAS's LAPACK (as a linked
  // libopenblas would), not to the reference liblapack.so.3 it also depends on.
  void *openblas = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_GLOBAL);
  if (openblas == NULL) blas_fail("libopenblas.so.0", dlerror());
  void *lapacke = dlopen("liblapacke.so.3", RTLD_NOW | RTLD_GLOBAL);
  if (lapacke == NULL) blas_fail("liblapacke.so.3", dlerror());
  restore_environment("OPENBLAS_NUM_THREADS", saved_threads, 1);
  restore_environment("OPENBLAS_CORETYPE", saved_core, kernel != NULL);

  const char *ob = "libopenblas.so.0", *lp = "liblapacke.so.3";
  blas.dgemm = blas_symbol(openblas, ob, "cblas_dgemm");
  blas.dsyrk = blas_symbol(openblas, ob, "cblas_dsyrk");
  blas.dtrsm = blas_symbol(openblas, ob, "cblas_dtrsm");
  blas.dgemv = blas_symbol(openblas, ob, "cblas_dgemv");
  blas.set_num_threads = blas_symbol(openblas, ob, "openblas_set_num_threads");
  blas.get_num_threads = blas_symbol(openblas, ob, "openblas_get_num_threads");
  blas.get_config = blas_symbol(openblas, ob, "openblas_get_config");
  blas.get_corename = blas_symbol(openblas, ob, "openblas_get_corename");
  blas.dpotrf = blas_symbol(lapacke, lp, "LAPACKE_dpotrf_work");
  blas.dtrtri = blas_symbol(lapacke, lp, "LAPACKE_dtrtri_work");
  blas.dpotri = blas_symbol(lapacke, lp, "LAPACKE_dpotri_work");
  blas.dgeqrf = blas_symbol(lapacke, lp, "LAPACKE_dgeqrf");
  blas.dgeqp3 = blas_symbol(lapacke, lp, "LAPACKE_dgeqp3");
  blas.dsyev = blas_symbol(lapacke, lp, "LAPACKE_dsyev");
  // The project's one BLAS thread policy (see BLASThreads): one thread, also for an OpenMP
  // build of OpenBLAS, which sizes its pool from OMP_NUM_THREADS rather than the variable above.
  blas.set_num_threads(1);
}

// The loaded library's function table (loading it on first use).
#define BLAS (pthread_once(&blas_once, blas_load), &blas)

const char *trj_blas_kernel(void) { return BLAS->get_corename(); }
const char *trj_blas_requested_kernel(void) { return BLAS->requested; }

static enum CBLAS_TRANSPOSE trans_of(int t) { return t ? CblasTrans : CblasNoTrans; }

void trj_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a,
               int lda, const double *b, int ldb, double beta, double *c, int ldc) {
  BLAS->dgemm(CblasColMajor, trans_of(transA), trans_of(transB), m, n, k, alpha, a, lda, b, ldb,
              beta, c, ldc);
}

void trj_dsyrk_lower(int trans, int n, int k, double alpha, const double *a, int lda, double beta,
                     double *c, int ldc) {
  BLAS->dsyrk(CblasColMajor, CblasLower, trans_of(trans), n, k, alpha, a, lda, beta, c, ldc);
}

void trj_dtrsm_lower(int left, int transA, int m, int n, double alpha, const double *a, int lda,
                     double *b, int ldb) {
  BLAS->dtrsm(CblasColMajor, left ? CblasLeft : CblasRight, CblasLower, trans_of(transA),
              CblasNonUnit, m, n, alpha, a, lda, b, ldb);
}

void trj_dgemv(int transA, int m, int n, double alpha, const double *a, int lda, const double *x,
               double beta, double *y) {
  BLAS->dgemv(CblasColMajor, trans_of(transA), m, n, alpha, a, lda, x, 1, beta, y, 1);
}

void trj_set_blas_threads(int n) { BLAS->set_num_threads(n); }
int trj_blas_threads(void) { return BLAS->get_num_threads(); }
const char *trj_blas_config(void) { return BLAS->get_config(); }

int trj_dpotrf_lower(int n, double *a, int lda) {
  return BLAS->dpotrf(LAPACK_COL_MAJOR, 'L', n, a, lda);
}

int trj_dtrtri_lower(int n, double *a, int lda) {
  return BLAS->dtrtri(LAPACK_COL_MAJOR, 'L', 'N', n, a, lda);
}

int trj_dpotri_lower(int n, double *a, int lda) {
  return BLAS->dpotri(LAPACK_COL_MAJOR, 'L', n, a, lda);
}

int trj_dgeqrf(int m, int n, double *a, int lda, double *tau) {
  return BLAS->dgeqrf(LAPACK_COL_MAJOR, m, n, a, lda, tau);
}

int trj_dgeqp3(int m, int n, double *a, int lda, int *jpvt, double *tau) {
  return BLAS->dgeqp3(LAPACK_COL_MAJOR, m, n, a, lda, jpvt, tau);
}

int trj_dsyev_values(int n, double *a, int lda, double *w) {
  return BLAS->dsyev(LAPACK_COL_MAJOR, 'N', 'L', n, a, lda, w);
}
