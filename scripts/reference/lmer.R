#!/usr/bin/env Rscript
# Golden fixtures for Trajectory's linear mixed models, computed with lme4::lmer.
#
# Usage (from anywhere; paths are resolved against the repository root):
#   Rscript scripts/reference/lmer.R [output_dir]      # default: Tests/Fixtures/lmer
#
# Every model is fitted to the data as READ BACK from the project's CSV files in
# datasets/, converted exactly as Trajectory converts them:
#   * character columns become factors whose levels are the sorted unique
#     non-missing values in C-locale (byte) order;
#   * numeric columns listed in a case's `factors` (e.g. sleepstudy's integer
#     Subject) become factors with levels sorted numerically;
#   * a case may move a reference level first (`ref`, via relevel()).
#   * a case may keep only the rows where an R condition holds (`where`), as
#     subset() does (rows where it is NA are left out); the same text is what
#     `traj fit --where` receives, and the fixture's `call` records it.
# lmer() is called with its defaults (lmerControl(): optimizer "nloptwrap",
# na.action from options(), i.e. na.omit), REML = TRUE unless the case says ML:
# the fixture's `expected` block.
#
# lme4's defaults stop BOBYQA at xtol_rel = 1e-4, which on flat or ridge-like
# surfaces is short of the optimum and depends on the optimizer's path (so on
# the BLAS kernel's rounding).  Each case is therefore refitted to the true
# optimum (common.R's lmer_at_optimum: a tight nloptwrap BOBYQA fit, a restart
# from its theta, the lower criterion kept), the fixture's `tight` block, which
# Trajectory is compared with; `tight$control` says how it was obtained and
# records minqa's bobyqa criterion beside it.
#
# lme4's default fit depends on the BLAS kernel (R's BLAS is Debian's
# OpenBLAS) and on memory addresses: run this script with
# OPENBLAS_CORETYPE=Haswell and without address-space randomisation (setarch -R),
# as scripts/reference/check does, so that `expected` is reproducible.
#
# One JSON file per case: <output_dir>/<case>.json.  Numbers are written with
# jsonlite::toJSON(digits = NA), i.e. 15 significant digits.

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

# MARK: - Paths

source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "lmer")

# MARK: - Cases

case <- function(name, dataset, formula, method = "REML", ref = list(), factors = character(),
                 note = NULL, where = NULL, weights = NULL, offset = NULL) {
  list(name = name, dataset = dataset, formula = formula, method = method, ref = ref,
       factors = factors, note = note, where = where, weights = weights, offset = offset)
}

# Prior weights and an offset (lmer's weights = and offset =): sleepstudy with a weight w and
# an offset o, deterministic functions of Days, written next to the fixtures (always to
# Tests/Fixtures/lmer, so that scripts/reference/check compares like with like).
weighted_path <- file.path("Tests", "Fixtures", "lmer", "sleepstudy_weighted.csv")
local({
  raw <- utils::read.csv("datasets/sleepstudy.csv", stringsAsFactors = FALSE)
  raw$w <- 1 + (raw$Days %% 3) / 2
  raw$o <- 2.5 * raw$Days
  dir.create(dirname(weighted_path), showWarnings = FALSE, recursive = TRUE)
  utils::write.csv(raw, weighted_path, row.names = FALSE)
})

cases <- list(
  case("sleepstudy_slope_reml", "datasets/sleepstudy.csv",
       "Reaction ~ Days + (Days | Subject)", factors = "Subject"),
  case("sleepstudy_slope_ml", "datasets/sleepstudy.csv",
       "Reaction ~ Days + (Days | Subject)", method = "ML", factors = "Subject"),
  case("sleepstudy_uncorrelated_reml", "datasets/sleepstudy.csv",
       "Reaction ~ Days + (Days || Subject)", factors = "Subject"),
  # Row selection (traj fit --where): the first two days are adaptation and training.
  case("sleepstudy_days2", "datasets/sleepstudy.csv",
       "Reaction ~ Days + (Days | Subject)", factors = "Subject", where = "Days >= 2"),
  case("sleepstudy_intercept_reml", "datasets/sleepstudy.csv",
       "Reaction ~ Days + (1 | Subject)", factors = "Subject"),
  case("sleepstudy_zero_slope_reml", "datasets/sleepstudy.csv",
       "Reaction ~ Days + (0 + Days | Subject)", factors = "Subject"),
  case("orthodont_age_sex_reml", "datasets/orthodont.csv",
       "distance ~ age * Sex + (age | Subject)", ref = list(Sex = "Male")),
  # Uncentred age makes the ML surface awkward for the optimizer: lme4 reports a
  # gradient-check warning (max|grad| ~ 0.0025 > 0.002) here.
  case("orthodont_age_sex_ml_gradient_warning", "datasets/orthodont.csv",
       "distance ~ age * Sex + (age | Subject)", method = "ML", ref = list(Sex = "Male")),
  # Subject is nested in Sex, so the Sex column is aliased with the Subject
  # dummies: lme4 drops one column (chkRank.drop.cols).  A random slope only,
  # because a random intercept would be confounded with the fixed Subject effects.
  case("orthodont_rank_deficient_reml", "datasets/orthodont.csv",
       "distance ~ age + Sex + Subject + (0 + age | Subject)", ref = list(Sex = "Male")),
  case("penicillin_crossed_reml", "datasets/penicillin.csv",
       "diameter ~ 1 + (1 | plate) + (1 | sample)"),
  case("pastes_nested_reml", "datasets/pastes.csv",
       "strength ~ 1 + (1 | batch/cask)"),
  case("pain_trial_reml", "datasets/pain_trial.csv",
       "pain ~ week * arm + baseline_pain + (1 + week | subject)", ref = list(arm = "placebo")),
  case("pain_trial_ml", "datasets/pain_trial.csv",
       "pain ~ week * arm + baseline_pain + (1 + week | subject)", method = "ML",
       ref = list(arm = "placebo")),
  # Site adds nothing beyond the subject effects: the (1 | site) variance is
  # estimated at the boundary (theta = 0), a singular fit.
  case("pain_trial_site_singular_reml", "datasets/pain_trial.csv",
       "pain ~ week * arm + baseline_pain + (1 + week | subject) + (1 | site)",
       ref = list(arm = "placebo")),
  case("sleepstudy_weights_reml", weighted_path, "Reaction ~ Days + (Days | Subject)",
       factors = "Subject", weights = "w"),
  case("sleepstudy_weights_ml", weighted_path, "Reaction ~ Days + (Days | Subject)",
       factors = "Subject", weights = "w", method = "ML"),
  case("sleepstudy_offset_reml", weighted_path, "Reaction ~ Days + (Days | Subject)",
       factors = "Subject", offset = "o"),
  case("sleepstudy_weights_offset_reml", weighted_path, "Reaction ~ Days + (1 | Subject)",
       factors = "Subject", weights = "w", offset = "o")
)

# lmer's call for a case, with the case's weights and offset as columns of `data`, so that
# lme4 prints them (Weights: w, Offset: o) as Trajectory does.
lmer_call <- function(cs, ...) {
  call <- as.call(c(list(quote(lmer), stats::as.formula(cs$formula), data = quote(data),
                         REML = quote(reml)), list(...)))
  if (!is.null(cs$weights)) call$weights <- as.name(cs$weights)
  if (!is.null(cs$offset)) call$offset <- as.name(cs$offset)
  call
}

# MARK: - Extraction

fixture_for <- function(cs) {
  data <- read_project_csv(cs$dataset, factors = cs$factors, ref = cs$ref)
  n_read <- nrow(data)
  if (!is.null(cs$where)) {
    keep <- eval(parse(text = cs$where)[[1]], data, baseenv())
    data <- data[!is.na(keep) & keep, , drop = FALSE]
  }
  reml <- identical(cs$method, "REML")
  notes <- character()
  fit <- withCallingHandlers(
    eval(lmer_call(cs, control = quote(lmerControl()))),
    message = function(m) {
      notes <<- c(notes, paste("message:", trimws(conditionMessage(m))))
      invokeRestart("muffleMessage")
    },
    warning = function(w) {
      notes <<- c(notes, paste("warning:", trimws(conditionMessage(w))))
      invokeRestart("muffleWarning")
    }
  )
  # The starting theta lme4 hands to the optimizer (see getStart/mkLmerDevfun).
  devfun <- suppressMessages(eval(lmer_call(cs, control = quote(lmerControl()),
                                            devFunOnly = TRUE)))
  start_theta <- as.numeric(environment(devfun)$pp$theta)
  for (n in notes) cat(sprintf("  [%s] lme4 %s\n", cs$name, n))

  n_rows <- nrow(data)
  expected <- describe_fit(fit, cs, n_rows, start_theta)
  tight <- lmer_at_optimum(function(control, start) {
    eval(lmer_call(cs, control = quote(control), start = quote(start)))
  })
  tight_block <- c(describe_fit(tight$fit, cs, n_rows, start_theta), list(control = tight$control))

  call <- list(formula = cs$formula, method = cs$method,
               ref = if (length(cs$ref)) cs$ref else stats::setNames(list(), character()),
               factors = I(cs$factors))
  # Only for cases with weights, an offset or a row filter, so the others keep their bytes.
  if (!is.null(cs$weights)) call$weights <- cs$weights
  if (!is.null(cs$offset)) call$offset <- cs$offset
  if (!is.null(cs$where)) {
    call$where <- cs$where
    expected$rows_excluded <- n_read - n_rows
    tight_block$rows_excluded <- n_read - n_rows
  }

  list(
    generator = "scripts/reference/lmer.R",
    versions = reference_versions(),
    dataset = list(path = cs$dataset, sha256 = sha256_file(cs$dataset)),
    call = call,
    expected = expected,
    tight = tight_block
  )
}

# Everything the fixture records of one lmer fit (the `expected` and `tight` blocks).
describe_fit <- function(fit, cs, n_rows, start_theta) {
  reml <- identical(cs$method, "REML")
  re <- ranef(fit, condVar = TRUE)
  ranef_json <- list()
  condsd_json <- list()
  for (g in names(re)) {
    tab <- re[[g]]
    pv <- attr(tab, "postVar")
    sds <- conditional_sds(pv, nrow(tab))
    levs <- rownames(tab)
    per_level <- list()
    per_level_sd <- list()
    for (k in seq_along(levs)) {
      per_level[[levs[k]]] <- as.list(stats::setNames(as.numeric(tab[k, ]), colnames(tab)))
      per_level_sd[[levs[k]]] <- as.list(stats::setNames(sds[k, ], colnames(tab)))
    }
    ranef_json[[g]] <- per_level
    condsd_json[[g]] <- per_level_sd
  }

  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  varcorr <- lapply(seq_len(nrow(vc)), function(i) {
    row <- vc[i, ]
    if (is.na(row$var2)) {
      list(group = row$grp, term = if (is.na(row$var1)) "" else row$var1, sd = row$sdcor)
    } else {
      list(group = row$grp, terms = I(c(row$var1, row$var2)), corr = row$sdcor)
    }
  })

  coefs <- stats::coef(summary(fit))
  fixef <- lapply(seq_len(nrow(coefs)), function(i) {
    list(term = rownames(coefs)[i], estimate = coefs[i, "Estimate"],
         se = coefs[i, "Std. Error"], t = coefs[i, "t value"])
  })
  dropped <- names(attr(getME(fit, "X"), "col.dropped"))
  if (is.null(dropped)) dropped <- character()

  theta <- getME(fit, "theta")
  ll <- logLik(fit)
  conv <- fit@optinfo$conv
  messages <- unlist(conv$lme4$messages)
  if (is.null(messages)) messages <- character()
  singular_msg <- "boundary (singular) fit: see help('isSingular')"
  converged <- length(setdiff(messages, singular_msg)) == 0 && identical(as.integer(conv$opt), 0L)

  expected <- list(
    formula = cs$formula,
    method = cs$method,
    nobs = nobs(fit),
    ngroups = as.list(ngrps(fit)),
    fixef = fixef,
    dropped_fixef = I(dropped),
    vcov = unname(as.matrix(vcov(fit))),
    theta = I(unname(theta)),
    theta_names = I(names(theta)),
    sigma = sigma(fit),
    varcorr = varcorr,
    logLik = as.numeric(ll)
  )
  if (reml) expected$REMLcrit <- REMLcrit(fit) else expected$deviance <- deviance(fit)
  expected <- c(expected, list(
    objective = unname(fit@devcomp$cmp[[if (reml) "REML" else "dev"]]),
    AIC = AIC(fit),
    BIC = BIC(fit),
    df = attr(ll, "df"),
    ranef = ranef_json,
    condsd = condsd_json,
    fitted = I(unname(fitted(fit))),
    residuals = I(unname(residuals(fit))),
    rows_used = nobs(fit),
    rows_dropped = n_rows - nobs(fit),
    singular = isSingular(fit),
    converged = converged,
    messages = I(messages),
    optimizer = list(name = fit@optinfo$optimizer, feval = fit@optinfo$feval,
                     conv = conv$opt, message = fit@optinfo$message,
                     start_theta = I(start_theta),
                     derivs = list(gradient = I(fit@optinfo$derivs$gradient),
                                   hessian = fit@optinfo$derivs$Hessian)),
    scaled_residuals_quantiles = I(unname(stats::quantile(
      residuals(fit, type = "pearson", scaled = TRUE)))),
    # summary(fit) as lme4 prints it (R's default digits), one string per line: the
    # console output Trajectory's summary must reproduce digit for digit.
    printed_summary = I(utils::capture.output(print(summary(fit))))
  ))

  expected
}


# Conditional SDs per level (rows) and column (cols) from lme4's postVar
# attribute: a q x q x n array, or (several terms on one factor) a list of them.
conditional_sds <- function(pv, n_levels) {
  arrays <- if (is.list(pv)) pv else list(pv)
  do.call(cbind, lapply(arrays, function(a) {
    q <- dim(a)[1]
    m <- matrix(NA_real_, n_levels, q)
    for (k in seq_len(n_levels)) m[k, ] <- sqrt(a[cbind(seq_len(q), seq_len(q), k)])
    m
  }))
}

# MARK: - Run

for (cs in cases) {
  fx <- fixture_for(cs)
  path <- file.path(out_dir, paste0(cs$name, ".json"))
  json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null",
                           na = "null")
  writeLines(json, path, useBytes = TRUE)
  e <- fx$expected
  t <- fx$tight
  key <- if (cs$method == "REML") "REMLcrit" else "deviance"
  cat(sprintf(paste("%-40s nobs=%4d  %s=%.6f  singular=%s  converged=%s  dropped=[%s]",
                    " tight %.10f (default - tight = %.3g)\n"),
              cs$name, e$nobs, key, e[[key]], e$singular, e$converged,
              paste(e$dropped_fixef, collapse = ","), t[[key]], e[[key]] - t[[key]]))
}
