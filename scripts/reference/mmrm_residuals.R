#!/usr/bin/env Rscript
# Golden fixtures for the residual diagnostics of Trajectory's MMRM
# (MMRMModel+Residuals.swift): per row the marginal fitted value X b, the raw residual
# y - X b and the normalized residual L_i^-1 (y_i - X_i b), V_i = L_i L_i^T the lower
# Cholesky factor of subject i's marginal covariance, as nlme's
# residuals(gls_fit, type = "normalized") (and mmrm's residuals(type = "normalized")).
#
# Usage (from anywhere; paths are resolved against the repository root):
#   Rscript scripts/reference/mmrm_residuals.R [output_dir]
#                                    # default: Tests/Fixtures/mmrm/residuals
#
# Data: Tests/Fixtures/mmrm/ketamine_visits1to6.csv (written by mmrm.R), read as
# Trajectory reads it (common.R: read_project_csv; visit a factor) and sorted by subject
# and visit, so that nlme's within-subject order is the visit order the Cholesky factor
# uses. The fits are those of mmrm.R (same gls calls, same optimiser settings and refits).
#
# One JSON file per case: <output_dir>/<case>.json with the rows as subject, visit,
# fitted, raw, normalized (nlme's), cholesky (L_i^-1 r_i from getVarCov and chol)
# (jsonlite::toJSON(digits = NA)).

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))

suppressPackageStartupMessages({
  library(nlme)
  library(jsonlite)
})

source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "mmrm", "residuals")

dataset_rel <- "Tests/Fixtures/mmrm/ketamine_visits1to6.csv"
data <- read_project_csv(dataset_rel, factors = "visit")
data <- data[order(as.character(data$subject), as.integer(data$visit)), ]
rownames(data) <- NULL
data$visit_index <- as.integer(data$visit)

fixed <- pain ~ visit * arm + baseline_pain
gls_control <- glsControl(maxIter = 1000, msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14,
                          returnObject = TRUE, opt = "optim")

correlation_of <- function(name, value = NULL) {
  switch(name,
         corSymm = if (is.null(value)) corSymm(form = ~ visit_index | subject) else
           corSymm(value, form = ~ visit_index | subject),
         corAR1 = if (is.null(value)) corAR1(form = ~ visit_index | subject) else
           corAR1(value, form = ~ visit_index | subject),
         corCompSymm = if (is.null(value)) corCompSymm(form = ~ visit_index | subject) else
           corCompSymm(value, form = ~ visit_index | subject))
}

cases <- list(
  list(name = "us_reml", structure = "us", correlation = "corSymm", heterogeneous = TRUE),
  list(name = "ar1h_reml", structure = "ar1h", correlation = "corAR1", heterogeneous = TRUE),
  list(name = "cs_reml", structure = "cs", correlation = "corCompSymm", heterogeneous = FALSE)
)

for (cs in cases) {
  weights <- if (cs$heterogeneous) varIdent(form = ~ 1 | visit) else NULL
  fit <- gls(fixed, correlation = correlation_of(cs$correlation), weights = weights,
             data = data, method = "REML", control = gls_control)
  for (refit in 1:2) {
    rho0 <- coef(fit$modelStruct$corStruct, unconstrained = FALSE)
    w0 <- if (cs$heterogeneous) {
      varIdent(coef(fit$modelStruct$varStruct, unconstrained = FALSE), form = ~ 1 | visit)
    } else NULL
    fit <- gls(fixed, correlation = correlation_of(cs$correlation, rho0), weights = w0,
               data = data, method = "REML", control = gls_control)
  }
  fitted_values <- as.numeric(fitted(fit))
  raw <- as.numeric(residuals(fit, type = "response"))
  normalized <- as.numeric(residuals(fit, type = "normalized"))
  # L_i^-1 r_i with V_i = getVarCov(fit, individual = i) = L_i L_i^T (R's chol is upper,
  # L_i = t(chol(V_i))). nlme's own "normalized" residuals use this factor for corSymm and
  # corAR1, but another square root of V_i^-1 for corCompSymm (its closed-form factor), so
  # both are recorded; any square root whitens, mmrm's is the Cholesky one.
  cholesky <- numeric(nrow(data))
  for (s in unique(as.character(data$subject))) {
    rows <- which(as.character(data$subject) == s)
    v <- unclass(getVarCov(fit, individual = s))
    cholesky[rows] <- forwardsolve(t(chol(v)), raw[rows])
  }
  fx <- list(
    generator = "scripts/reference/mmrm_residuals.R",
    versions = reference_versions(),
    dataset = list(path = dataset_rel, sha256 = sha256_file(dataset_rel)),
    call = list(
      formula = paste0("pain ~ visit * arm + baseline_pain + ", cs$structure, "(visit | subject)"),
      method = "REML", factors = list("visit"),
      nlme = paste(deparse(fit$call, width.cutoff = 500), collapse = " ")
    ),
    expected = list(
      logLik = as.numeric(logLik(fit)),
      rows = lapply(seq_len(nrow(data)), function(i)
        list(subject = as.character(data$subject[[i]]), visit = as.integer(as.character(data$visit[[i]])),
             fitted = fitted_values[[i]], raw = raw[[i]], normalized = normalized[[i]],
             cholesky = cholesky[[i]]))
    )
  )
  json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
  writeLines(json, file.path(out_dir, paste0(cs$name, ".json")))
  cat("wrote", cs$name, "\n")
}
