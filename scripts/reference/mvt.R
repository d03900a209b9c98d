#!/usr/bin/env Rscript
# Reference for the single-step multiplicity adjustment by the multivariate t
# (emmeans' adjust = "mvt", Dunnett's test for trt.vs.ctrl) and for the multivariate t
# probabilities and equicoordinate quantiles behind it (mvtnorm::pmvt / qmvt).
#
# Writes into <out_dir> (default Tests/Fixtures/inference/mvt):
#   emmeans_lmer.json  the pain_trial lmer fit of inference.R, emmeans ~ arm | week (week
#                      numeric: at its mean; ketamine_visit is left out: its per-contrast
#                      qmvt calls at the tight rule would add many minutes) with
#                      Satterthwaite and Kenward-Roger df; trt.vs.ctrl and pairwise
#                      families; per contrast estimate, SE, df, t, the mvt-adjusted p-value
#                      and the mvt simultaneous 95% limits (summary(infer = TRUE,
#                      adjust = "mvt")), and the same from emmeans' default integration.
#   emmeans_gls.json   the unstructured gls MMRM of mmrm_inference.R, revpairwise and
#                      trt.vs.ctrl at visit 6, df.error: as above plus each
#                      family's t, df and correlation matrix.
#   pmvt.json          raw mvtnorm::pmvt / qmvt values with their error estimates.
#
# emmeans calls mvtnorm::pmvt and qmvt with their default GenzBretz() rule (maxpts 25000,
# abseps 1e-3) and qmvt's ptol 1e-3: results carry Monte-Carlo errors up to ~1e-3. For
# fixtures tight enough to test against, this script replaces those defaults inside the
# mvtnorm namespace before calling emmeans again (the computation is otherwise emmeans' own):
#   GenzBretz(maxpts = 2e6, abseps = 1e-5, releps = 0), qmvt ptol = 1e-4, seed 20240501
# before each summary (qmvt resets the seed at each of its pmvt calls, so its root search
# sees a deterministic function and re-runs are bit-identical). The rule is recorded in
# every fixture as `rule`. Why not tighter: qmvt's root search (a local probit regression)
# stops only when its prediction interval lies within ptol on the probit scale, and at
# ptol 1e-5 it did not stop even for an exact bivariate t (~700 pmvt calls) and ran into its
# 500-iteration limit in three dimensions (1004 pmvt calls, 257 s for one quantile at
# abseps 2e-6), so the earlier rule (abseps 2e-6, ptol 1e-5) did not finish in 25 min.
# At ptol 1e-4 each quantile takes ~160 pmvt calls: 9 s in three dimensions at
# abseps 1e-5 (17 s at 5e-6, 42 s at 2e-6), ~1.3 s per call for the gls pairwise family
# of ten contrasts (rank 4). ptol 1e-4 on the probit scale is ~1e-5 in probability at 0.95,
# matching abseps. Whole script, measured 2026-11-25 on one core: 7.2 min (lmer families
# 0.9 min, gls 3.5 min, most of it the ten-contrast quantile, pmvt.json 2.8 min); 12.6 min
# wall when the machine was shared. Three runs gave bit-identical fixtures.
# Both are recorded: `p_adjusted`, `lower`, `upper` (tight) and `default` (emmeans as
# shipped). Each family records mvtnorm's error estimates at the tight rule: `max_error`,
# the largest pmvt error estimate of its adjusted p-values, and `critical`, for each
# distinct critical value c = (upper - estimate) / SE, pmvt(-c < T < c) at the tight rule:
# its distance from the 95% level, its error estimate, the density of max|T_k| at c and the
# bound they imply on c's error, (|P(c) - 0.95| + error) / density (check_quantile below).
# emmeans gives each contrast its own df, as floor(max(1, df) + 0.25) (mvtnorm takes integer
# df; df > 9999 counts as infinite), and uses no adjustment for a family of one contrast.
#
# Usage: Rscript scripts/reference/mvt.R [out_dir]
invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))
suppressPackageStartupMessages({
  library(lmerTest)
  library(pbkrtest)
  library(nlme)
  library(emmeans)
  library(mvtnorm)
  library(jsonlite)
})
source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "inference", "mvt")
emm_options(lmerTest.limit = 1e6, pbkrtest.limit = 1e6)
started <- proc.time()[[3]]

versions <- function() {
  c(reference_versions(), list(mvtnorm = as.character(utils::packageVersion("mvtnorm"))))
}
write_fixture <- function(fx, name) {
  json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null",
                           na = "null")
  writeLines(json, file.path(out_dir, name), useBytes = TRUE)
  cat(sprintf("  wrote %s (%.0f s since start)\n", name, proc.time()[[3]] - started))
}

shipped_genz_bretz <- mvtnorm::GenzBretz
shipped_qmvt <- mvtnorm::qmvt
tight_rule <- list(algorithm = "GenzBretz", maxpts = 2e6, abseps = 1e-5, releps = 0,
                   qmvt_ptol = 1e-4, seed = 20240501)
tight_genz_bretz <- function(maxpts = 2e6, abseps = 1e-5, releps = 0) {
  structure(list(maxpts = maxpts, abseps = abseps, releps = releps), class = "GenzBretz")
}
tight_qmvt <- shipped_qmvt
formals(tight_qmvt)$ptol <- tight_rule$qmvt_ptol
use_rule <- function(tight) {
  assignInNamespace("GenzBretz", if (tight) tight_genz_bretz else shipped_genz_bretz, "mvtnorm")
  assignInNamespace("qmvt", if (tight) tight_qmvt else shipped_qmvt, "mvtnorm")
}

emmeans_df <- function(df) {
  vapply(df, function(d) {
    if (d > 0) d <- max(1, d)
    if (is.infinite(d) || d > 9999) d <- 0
    floor(d + 0.25)
  }, numeric(1))
}

# pmvt(-c < T < c) at the current rule for a critical value c found at `level`: its distance
# from the level, mvtnorm's error estimate, the density of max|T_k| at c (central difference,
# step 1e-3, same seed so same points) and the implied bound on c's error,
# (|P(c) - level| + error) / density.
check_quantile <- function(c, level, df, corr, seed, algorithm = mvtnorm::GenzBretz()) {
  m <- nrow(corr)
  at <- function(x) {
    set.seed(seed)
    pmvt(rep(-x, m), rep(x, m), df = df, corr = corr, algorithm = algorithm)
  }
  p <- at(c)
  h <- 1e-3
  density <- (as.numeric(at(c + h)) - as.numeric(at(c - h))) / (2 * h)
  list(probability = as.numeric(p), level_error = as.numeric(p) - level,
       error = attr(p, "error"), density = density,
       quantile_error_bound = (abs(as.numeric(p) - level) + attr(p, "error")) / density)
}

# One family table: emmeans' summary with adjust = "mvt" at the tight and at the shipped rule.
family <- function(ct, by, with_matrix = FALSE) {
  use_rule(TRUE)
  set.seed(20240501)
  tight <- as.data.frame(summary(ct, infer = c(TRUE, TRUE), adjust = "mvt"))
  use_rule(FALSE)
  set.seed(20240501)
  shipped <- as.data.frame(summary(ct, infer = c(TRUE, TRUE), adjust = "mvt"))
  corr <- stats::cov2cor(vcov(ct))
  groups <- split(seq_len(nrow(tight)), as.character(tight[[by]]))
  max_error <- 0
  use_rule(TRUE)
  for (rows in groups) {
    if (length(rows) < 2) next
    for (i in rows) {
      set.seed(20240501)
      tt <- abs(tight$t.ratio[i])
      p <- pmvt(rep(-tt, length(rows)), rep(tt, length(rows)),
                df = as.integer(emmeans_df(tight$df[i])), corr = corr[rows, rows])
      max_error <- max(max_error, attr(p, "error"))
    }
  }
  level <- 0.95
  crit <- (tight$upper.CL - tight$estimate) / tight$SE
  critical <- list()
  for (rows in groups) {
    if (length(rows) < 2) next
    k <- length(rows)
    seen <- character()
    for (i in rows) {
      key <- sprintf("%.12g %d", crit[i], as.integer(emmeans_df(tight$df[i])))
      if (key %in% seen) next
      seen <- c(seen, key)
      check <- check_quantile(crit[i], level, as.integer(emmeans_df(tight$df[i])),
                              corr[rows, rows], 20240501)
      critical[[length(critical) + 1]] <- c(list(row = i - 1, critical_value = crit[i]), check)
    }
  }
  use_rule(FALSE)
  out <- list(
    rule = tight_rule,
    max_error = max_error,
    critical = critical,
    rows = lapply(seq_len(nrow(tight)), function(i) {
      list(contrast = as.character(tight$contrast[i]), by = as.character(tight[[by]][i]),
           estimate = tight$estimate[i], se = tight$SE[i], df = tight$df[i],
           t = tight$t.ratio[i], p_adjusted = tight$p.value[i], lower = tight$lower.CL[i],
           upper = tight$upper.CL[i],
           default = list(p_adjusted = shipped$p.value[i], lower = shipped$lower.CL[i],
                          upper = shipped$upper.CL[i]))
    }))
  if (with_matrix) {
    out$families <- lapply(groups, function(rows) {
      list(rows = I(rows - 1), correlation = unname(corr[rows, rows]))
    })
  }
  out
}

# MARK: - lmer fits (as in inference.R)

lmer_cases <- list(
  list(name = "pain_trial", dataset = "datasets/pain_trial.csv",
       formula = "pain ~ week * arm + baseline_pain + (1 + week | subject)",
       ref = list(arm = "placebo"), factors = character(), by = "week", control = "placebo",
       at = NULL))
lmer_out <- lapply(lmer_cases, function(cs) {
  data <- read_project_csv(cs$dataset, factors = cs$factors, ref = cs$ref)
  # At the true optimum, where Trajectory's fit is (common.R: lmer_at_optimum).
  fit <- lmer_at_optimum(function(control, start) {
    lmerTest::lmer(stats::as.formula(cs$formula), data = data, REML = TRUE, control = control,
                   start = start)
  })$fit
  modes <- lapply(c(satterthwaite = "satterthwaite", kenward_roger = "kenward-roger"),
                  function(mode) {
    emm_options(lmer.df = mode)
    spec <- stats::as.formula(paste("~ arm |", cs$by))
    e <- if (is.null(cs$at)) emmeans(fit, spec) else
      emmeans(fit, spec, at = stats::setNames(list(cs$at), cs$by))
    list(trt_vs_ctrl = family(contrast(e, "trt.vs.ctrl", ref = cs$control), cs$by),
         pairwise = family(contrast(e, "pairwise"), cs$by))
  })
  list(name = cs$name, dataset = list(path = cs$dataset, sha256 = sha256_file(cs$dataset)),
       call = list(formula = cs$formula, method = "REML", ref = cs$ref,
                   factors = I(cs$factors), emmeans = paste("arm |", cs$by),
                   at = I(as.character(cs$at)), control = cs$control),
       expected = modes)
})
# compare_fixtures.R checks the top-level dataset's SHA-256; there is one case.
stopifnot(length(lmer_out) == 1)
write_fixture(list(generator = "scripts/reference/mvt.R", versions = versions(),
                   dataset = lmer_out[[1]]$dataset, cases = lmer_out), "emmeans_lmer.json")

# MARK: - gls MMRM (as in mmrm_inference.R)

data_path <- "Tests/Fixtures/mmrm/ketamine_visits1to6.csv"
data <- utils::read.csv(data_path, stringsAsFactors = FALSE)
data$visit <- factor(data$visit, levels = sort(unique(data$visit)))
data$arm <- factor(data$arm, levels = sort(unique(data$arm)))
data$visit_index <- as.integer(data$visit)
ctrl <- glsControl(maxIter = 1000, msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14,
                   returnObject = TRUE, opt = "optim")
fit <- gls(pain ~ visit * arm + baseline_pain,
           correlation = corSymm(form = ~ visit_index | subject),
           weights = varIdent(form = ~ 1 | visit), data = data, method = "REML", control = ctrl)
for (refit in 1:2) {
  rho0 <- coef(fit$modelStruct$corStruct, unconstrained = FALSE)
  w0 <- coef(fit$modelStruct$varStruct, unconstrained = FALSE)
  fit <- gls(pain ~ visit * arm + baseline_pain,
             correlation = corSymm(rho0, form = ~ visit_index | subject),
             weights = varIdent(w0, form = ~ 1 | visit), data = data, method = "REML",
             control = ctrl)
}
em <- emmeans(fit, ~ arm | visit, mode = "df.error", data = data, at = list(visit = "6"))
write_fixture(list(
  generator = "scripts/reference/mvt.R", versions = versions(),
  dataset = list(path = data_path, sha256 = sha256_file(data_path)),
  call = list(formula = "pain ~ visit * arm + baseline_pain + us(visit | subject)",
              method = "REML", emmeans = "arm | visit", mode = "df.error"),
  expected = list(revpairwise = family(contrast(em, "revpairwise"), "visit", TRUE),
                  trt_vs_ctrl = family(contrast(em, "trt.vs.ctrl"), "visit", TRUE))),
  "emmeans_gls.json")

# MARK: - mvtnorm pmvt / qmvt

equi <- function(m, rho) {
  r <- matrix(rho, m, m)
  diag(r) <- 1
  r
}
one_factor <- function(lambda) {
  r <- outer(lambda, lambda)
  diag(r) <- 1
  r
}
pairwise_corr <- function(k) {
  pairs <- utils::combn(k, 2)
  l <- t(apply(pairs, 2, function(p) { v <- numeric(k); v[p[1]] <- 1; v[p[2]] <- -1; v }))
  stats::cov2cor(l %*% t(l))
}
ar1 <- function(m, rho) rho^abs(outer(seq_len(m), seq_len(m), "-"))
prob_cases <- list(
  list(corr = equi(2, 0.5), lower = c(-1.5, -Inf), upper = c(2, 1), df = 5),
  list(corr = equi(2, -0.3), lower = c(-2, -2), upper = c(2, 2), df = 12),
  list(corr = equi(2, 0.5), lower = c(-1.5, -Inf), upper = c(2, 1), df = 0),
  list(corr = one_factor(c(0.7, 0.5, 0.6, 0.4)), lower = rep(-2.3, 4), upper = rep(2.3, 4),
       df = 20),
  list(corr = ar1(5, 0.6), lower = c(-1, -2, -Inf, -1.5, -3), upper = c(2, 1, 1.2, Inf, 0.5),
       df = 9),
  list(corr = pairwise_corr(4), lower = rep(-2.6, 6), upper = rep(2.6, 6), df = 30),
  list(corr = pairwise_corr(4), lower = rep(-2.6, 6), upper = rep(2.6, 6), df = 0),
  list(corr = equi(8, 0.5), lower = rep(-Inf, 8), upper = rep(2.2, 8), df = 15),
  list(corr = one_factor(c(0.5, 0.5, 0.5)), lower = rep(-3.5, 3), upper = rep(3.5, 3), df = 3))
probability_rule <- list(algorithm = "GenzBretz", maxpts = 5e6, abseps = 1e-6, releps = 0,
                         seed = 20240502)
set.seed(20240502)
probabilities <- lapply(prob_cases, function(cs) {
  p <- pmvt(cs$lower, cs$upper, df = cs$df, corr = cs$corr,
            algorithm = tight_genz_bretz(maxpts = probability_rule$maxpts,
                                         abseps = probability_rule$abseps))
  list(correlation = unname(cs$corr), lower = I(cs$lower), upper = I(cs$upper), df = cs$df,
       value = as.numeric(p), error = attr(p, "error"))
})
quant_cases <- list(
  list(corr = equi(2, 0.5), df = 10, level = 0.95),
  list(corr = one_factor(c(0.6, 0.6, 0.6, 0.6)), df = 25, level = 0.95),
  list(corr = pairwise_corr(4), df = 40, level = 0.95),
  list(corr = ar1(4, 0.3), df = 0, level = 0.9))
# Quantiles at the emmeans rule above (qmvt ptol 1e-5 does not stop; see the header); each
# also records check_quantile at the quantile found.
quantile_rule <- tight_rule
quantile_rule$seed <- 20240503
set.seed(20240503)
quantiles <- lapply(quant_cases, function(cs) {
  q <- qmvt(cs$level, tail = "both.tails", df = cs$df, corr = cs$corr,
            ptol = quantile_rule$qmvt_ptol,
            algorithm = tight_genz_bretz(maxpts = quantile_rule$maxpts,
                                         abseps = quantile_rule$abseps))
  list(correlation = unname(cs$corr), df = cs$df, level = cs$level, value = q$quantile,
       probability_error = abs(q$f.quantile), message = attr(q, "message"),
       check = check_quantile(q$quantile, cs$level, cs$df, cs$corr, 20240503,
                              tight_genz_bretz(maxpts = quantile_rule$maxpts,
                                               abseps = quantile_rule$abseps)))
})
write_fixture(list(generator = "scripts/reference/mvt.R", versions = versions(),
                   dataset = list(generated = "no data: correlations and limits in mvt.R"),
                   note = "df = 0 is mvtnorm's multivariate normal",
                   probability_rule = probability_rule, quantile_rule = quantile_rule,
                   probabilities = probabilities, quantiles = quantiles), "pmvt.json")
