#!/usr/bin/env Rscript
# Peer for scripts/bench: times glmmTMB::glmmTMB(..., REML = TRUE) on one CSV, in-process.
#
# Usage: Rscript glmmtmb.R DATA.csv FORMULA REPS [CASE] [REF]   (arguments as in lmer.R)
# Prints ONE JSON line on stdout (same keys as lmer.R). `reml` = -2 logLik(fit): with REML = TRUE
# glmmTMB integrates the fixed effects out (Laplace, exact for a Gaussian model), which gives the
# same restricted likelihood as lme4's REMLcrit (checked by scripts/bench on every case).
# `evaluations` is nlminb's objective-evaluation count (glmmTMB's default optimizer).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) stop("usage: glmmtmb.R DATA.csv FORMULA REPS [CASE] [REF]")
csv <- args[[1]]
formula <- stats::as.formula(args[[2]])
reps <- as.integer(args[[3]])
case <- if (length(args) >= 4 && nzchar(args[[4]])) args[[4]] else basename(csv)
ref <- if (length(args) >= 5) args[[5]] else ""

suppressPackageStartupMessages({
  library(glmmTMB)
  library(jsonlite)
})

read_trial <- function(csv, ref) {
  d <- if (requireNamespace("data.table", quietly = TRUE)) {
    as.data.frame(data.table::fread(csv, showProgress = FALSE))
  } else {
    utils::read.csv(csv, stringsAsFactors = FALSE)
  }
  for (v in names(d)) if (is.character(d[[v]])) d[[v]] <- factor(d[[v]])
  for (spec in strsplit(ref, ",", fixed = TRUE)[[1]]) {
    kv <- strsplit(spec, "=", fixed = TRUE)[[1]]
    if (length(kv) == 2) d[[kv[[1]]]] <- stats::relevel(factor(d[[kv[[1]]]]), ref = kv[[2]])
  }
  d
}

t0 <- proc.time()[["elapsed"]]
data <- read_trial(csv, ref)
read_seconds <- proc.time()[["elapsed"]] - t0

times <- numeric(reps)
warns <- character(0)
fit <- NULL
for (r in seq_len(reps)) {
  t0 <- proc.time()[["elapsed"]]
  fit <- withCallingHandlers(
    glmmTMB(formula, data = data, REML = TRUE),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  times[[r]] <- proc.time()[["elapsed"]] - t0
}

evals <- fit$fit$evaluations
out <- list(
  case = case, tool = "glmmTMB", seconds = stats::median(times), reps = reps, times = I(times),
  reml = -2 * as.numeric(logLik(fit)), read_seconds = read_seconds, nobs = nobs(fit),
  evaluations = if (is.null(evals)) NA else unname(evals[["function"]]),
  optimizer = "nlminb (glmmTMBControl default)",
  converged = fit$fit$convergence == 0 && isTRUE(fit$sdr$pdHess),
  warnings = I(unique(warns)),
  version = paste0("glmmTMB ", packageVersion("glmmTMB"), ", TMB ", packageVersion("TMB"),
                   ", R ", getRversion())
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA), "\n", sep = "")
