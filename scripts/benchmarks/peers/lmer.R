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

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) stop("usage: lmer.R DATA.csv FORMULA REPS [CASE] [REF]")
csv <- args[[1]]
formula <- stats::as.formula(args[[2]])
reps <- as.integer(args[[3]])
case <- if (length(args) >= 4 && nzchar(args[[4]])) args[[4]] else basename(csv)
ref <- if (length(args) >= 5) args[[5]] else ""

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

# Reads the CSV; character columns become factors; REF entries pick the reference levels.
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
    lmer(formula, data = data, REML = TRUE),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  times[[r]] <- proc.time()[["elapsed"]] - t0
}

msgs <- fit@optinfo$conv$lme4$messages
out <- list(
  case = case, tool = "lmer", seconds = stats::median(times), reps = reps, times = I(times),
  reml = REMLcrit(fit), read_seconds = read_seconds, nobs = nobs(fit),
  evaluations = fit@optinfo$feval, optimizer = fit@optinfo$optimizer,
  warnings = I(unique(c(warns, if (is.null(msgs)) character(0) else msgs))),
  version = paste0("lme4 ", packageVersion("lme4"), ", R ", getRversion())
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA), "\n", sep = "")
