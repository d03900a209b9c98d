#!/usr/bin/env Rscript
# Golden fixtures for Trajectory's Inference module: lmerTest (Satterthwaite and
# Kenward-Roger t tests, anova(type = 3)), pbkrtest (vcovAdj, KRmodcomp) and
# emmeans (estimated marginal means, trt.vs.ctrl and pairwise contrasts).
#
# Usage (paths are resolved against the repository root):
#   Rscript scripts/reference/inference.R [output_dir]   # default: Tests/Fixtures/inference
#
# Data are read exactly as Trajectory reads them (common.R: read_project_csv).
# Every model is fitted at the true optimum (common.R: lmer_at_optimum; the
# fixture's `fit_control` says how), where Trajectory's fits are.
# The ketamine case uses the post-baseline rows (visit >= 1) of
# datasets/ketamine_small.csv, written to <output_dir>/ketamine_postbaseline.csv
# with only the model's columns (so Trajectory reads it as a plain table), and
# visit declared categorical.  Numbers: jsonlite::toJSON(digits = NA).

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))

suppressPackageStartupMessages({
  library(lmerTest)
  library(pbkrtest)
  library(emmeans)
  library(jsonlite)
})

source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "inference")

emm_options(lmerTest.limit = 1e6, pbkrtest.limit = 1e6)

# The post-baseline subset of the ketamine trial, committed next to the fixtures
# (always written to Tests/Fixtures/inference so that check compares like with like).
subset_path <- file.path("Tests", "Fixtures", "inference", "ketamine_postbaseline.csv")
local({
  raw <- utils::read.csv("datasets/ketamine_small.csv", stringsAsFactors = FALSE)
  raw <- raw[raw$visit >= 1, c("subject", "arm", "visit", "baseline_pain", "pain")]
  dir.create(dirname(subset_path), showWarnings = FALSE, recursive = TRUE)
  utils::write.csv(raw, subset_path, row.names = FALSE, na = "NA")
})

case <- function(name, dataset, formula, ref = list(), factors = character(), emm = NULL,
                 control = NULL, method = "REML", weights = NULL) {
  list(name = name, dataset = dataset, formula = formula, ref = ref, factors = factors,
       emm = emm, control = control, method = method, weights = weights)
}

cases <- list(
  case("sleepstudy", "datasets/sleepstudy.csv", "Reaction ~ Days + (Days | Subject)",
       factors = "Subject"),
  # ML: Satterthwaite on the ML deviance (Kenward-Roger is defined for REML only).
  case("sleepstudy_ml", "datasets/sleepstudy.csv", "Reaction ~ Days + (Days | Subject)",
       factors = "Subject", method = "ML"),
  case("pain_trial", "datasets/pain_trial.csv",
       "pain ~ week * arm + baseline_pain + (1 + week | subject)",
       ref = list(arm = "placebo"), emm = list(specs = "arm", by = "week", control = "placebo")),
  # Crossed random factors: Kenward-Roger on one dense block of V (144 observations).
  case("penicillin_crossed", "datasets/penicillin.csv",
       "diameter ~ 1 + (1 | plate) + (1 | sample)"),
  case("ketamine_visit", subset_path,
       "pain ~ visit * arm + baseline_pain + (1 | subject)",
       ref = list(arm = "placebo"), factors = "visit",
       emm = list(specs = "arm", by = "visit", control = "placebo")),
  # Prior weights (lmer's weights =; the CSV lmer.R writes): Satterthwaite only (Trajectory
  # refuses Kenward-Roger with prior weights).
  case("sleepstudy_weights", "Tests/Fixtures/lmer/sleepstudy_weighted.csv",
       "Reaction ~ Days + (Days | Subject)", factors = "Subject", weights = "w")
)

coef_table <- function(fit, ddf) {
  co <- stats::coef(summary(fit, ddf = ddf))
  lapply(seq_len(nrow(co)), function(i) {
    list(term = rownames(co)[i], estimate = co[i, "Estimate"], se = co[i, "Std. Error"],
         df = co[i, "df"], t = co[i, "t value"], p = co[i, "Pr(>|t|)"])
  })
}

anova_table <- function(fit, ddf) {
  a <- anova(fit, type = 3, ddf = ddf)
  lapply(seq_len(nrow(a)), function(i) {
    list(term = rownames(a)[i], numDF = a[i, "NumDF"], denDF = a[i, "DenDF"],
         F = a[i, "F value"], p = a[i, "Pr(>F)"])
  })
}

emm_block <- function(fit, emm, mode) {
  emm_options(lmer.df = mode)
  spec <- stats::as.formula(paste("~", emm$specs, "|", emm$by))
  e <- emmeans(fit, spec)
  es <- as.data.frame(summary(e, infer = c(TRUE, FALSE)))
  means <- lapply(seq_len(nrow(es)), function(i) {
    list(levels = list(arm = as.character(es[i, emm$specs]), by = as.character(es[i, emm$by])),
         estimate = es[i, "emmean"], se = es[i, "SE"], df = es[i, "df"],
         lower = es[i, "lower.CL"], upper = es[i, "upper.CL"])
  })
  contrast_rows <- function(ct) {
    plain <- as.data.frame(summary(ct, adjust = "none", infer = c(TRUE, TRUE)))
    lapply(seq_len(nrow(plain)), function(i) {
      list(contrast = as.character(plain[i, "contrast"]), by = as.character(plain[i, emm$by]),
           estimate = plain[i, "estimate"], se = plain[i, "SE"], df = plain[i, "df"],
           t = plain[i, "t.ratio"], p = plain[i, "p.value"],
           lower = plain[i, "lower.CL"], upper = plain[i, "upper.CL"])
    })
  }
  adjusted <- function(ct, method) as.data.frame(summary(ct, adjust = method))$p.value
  ctrl <- contrast(e, "trt.vs.ctrl", ref = emm$control)
  pw <- contrast(e, "pairwise")
  rpw <- contrast(e, "revpairwise")
  list(mode = mode, means = means,
       trt_vs_ctrl = list(rows = contrast_rows(ctrl), holm = adjusted(ctrl, "holm"),
                          bonferroni = adjusted(ctrl, "bonferroni")),
       pairwise = list(rows = contrast_rows(pw), holm = adjusted(pw, "holm"),
                       bonferroni = adjusted(pw, "bonferroni")),
       revpairwise = list(rows = contrast_rows(rpw), holm = adjusted(rpw, "holm")))
}

for (cs in cases) {
  data <- read_project_csv(cs$dataset, factors = cs$factors, ref = cs$ref)
  reml <- cs$method == "REML"
  # At the true optimum (common.R's lmer_at_optimum), which Trajectory reaches; lmerTest
  # computes its Hessian there.
  optimum <- lmer_at_optimum(function(control, start) {
    call <- as.call(list(quote(lmerTest::lmer), stats::as.formula(cs$formula),
                         data = quote(data), REML = quote(reml), control = quote(control),
                         start = quote(start)))
    if (!is.null(cs$weights)) call$weights <- as.name(cs$weights)
    eval(call)
  })
  fit <- optimum$fit
  p <- length(lme4::fixef(fit))
  if (!reml || !is.null(cs$weights)) {
    expected <- list(
      fixef = I(names(lme4::fixef(fit))),
      satterthwaite = coef_table(fit, "Satterthwaite"),
      anova_satterthwaite = anova_table(fit, "Satterthwaite"))
    fx <- list(
      generator = "scripts/reference/inference.R", versions = reference_versions(),
      dataset = list(path = cs$dataset, sha256 = sha256_file(cs$dataset)),
      call = c(list(formula = cs$formula, method = cs$method, ref = cs$ref,
                    factors = I(cs$factors)),
               if (is.null(cs$weights)) list() else list(weights = cs$weights)),
      fit_control = optimum$control, expected = expected)
    json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null",
                             na = "null")
    writeLines(json, file.path(out_dir, paste0(cs$name, ".json")), useBytes = TRUE)
    cat(sprintf("  wrote %s\n", cs$name))
    next
  }
  vadj <- as.matrix(pbkrtest::vcovAdj(fit))
  # KRmodcomp for each single coefficient (L = unit row) and for the last term's rows.
  kr_coef <- lapply(seq_len(p), function(j) {
    L <- matrix(0, 1, p)
    L[1, j] <- 1
    t <- pbkrtest::KRmodcomp(fit, L)$test
    list(term = names(lme4::fixef(fit))[j], ddf = t["Ftest", "ddf"],
         F = t["Ftest", "stat"], F_scaling = t["Ftest", "F.scaling"], p = t["Ftest", "p.value"])
  })
  expected <- list(
    fixef = I(names(lme4::fixef(fit))),
    vcov = unname(lapply(seq_len(p), function(i) I(as.numeric(as.matrix(vcov(fit))[i, ])))),
    satterthwaite = coef_table(fit, "Satterthwaite"),
    kenward_roger = coef_table(fit, "Kenward-Roger"),
    anova_satterthwaite = anova_table(fit, "Satterthwaite"),
    anova_kenward_roger = anova_table(fit, "Kenward-Roger"),
    vcov_adjusted = unname(lapply(seq_len(p), function(i) I(as.numeric(vadj[i, ])))),
    krmodcomp = kr_coef
  )
  if (!is.null(cs$emm)) {
    expected$emmeans <- list(
      specs = cs$emm$specs, by = cs$emm$by, control = cs$emm$control,
      satterthwaite = emm_block(fit, cs$emm, "satterthwaite"),
      kenward_roger = emm_block(fit, cs$emm, "kenward-roger"))
    # Means of the spec factor alone, averaging over the by factor when it is a factor:
    # equal and proportional weights (Satterthwaite df).
    emm_options(lmer.df = "satterthwaite")
    marginal <- function(weights) {
      s <- as.data.frame(emmeans(fit, stats::as.formula(paste("~", cs$emm$specs)),
                                 weights = weights))
      lapply(seq_len(nrow(s)), function(i) {
        list(level = as.character(s[i, cs$emm$specs]), estimate = s[i, "emmean"],
             se = s[i, "SE"], df = s[i, "df"])
      })
    }
    expected$emmeans$marginal_equal <- marginal("equal")
    expected$emmeans$marginal_proportional <- marginal("proportional")
  }
  fx <- list(
    generator = "scripts/reference/inference.R",
    versions = reference_versions(),
    dataset = list(path = cs$dataset, sha256 = sha256_file(cs$dataset)),
    call = list(formula = cs$formula, method = "REML", ref = cs$ref, factors = I(cs$factors)),
    fit_control = optimum$control, expected = expected)
  json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null",
                           na = "null")
  writeLines(json, file.path(out_dir, paste0(cs$name, ".json")), useBytes = TRUE)
  cat(sprintf("  wrote %s\n", cs$name))
}
