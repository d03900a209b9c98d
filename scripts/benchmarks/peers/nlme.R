#!/usr/bin/env Rscript
# Peer for scripts/bench: times nlme::lme on one CSV, in-process.
#
# Usage: Rscript nlme.R DATA.csv FORMULA REPS [CASE] [REF]
#   FORMULA  lme4 syntax with one random-effects term, e.g.
#            'pain ~ week * arm + baseline_pain + (1 + week | subject)'; it is translated to
#            lme(pain ~ week * arm + baseline_pain, random = ~ 1 + week | subject, method = "REML")
#   REPS, CASE, REF as in lmer.R.
# Prints ONE JSON line on stdout (same keys as lmer.R). `reml` = -2 logLik(fit) for the REML fit,
# which is on lme4's REMLcrit scale (both are -2 x the restricted log-likelihood including the
# (n - p) log(2 pi) constant; checked by scripts/bench on every case).
# lmeControl(returnObject = TRUE): a fit that hits nlme's iteration limit is still reported (with
# a warning) instead of aborting; scripts/bench's REML comparison then shows how far off it is.

source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[[1]]))), "common.R"))
a <- peer_args("nlme.R")
suppressPackageStartupMessages(library(nlme))

# Splits an lme4 formula with exactly one `(lhs | group)` term into nlme's fixed and random parts.
translate <- function(text) {
  bar <- regmatches(text, regexpr("\\(([^()|]+)\\|([^()]+)\\)", text))
  if (length(bar) != 1) stop("nlme.R: need exactly one (terms | group) term in: ", text)
  inner <- sub("^\\((.*)\\)$", "\\1", bar)
  parts <- strsplit(inner, "|", fixed = TRUE)[[1]]
  fixed <- sub(bar, "", text, fixed = TRUE)
  fixed <- gsub("\\+\\s*\\+", "+", fixed)
  fixed <- sub("\\s*\\+\\s*$", "", sub("~\\s*\\+", "~", fixed))
  list(fixed = stats::as.formula(fixed),
       random = stats::as.formula(paste("~", trimws(parts[[1]]), "|", trimws(parts[[2]]))))
}

model <- translate(a$formula_text)
run <- time_fits(a, function(data) {
  lme(model$fixed, data = data, random = model$random, method = "REML",
      control = lmeControl(returnObject = TRUE))
})
fit <- run$fit
emit(list(
  case = a$case, tool = "nlme", seconds = stats::median(run$times), reps = a$reps,
  times = I(run$times), reml = -2 * as.numeric(logLik(fit)), read_seconds = run$read_seconds,
  nobs = fit$dims$N, optimizer = "nlminb (lmeControl default)",
  warnings = I(unique(run$warnings)),
  version = paste0("nlme ", packageVersion("nlme"), ", R ", getRversion())
))
