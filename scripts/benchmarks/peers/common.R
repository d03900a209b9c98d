# Shared by the R peers of scripts/bench (lmer.R, nlme.R, glmmtmb.R): argument parsing,
# reading the trial CSV, and timing repeated fits in-process. Sourced, never run on its own.

# Parses `DATA.csv FORMULA REPS [CASE] [REF]`; `tool` names the script in the usage message.
peer_args <- function(tool) {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) < 3) stop(sprintf("usage: %s DATA.csv FORMULA REPS [CASE] [REF]", tool))
  list(
    csv = args[[1]],
    formula_text = paste(args[[2]], collapse = " "),
    reps = as.integer(args[[3]]),
    case = if (length(args) >= 4 && nzchar(args[[4]])) args[[4]] else basename(args[[1]]),
    ref = if (length(args) >= 5) args[[5]] else ""
  )
}

# Reads the CSV (data.table::fread when installed, else read.csv); character columns become
# factors; REF entries ('var=level[,var=level]') pick the reference levels.
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

# Reads the data (timed on its own), then calls `fit_once(data)` `reps` times, collecting
# warnings without printing them. Returns the last fit, the elapsed time of each fit, the
# warnings and the reading time.
time_fits <- function(a, fit_once) {
  t0 <- proc.time()[["elapsed"]]
  data <- read_trial(a$csv, a$ref)
  read_seconds <- proc.time()[["elapsed"]] - t0
  times <- numeric(a$reps)
  warns <- character(0)
  fit <- NULL
  for (r in seq_len(a$reps)) {
    t0 <- proc.time()[["elapsed"]]
    fit <- withCallingHandlers(fit_once(data), warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
    times[[r]] <- proc.time()[["elapsed"]] - t0
  }
  list(fit = fit, times = times, warnings = warns, read_seconds = read_seconds)
}

# Prints the one JSON line scripts/bench reads.
emit <- function(out) {
  cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA), "\n", sep = "")
}
