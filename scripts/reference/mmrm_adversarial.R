#!/usr/bin/env Rscript
# Golden fixtures for Trajectory's MMRM on hard data (issue 7), computed with nlme::gls.
#
# Usage (from anywhere; paths are resolved against the repository root):
#   Rscript scripts/reference/mmrm_adversarial.R [output_dir]
#                                         # default: Tests/Fixtures/mmrm/adversarial
#
# Case: Tests/Fixtures/adversarial/huge_response.csv (written by adversarial.R), a response
# around 1e8 with a spread of 1e-2, fitted as `y ~ week + <structure>(week | subject)` with
# REML for us, ar1 and cs. On the raw response gls stops with "computed gls fit is singular"
# (recorded as `raw_error`; the message is R's); the reference is gls on the centred response
# y - mean(y), with the intercept moved back (`expected`). Trajectory centres the same way
# internally, so it must reproduce these numbers from the raw file. nlme's optimiser is pushed
# as in mmrm.R (optim, tolerances 1e-12/1e-14, two refits from its own optimum).
#
# One JSON file per case: <output_dir>/huge_response_<structure>.json.

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))

suppressPackageStartupMessages({
  library(nlme)
  library(jsonlite)
})

source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "mmrm", "adversarial")

dataset_rel <- "Tests/Fixtures/adversarial/huge_response.csv"
data <- read_project_csv(dataset_rel)
data$week_index <- match(data$week, sort(unique(data$week)))
data$week_factor <- factor(data$week, levels = sort(unique(data$week)))

gls_control <- glsControl(maxIter = 1000, msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14,
                          returnObject = TRUE, opt = "optim")

correlation_of <- function(structure, value = NULL) {
  form <- ~ week_index | subject
  switch(structure,
         us = if (is.null(value)) corSymm(form = form) else corSymm(value, form = form),
         ar1 = if (is.null(value)) corAR1(form = form) else corAR1(value, form = form),
         cs = if (is.null(value)) corCompSymm(form = form) else corCompSymm(value, form = form))
}

fit_gls <- function(structure, shift) {
  d <- data
  d$y <- d$y - shift
  heterogeneous <- structure == "us"
  weights <- if (heterogeneous) varIdent(form = ~ 1 | week_factor) else NULL
  fit <- gls(y ~ week, correlation = correlation_of(structure), weights = weights,
             data = d, method = "REML", control = gls_control)
  for (refit in 1:2) {
    rho0 <- coef(fit$modelStruct$corStruct, unconstrained = FALSE)
    w0 <- if (heterogeneous) {
      varIdent(coef(fit$modelStruct$varStruct, unconstrained = FALSE), form = ~ 1 | week_factor)
    } else NULL
    fit <- gls(y ~ week, correlation = correlation_of(structure, rho0), weights = w0,
               data = d, method = "REML", control = gls_control)
  }
  ll <- logLik(fit)
  beta <- coef(fit)
  beta[["(Intercept)"]] <- beta[["(Intercept)"]] + shift
  vc <- vcov(fit)
  sigma_matrix <- unclass(getVarCov(fit, individual = levels(d$subject)[[1]]))
  list(
    criterion = -2 * as.numeric(ll),
    fixef = lapply(seq_along(beta), function(i)
      list(term = names(beta)[[i]], estimate = unname(beta[[i]]), se = sqrt(vc[i, i]))),
    sigma = unname(lapply(seq_len(nrow(sigma_matrix)), function(i) unname(sigma_matrix[i, ]))),
    nlme = paste(deparse(fit$call, width.cutoff = 500), collapse = " ")
  )
}

for (structure in c("us", "ar1", "cs")) {
  raw_error <- tryCatch({
    fit_gls(structure, 0)
    NULL
  }, error = function(e) conditionMessage(e))
  centred <- fit_gls(structure, mean(data$y))
  fixture <- list(
    generator = "scripts/reference/mmrm_adversarial.R",
    versions = reference_versions(),
    dataset = list(path = dataset_rel, sha256 = sha256_file(dataset_rel)),
    call = list(formula = paste0("y ~ week + ", structure, "(week | subject)"), method = "REML",
                nlme = centred$nlme, shift = mean(data$y)),
    raw_error = raw_error,
    expected = centred[c("criterion", "fixef", "sigma")]
  )
  name <- paste0("huge_response_", structure)
  json <- jsonlite::toJSON(fixture, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
  writeLines(json, file.path(out_dir, paste0(name, ".json")))
  cat("wrote", name, "\n")
}
