#!/usr/bin/env Rscript
# Reference for inference on MMRM fits: emmeans on an nlme `gls` fit with unstructured
# covariance (corSymm + varIdent, REML) of Tests/Fixtures/mmrm/ketamine_visits1to6.csv,
# model pain ~ visit * arm + baseline_pain (Trajectory: + us(visit | subject)).
# Writes Tests/Fixtures/mmrm/inference/mmrm_inference_us.json: EMMs of arm | visit and revpairwise contrasts with
# mode = "df.error" (N - p, Trajectory's residual df). emmeans' mode = "satterthwaite" for
# gls fails on this corSymm fit ("Can't estimate Satterthwaite parameters"), so it is absent.
# The CRAN mmrm package is not used (not installed here).
# Usage: Rscript scripts/reference/mmrm_inference.R [out_dir]
invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, contrasts = c("contr.treatment", "contr.poly"))
suppressPackageStartupMessages({
  library(nlme)
  library(emmeans)
  library(jsonlite)
})
source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "mmrm", "inference")
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
table_of <- function(mode) {
  em <- emmeans(fit, ~ arm | visit, mode = mode, data = data)
  s <- as.data.frame(summary(em))
  cs <- as.data.frame(summary(contrast(em, "revpairwise")))
  list(
    emmeans = lapply(seq_len(nrow(s)), function(i) list(
      arm = as.character(s$arm[i]), visit = as.character(s$visit[i]), estimate = s$emmean[i],
      se = s$SE[i], df = s$df[i])),
    contrasts = lapply(seq_len(nrow(cs)), function(i) list(
      contrast = as.character(cs$contrast[i]), visit = as.character(cs$visit[i]),
      estimate = cs$estimate[i], se = cs$SE[i], df = cs$df[i], p = cs$p.value[i])))
}
v <- vcov(fit)
fx <- list(
  name = "mmrm_inference_us",
  dataset = list(path = data_path, sha256 = sha256_file(data_path)),
  call = list(formula = "pain ~ visit * arm + baseline_pain + us(visit | subject)",
              method = "REML", factors = list("visit"), emmeans = "arm | visit",
              contrast = "revpairwise"),
  versions = list(R = as.character(getRversion()),
                  nlme = as.character(packageVersion("nlme")),
                  emmeans = as.character(packageVersion("emmeans"))),
  expected = list(
    criterion = -2 * as.numeric(logLik(fit)),
    fixef = lapply(seq_along(coef(fit)), function(i) list(
      name = names(coef(fit))[i], estimate = unname(coef(fit)[i]), se = sqrt(v[i, i]))),
    df_error = table_of("df.error")))
json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
writeLines(json, file.path(out_dir, "mmrm_inference_us.json"))
