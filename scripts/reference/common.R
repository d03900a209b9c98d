# Helpers shared by the scripts in scripts/reference/ (sourced, not run).
#
# A fixture script sources this file from its own directory, then calls
# reference_output_dir(); the helpers below expect the working directory at the repository
# root (which that call sets) and Sys.setlocale("LC_COLLATE", "C") already called.

# The output directory of a fixture script: its first command-line argument, else the
# given path below the repository root; created and normalised. The repository root is two
# levels above the running script (its --file), else the working directory; the working
# directory is then set to it.
reference_output_dir <- function(...) {
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  root <- if (length(file_arg) == 1) {
    normalizePath(file.path(dirname(sub("^--file=", "", file_arg)), "..", ".."))
  } else {
    normalizePath(".")
  }
  args <- commandArgs(trailingOnly = TRUE)
  out <- if (length(args) >= 1) args[[1]] else file.path(root, ...)
  dir.create(out, showWarnings = FALSE, recursive = TRUE)
  out <- normalizePath(out)
  setwd(root)
  out
}

# Reads a project CSV the way Trajectory does and returns a data frame ready
# for model fitting.
#   * character columns -> factor, levels = sorted unique non-NA values (C locale)
#   * columns named in `factors` (numeric in the CSV) -> factor, levels sorted
#     numerically
#   * `ref`: named list column -> level to put first (relevel)
read_project_csv <- function(path, factors = character(), ref = list()) {
  stopifnot(identical(Sys.getlocale("LC_COLLATE"), "C"))
  data <- utils::read.csv(path, stringsAsFactors = FALSE, na.strings = "NA")
  for (name in names(data)) {
    x <- data[[name]]
    if (is.character(x) || name %in% factors) {
      data[[name]] <- factor(x, levels = sort(unique(x[!is.na(x)])))
    }
  }
  missing_factors <- setdiff(factors, names(data))
  if (length(missing_factors)) stop("unknown factor column(s): ", toString(missing_factors))
  for (name in names(ref)) {
    data[[name]] <- stats::relevel(data[[name]], ref = ref[[name]])
  }
  data
}

# SHA-256 of a file as lowercase hex: digest if installed, else sha256sum(1).
sha256_file <- function(path) {
  if (requireNamespace("digest", quietly = TRUE)) {
    return(digest::digest(file = path, algo = "sha256"))
  }
  out <- system2("sha256sum", shQuote(path), stdout = TRUE)
  sub(" .*$", "", out[[1]])
}

# Versions of R and of the reference packages (null when not installed).
reference_versions <- function() {
  pkg <- function(name) {
    if (requireNamespace(name, quietly = TRUE)) as.character(utils::packageVersion(name)) else NULL
  }
  list(
    R = paste(R.version$major, R.version$minor, sep = "."),
    lme4 = pkg("lme4"),
    nlme = pkg("nlme"),
    Matrix = pkg("Matrix"),
    lmerTest = pkg("lmerTest"),
    pbkrtest = pkg("pbkrtest"),
    emmeans = pkg("emmeans")
  )
}

# MARK: - lme4 at the true optimum

# lme4's default lmerControl() stops nloptwrap's BOBYQA at xtol_rel = 1e-4: on flat or
# ridge-like criteria that is short of the optimum (Orthodont's REML criterion 5.6e-6 above
# it), and where it stops depends on the optimizer's path, so on the rounding of R's BLAS.
# Trajectory converges to the optimum, so the fixtures it is compared with are computed at
# lme4's fit refitted to the optimum:
#   1. the model fitted with nloptwrap's BOBYQA at tolerances near the criterion's rounding
#      (tight_optctrl) from lme4's usual start;
#   2. a restart of the same optimizer from that fit's theta;
#   3. with `minqa = TRUE` (the default), minqa's bobyqa (rhoend 1e-12) from lme4's start, an
#      independent optimizer;
#   4. the fit with the lowest criterion kept (`kept`; all criteria are recorded).
tight_optctrl <- list(ftol_rel = 1e-15, ftol_abs = 1e-15, xtol_rel = 1e-12, xtol_abs = 1e-12,
                      maxeval = 1e6)

tight_lmer_control <- function() {
  lme4::lmerControl(optimizer = "nloptwrap", optCtrl = tight_optctrl)
}

# `refit(control, start)` fits the case's model with an lmerControl and a start (NULL for
# lme4's own, else list(theta = ...)) in the caller's scope (so that emmeans and lmerTest can
# recover its data). Returns list(fit, control): the fit kept and a description of how it was
# obtained, for the fixture.
lmer_at_optimum <- function(refit, minqa = TRUE) {
  quiet <- function(expr) suppressMessages(suppressWarnings(expr))
  criterion <- function(f) if (lme4::isREML(f)) lme4::REMLcrit(f) else stats::deviance(f)
  first <- quiet(refit(tight_lmer_control(), NULL))
  restart <- quiet(refit(tight_lmer_control(), list(theta = lme4::getME(first, "theta"))))
  fits <- list(first = first, restart = restart)
  if (minqa) {
    fits$minqa <- quiet(refit(lme4::lmerControl(optimizer = "bobyqa",
                                                optCtrl = list(rhoend = 1e-12, maxfun = 1e6)),
                              NULL))
  }
  criteria <- lapply(fits, criterion)
  # On a tie the restart is kept, then the first fit; minqa's only when strictly lower.
  preference <- intersect(c("restart", "first", "minqa"), names(fits))
  kept <- preference[which.min(unlist(criteria[preference]))]
  list(
    fit = fits[[kept]],
    control = list(
      optimizer = "nloptwrap (NLOPT_LN_BOBYQA)", optCtrl = tight_optctrl,
      restart = "start = list(theta = theta of the first fit), same optCtrl",
      minqa = if (minqa) "lmerControl(optimizer = 'bobyqa', optCtrl = list(rhoend = 1e-12))",
      kept = kept, criteria = criteria,
      feval = list(first = first@optinfo$feval, restart = restart@optinfo$feval)))
}
