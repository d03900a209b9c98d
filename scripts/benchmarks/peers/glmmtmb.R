#!/usr/bin/env Rscript
# Peer for scripts/bench: times glmmTMB::glmmTMB(..., REML = TRUE) on one CSV, in-process.
#
# Usage: Rscript glmmtmb.R DATA.csv FORMULA REPS [CASE] [REF]   (arguments as in lmer.R)
# Prints ONE JSON line on stdout (same keys as lmer.R). `reml` = -2 logLik(fit): with REML = TRUE
# glmmTMB integrates the fixed effects out (Laplace, exact for a Gaussian model), which gives the
# same restricted likelihood as lme4's REMLcrit (checked by scripts/bench on every case).
# `evaluations` is nlminb's objective-evaluation count (glmmTMB's default optimizer).

source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[[1]]))), "common.R"))
a <- peer_args("glmmtmb.R")
suppressPackageStartupMessages(library(glmmTMB))

run <- time_fits(
  a, function(data) glmmTMB(stats::as.formula(a$formula_text), data = data, REML = TRUE))
fit <- run$fit
evals <- fit$fit$evaluations
emit(list(
  case = a$case, tool = "glmmTMB", seconds = stats::median(run$times), reps = a$reps,
  times = I(run$times), reml = -2 * as.numeric(logLik(fit)), read_seconds = run$read_seconds,
  nobs = nobs(fit), evaluations = if (is.null(evals)) NA else unname(evals[["function"]]),
  optimizer = "nlminb (glmmTMBControl default)",
  converged = fit$fit$convergence == 0 && isTRUE(fit$sdr$pdHess),
  warnings = I(unique(run$warnings)),
  version = paste0("glmmTMB ", packageVersion("glmmTMB"), ", TMB ", packageVersion("TMB"),
                   ", R ", getRversion())
))
