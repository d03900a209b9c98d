// The BLAS/LAPACK shim: thin, `trj_`-prefixed wrappers over OpenBLAS and LAPACKE, imported by
// LinearAlgebra only (NLopt has its own shim, CNLopt). OpenBLAS and LAPACKE are loaded on first
// use with a fixed kernel (CLinearAlgebra.c). No BLAS/LAPACK type or symbol is visible to Swift;
// every dimension is `int` (32-bit `blasint`/`lapack_int` on Debian), every matrix is
// column-major.
#ifndef TRJ_CLINEARALGEBRA_H
#define TRJ_CLINEARALGEBRA_H

// MARK: - BLAS

/// C := alpha * op(A) * op(B) + beta * C, column-major. transA/transB: 0 = N, 1 = T.
void trj_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a,
               int lda, const double *b, int ldb, double beta, double *c, int ldc);

/// Lower triangle of C := alpha * A * A' + beta * C (trans = 0) or alpha * A' * A + beta * C (trans = 1).
void trj_dsyrk_lower(int trans, int n, int k, double alpha, const double *a, int lda, double beta,
                     double *c, int ldc);

/// B := alpha * op(A)^-1 * B (left = 1) or alpha * B * op(A)^-1 (left = 0), A lower triangular.
void trj_dtrsm_lower(int left, int transA, int m, int n, double alpha, const double *a, int lda,
                     double *b, int ldb);

/// y := alpha * op(A) * x + beta * y.
void trj_dgemv(int transA, int m, int n, double alpha, const double *a, int lda, const double *x,
               double beta, double *y);

/// Sets the number of OpenBLAS threads (1 inside our own parallel loops).
void trj_set_blas_threads(int n);
/// Current number of OpenBLAS threads.
int trj_blas_threads(void);
/// The OpenBLAS build configuration string (for provenance).
const char *trj_blas_config(void);
/// The name of the kernel OpenBLAS runs (such as "Haswell").
const char *trj_blas_kernel(void);
/// The kernel Trajectory asked OpenBLAS for when loading it ("Haswell" on CPUs with AVX2 and
/// FMA, TRAJ_OPENBLAS_CORETYPE when set), or "" when OpenBLAS chose by itself.
const char *trj_blas_requested_kernel(void);

// MARK: - LAPACK (return LAPACK's info code)

/// Lower Cholesky factor in place; the strict upper triangle is left untouched.
int trj_dpotrf_lower(int n, double *a, int lda);
/// Inverse of a lower-triangular matrix in place.
int trj_dtrtri_lower(int n, double *a, int lda);
/// Inverse of a symmetric positive-definite matrix from its lower Cholesky factor (lower triangle).
int trj_dpotri_lower(int n, double *a, int lda);
/// Householder QR without pivoting (R in the upper triangle); tau has min(m,n) entries.
int trj_dgeqrf(int m, int n, double *a, int lda, double *tau);
/// QR with column pivoting; jpvt must be zero on entry and is returned 1-based; tau has min(m,n).
int trj_dgeqp3(int m, int n, double *a, int lda, int *jpvt, double *tau);
/// Eigenvalues (ascending, into w) of a symmetric matrix, lower triangle used; a is destroyed.
int trj_dsyev_values(int n, double *a, int lda, double *w);

#endif
