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

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) stop("usage: nlme.R DATA.csv FORMULA REPS [CASE] [REF]")
csv <- args[[1]]
formula_text <- paste(args[[2]], collapse = " ")
reps <- as.integer(args[[3]])
case <- if (length(args) >= 4 && nzchar(args[[4]])) args[[4]] else basename(csv)
ref <- if (length(args) >= 5) args[[5]] else ""

suppressPackageStartupMessages({
  library(nlme)
  library(jsonlite)
})

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

model <- translate(formula_text)
t0 <- proc.time()[["elapsed"]]
data <- read_trial(csv, ref)
read_seconds <- proc.time()[["elapsed"]] - t0

times <- numeric(reps)
warns <- character(0)
fit <- NULL
for (r in seq_len(reps)) {
  t0 <- proc.time()[["elapsed"]]
  fit <- withCallingHandlers(
    lme(model$fixed, data = data, random = model$random, method = "REML",
        control = lmeControl(returnObject = TRUE)),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  times[[r]] <- proc.time()[["elapsed"]] - t0
}

out <- list(
  case = case, tool = "nlme", seconds = stats::median(times), reps = reps, times = I(times),
  reml = -2 * as.numeric(logLik(fit)), read_seconds = read_seconds, nobs = fit$dims$N,
  optimizer = "nlminb (lmeControl default)",
  warnings = I(unique(warns)),
  version = paste0("nlme ", packageVersion("nlme"), ", R ", getRversion())
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA), "\n", sep = "")
