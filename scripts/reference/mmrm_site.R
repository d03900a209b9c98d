#!/usr/bin/env Rscript
# Golden fixtures for Trajectory's MMRM with a random effect above the subject (a site
# random intercept) together with a residual covariance structure within subjects,
# computed with nlme::lme.
#
# Usage (from anywhere; paths are resolved against the repository root):
#   Rscript scripts/reference/mmrm_site.R [output_dir]    # default: Tests/Fixtures/mmrm/site
#
# Data: datasets/ketamine_small.csv, post-baseline visits 1-6, rows with missing pain
# dropped, columns subject, site, arm, visit, week (= visit - 1, numeric), pain,
# baseline_pain.  The subset is written to <output_dir>/ketamine_site_visits1to6.csv and
# every model is fitted to it as READ BACK (common.R: read_project_csv; visit a factor).
# Subjects are nested in sites (4 sites).
#
# Trajectory formula -> nlme::lme arguments (visit_index = as.integer(visit) = 1..6):
#   (1 | site) + us(visit | subject)
#       random = ~ 1 | site, corSymm(~ visit_index | site/subject) + varIdent(~ 1 | visit)
#   (1 | site) + ar1(visit | subject)
#       random = ~ 1 | site, corAR1(~ visit_index | site/subject)
#   (1 | site) + (1 | subject) + ar1(visit | subject)
#       random = ~ 1 | site/subject, corAR1(~ visit_index | site/subject)
#   (1 | site) + (1 + week | subject) + ar1(visit | subject)
#       random = list(site = ~ 1, subject = ~ 1 + week), corAR1(~ visit_index | site/subject)
#       The subject slope SD is at the boundary (~1e-4) and nlme stops short of the optimum
#       there, so this case is marked `boundary`: only "Trajectory's -2ll is not above
#       nlme's" is meaningful for it.
# nlme's optimiser is made to go further than its defaults (opt = "optim", tolerances
# 1e-12/1e-14, no EM iterations), as in mmrm.R.  For the us case the LS means of
# emmeans(fit, ~ arm | visit) (estimates and SEs) are recorded too.
#
# One JSON file per case: <output_dir>/<case>.json, numbers with
# jsonlite::toJSON(digits = NA).

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))

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
out_dir <- reference_output_dir("Tests", "Fixtures", "mmrm", "site")

# MARK: - Data subset

source_csv <- "datasets/ketamine_small.csv"
full <- read_project_csv(source_csv)
subset <- full[full$visit >= 1 & full$visit <= 6 & !is.na(full$pain), ]
subset_path <- file.path(out_dir, "ketamine_site_visits1to6.csv")
utils::write.csv(
  data.frame(subject = as.character(subset$subject), site = as.character(subset$site),
             arm = as.character(subset$arm), visit = subset$visit, week = subset$visit - 1,
             pain = subset$pain, baseline_pain = subset$baseline_pain),
  subset_path, row.names = FALSE)
dataset_rel <- "Tests/Fixtures/mmrm/site/ketamine_site_visits1to6.csv"

data <- read_project_csv(subset_path, factors = "visit")
data$visit_index <- as.integer(data$visit)

# MARK: - Cases

fixed <- pain ~ visit * arm + baseline_pain
lme_control <- lmeControl(maxIter = 1000, msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14,
                          niterEM = 0, returnObject = TRUE, opt = "optim")

case <- function(name, formula, method, correlation, heterogeneous, subject = "none",
                 emmeans = FALSE) {
  list(name = name, formula = formula, method = method, correlation = correlation,
       heterogeneous = heterogeneous, subject = subject, emmeans = emmeans)
}
cases <- list(
  case("us_reml", "pain ~ visit * arm + baseline_pain + (1 | site) + us(visit | subject)",
       "REML", "corSymm", TRUE, emmeans = TRUE),
  case("ar1_reml", "pain ~ visit * arm + baseline_pain + (1 | site) + ar1(visit | subject)",
       "REML", "corAR1", FALSE),
  case("ar1_ml", "pain ~ visit * arm + baseline_pain + (1 | site) + ar1(visit | subject)",
       "ML", "corAR1", FALSE),
  case("ri_ar1_reml",
       "pain ~ visit * arm + baseline_pain + (1 | site) + (1 | subject) + ar1(visit | subject)",
       "REML", "corAR1", FALSE, subject = "intercept"),
  case("slope_ar1_reml",
       paste("pain ~ visit * arm + baseline_pain + (1 | site) + (1 + week | subject)",
             "+ ar1(visit | subject)"),
       "REML", "corAR1", FALSE, subject = "slope")
)

correlation_of <- function(name) {
  switch(name,
         corSymm = corSymm(form = ~ visit_index | site/subject),
         corAR1 = corAR1(form = ~ visit_index | site/subject))
}

# A subject with all six visits: its residual covariance is Σ over all visits.
complete_subject <- names(which(table(data$subject) == nlevels(data$visit)))[[1]]
complete_site <- as.character(data$site[data$subject == complete_subject][[1]])

# Residual covariance Σ over the six visits: sigma^2 D R D from the fitted structures.
residual_sigma <- function(fit, heterogeneous) {
  key <- paste(complete_site, complete_subject, sep = "/")
  r <- corMatrix(fit$modelStruct$corStruct)[[key]]
  sd <- rep(fit$sigma, nlevels(data$visit))
  if (heterogeneous) {
    ratios <- coef(fit$modelStruct$varStruct, unconstrained = FALSE, allCoef = TRUE)
    sd <- fit$sigma * unname(ratios[levels(data$visit)])
  }
  diag(sd) %*% r %*% diag(sd)
}

fit_case <- function(cs) {
  weights <- if (cs$heterogeneous) varIdent(form = ~ 1 | visit) else NULL
  random <- switch(cs$subject,
                   none = ~ 1 | site,
                   intercept = ~ 1 | site/subject,
                   slope = list(site = ~ 1, subject = ~ 1 + week))
  fit <- lme(fixed, random = random, correlation = correlation_of(cs$correlation),
             weights = weights, data = data, method = cs$method, control = lme_control)
  sigma_matrix <- residual_sigma(fit, cs$heterogeneous)
  ll <- logLik(fit)
  beta <- fixef(fit)
  vc <- vcov(fit)
  pd <- fit$modelStruct$reStruct
  site_sd <- fit$sigma * sqrt(as.matrix(pd$site)[1, 1])
  subject <- NULL
  if (cs$subject != "none") {
    g <- as.matrix(pd$subject) * fit$sigma^2
    subject <- list(sd = unname(sqrt(diag(g))))
  }
  rho <- if (cs$correlation == "corSymm") NULL else
    as.numeric(coef(fit$modelStruct$corStruct, unconstrained = FALSE))
  em <- NULL
  if (cs$emmeans) {
    s <- as.data.frame(summary(emmeans(fit, ~ arm | visit, data = data)))
    em <- lapply(seq_len(nrow(s)), function(i) list(
      arm = as.character(s$arm[i]), visit = as.character(s$visit[i]), estimate = s$emmean[i],
      se = s$SE[i]))
  }
  list(
    generator = "scripts/reference/mmrm_site.R",
    versions = reference_versions(),
    dataset = list(path = dataset_rel, sha256 = sha256_file(subset_path),
                   source = source_csv, source_sha256 = sha256_file(source_csv)),
    call = list(
      formula = cs$formula, method = cs$method, factors = list("visit"),
      nlme = paste(deparse(fit$call, width.cutoff = 500), collapse = " ")
    ),
    expected = list(
      nobs = nrow(data),
      nsubjects = nlevels(droplevels(data$subject)),
      nsites = nlevels(droplevels(data$site)),
      logLik = as.numeric(ll),
      criterion = -2 * as.numeric(ll),
      fixef = lapply(seq_along(beta), function(i)
        list(term = names(beta)[[i]], estimate = unname(beta[[i]]),
             se = sqrt(vc[i, i]))),
      sigma = unname(lapply(seq_len(nrow(sigma_matrix)), function(i) unname(sigma_matrix[i, ]))),
      rho = rho,
      site_sd = site_sd,
      subject = subject,
      boundary = cs$subject == "slope",
      emmeans = em
    )
  )
}

for (cs in cases) {
  fx <- fit_case(cs)
  json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
  writeLines(json, file.path(out_dir, paste0(cs$name, ".json")))
  cat("wrote", cs$name, "\n")
}
