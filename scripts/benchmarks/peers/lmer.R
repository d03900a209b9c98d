#!/usr/bin/env Rscript
# Peer for scripts/bench: times lme4::lmer on one CSV, in-process.
#
# Usage: Rscript lmer.R DATA.csv FORMULA REPS [CASE] [REF]
#   FORMULA  lme4 syntax, e.g. 'pain ~ week * arm + baseline_pain + (1 + week | subject)'
#   REPS     number of fits; `seconds` is the median fit time (elapsed, in-process)
#   CASE     case name echoed into the output (default: the CSV file name)
#   REF      reference levels, 'var=level[,var=level]' (e.g. 'arm=placebo')
# Prints ONE JSON line on stdout:
#   {"case", "tool": "lmer", "seconds", "reps", "times", "reml", "read_seconds", "nobs",
#    "evaluations", "warnings", "version"}
# `reml` is lme4's REMLcrit() (= -2 x REML log-likelihood) of the last fit. Reading (with
# data.table::fread when installed, else read.csv) and factor set-up are timed separately in
# `read_seconds`, not in `seconds`.

source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[[1]]))), "common.R"))
a <- peer_args("lmer.R")
suppressPackageStartupMessages(library(lme4))

run <- time_fits(a, function(data) lmer(stats::as.formula(a$formula_text), data = data, REML = TRUE))
fit <- run$fit
msgs <- fit@optinfo$conv$lme4$messages
emit(list(
  case = a$case, tool = "lmer", seconds = stats::median(run$times), reps = a$reps,
  times = I(run$times), reml = REMLcrit(fit), read_seconds = run$read_seconds, nobs = nobs(fit),
  evaluations = fit@optinfo$feval, optimizer = fit@optinfo$optimizer,
  warnings = I(unique(c(run$warnings, if (is.null(msgs)) character(0) else msgs))),
  version = paste0("lme4 ", packageVersion("lme4"), ", R ", getRversion())
))
