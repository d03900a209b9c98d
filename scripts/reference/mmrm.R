#!/usr/bin/env Rscript
# Golden fixtures for Trajectory's MMRM (residual covariance structures), computed
# with nlme::gls (and nlme::lme for random effects plus AR(1) residuals).
#
# Usage (from anywhere; paths are resolved against the repository root):
#   Rscript scripts/reference/mmrm.R [output_dir]      # default: Tests/Fixtures/mmrm
#
# Data: datasets/ketamine_small.csv, post-baseline visits 1-6, rows with missing
# pain dropped, columns subject, arm, visit, pain, baseline_pain.  That subset is
# written to <output_dir>/ketamine_visits1to6.csv (the project's own simulated data)
# and every model is fitted to it as READ BACK, converted as Trajectory converts it
# (common.R: read_project_csv; visit a factor with numerically sorted levels).
#
# Structures and their nlme equivalents (Trajectory formula -> gls arguments):
#   us(visit | subject)   corSymm(~ visit_index | subject) + varIdent(~ 1 | visit)
#   ar1(visit | subject)  corAR1(~ visit_index | subject)
#   ar1h(visit | subject) corAR1(...) + varIdent(~ 1 | visit)
#   cs(visit | subject)   corCompSymm(~ visit_index | subject)
#   csh(visit | subject)  corCompSymm(...) + varIdent(~ 1 | visit)
# visit_index = as.integer(visit) = 1..6 (the visit's position).  nlme's optimiser
# is made to go further than its defaults, so that its optimum is accurate beyond
# the comparison tolerances: opt = "optim" (BFGS; nlminb stopped 1e-7 short in -2ll
# on the us model), tolerances 1e-12/1e-14, and each gls fit is refitted twice
# from its own optimum (each refit still improved the last digits).
#
# One JSON file per case: <output_dir>/<case>.json, numbers with
# jsonlite::toJSON(digits = NA).

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
out_dir <- reference_output_dir("Tests", "Fixtures", "mmrm")

# MARK: - Data subset

source_csv <- "datasets/ketamine_small.csv"
full <- read_project_csv(source_csv)
subset <- full[full$visit >= 1 & full$visit <= 6 & !is.na(full$pain),
               c("subject", "arm", "visit", "pain", "baseline_pain")]
subset_path <- file.path(out_dir, "ketamine_visits1to6.csv")
utils::write.csv(
  data.frame(subject = as.character(subset$subject), arm = as.character(subset$arm),
             visit = subset$visit, pain = subset$pain, baseline_pain = subset$baseline_pain),
  subset_path, row.names = FALSE)
dataset_rel <- "Tests/Fixtures/mmrm/ketamine_visits1to6.csv"

data <- read_project_csv(subset_path, factors = "visit")
data$visit_index <- as.integer(data$visit)

# MARK: - Cases

fixed <- pain ~ visit * arm + baseline_pain
gls_control <- glsControl(maxIter = 1000, msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14,
                          returnObject = TRUE, opt = "optim")
lme_control <- lmeControl(maxIter = 1000, msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14,
                          niterEM = 0, returnObject = TRUE, opt = "optim")

case <- function(name, structure, method, correlation, heterogeneous, random = FALSE) {
  list(name = name, structure = structure, method = method, correlation = correlation,
       heterogeneous = heterogeneous, random = random)
}
cases <- list(
  case("us_reml", "us", "REML", "corSymm", TRUE),
  case("us_ml", "us", "ML", "corSymm", TRUE),
  case("ar1_reml", "ar1", "REML", "corAR1", FALSE),
  case("ar1_ml", "ar1", "ML", "corAR1", FALSE),
  case("ar1h_reml", "ar1h", "REML", "corAR1", TRUE),
  case("cs_reml", "cs", "REML", "corCompSymm", FALSE),
  case("csh_reml", "csh", "REML", "corCompSymm", TRUE),
  case("ri_ar1_reml", "ar1", "REML", "corAR1", FALSE, random = TRUE)
)

# The correlation structure, started at `value` (nlme's default start when NULL).
correlation_of <- function(name, value = NULL) {
  switch(name,
         corSymm = if (is.null(value)) corSymm(form = ~ visit_index | subject) else
           corSymm(value, form = ~ visit_index | subject),
         corAR1 = if (is.null(value)) corAR1(form = ~ visit_index | subject) else
           corAR1(value, form = ~ visit_index | subject),
         corCompSymm = if (is.null(value)) corCompSymm(form = ~ visit_index | subject) else
           corCompSymm(value, form = ~ visit_index | subject))
}

# The marginal covariance over all six visits, from a subject who has all of them.
complete_subject <- names(which(table(data$subject) == nlevels(data$visit)))[[1]]

fit_case <- function(cs) {
  weights <- if (cs$heterogeneous) varIdent(form = ~ 1 | visit) else NULL
  if (cs$random) {
    fit <- lme(fixed, random = ~ 1 | subject, correlation = correlation_of(cs$correlation),
               data = data, method = cs$method, control = lme_control)
    sigma_matrix <- getVarCov(fit, individuals = complete_subject, type = "marginal")[[1]]
    re_sd <- as.numeric(VarCorr(fit)["(Intercept)", "StdDev"])
  } else {
    fit <- gls(fixed, correlation = correlation_of(cs$correlation), weights = weights,
               data = data, method = cs$method, control = gls_control)
    for (refit in 1:2) {
      rho0 <- coef(fit$modelStruct$corStruct, unconstrained = FALSE)
      w0 <- if (cs$heterogeneous) {
        varIdent(coef(fit$modelStruct$varStruct, unconstrained = FALSE), form = ~ 1 | visit)
      } else NULL
      fit <- gls(fixed, correlation = correlation_of(cs$correlation, rho0), weights = w0,
                 data = data, method = cs$method, control = gls_control)
    }
    sigma_matrix <- getVarCov(fit, individual = complete_subject)
    re_sd <- NULL
  }
  sigma_matrix <- unclass(sigma_matrix)
  ll <- logLik(fit)
  beta <- fixef_of(fit)
  vc <- vcov(fit)
  rho <- if (cs$correlation == "corSymm") NULL else
    as.numeric(coef(fit$modelStruct$corStruct, unconstrained = FALSE))
  formula <- paste0("pain ~ visit * arm + baseline_pain", if (cs$random) " + (1 | subject)" else "",
                    " + ", cs$structure, "(visit | subject)")
  list(
    generator = "scripts/reference/mmrm.R",
    versions = reference_versions(),
    dataset = list(path = dataset_rel, sha256 = sha256_file(subset_path),
                   source = source_csv, source_sha256 = sha256_file(source_csv)),
    call = list(
      formula = formula, method = cs$method, factors = list("visit"),
      nlme = paste(deparse(fit$call, width.cutoff = 500), collapse = " ")
    ),
    expected = list(
      nobs = nrow(data),
      nsubjects = nlevels(droplevels(data$subject)),
      logLik = as.numeric(ll),
      criterion = -2 * as.numeric(ll),
      df = attr(ll, "df"),
      AIC = AIC(fit),
      BIC = BIC(fit),
      fixef = lapply(seq_along(beta), function(i)
        list(term = names(beta)[[i]], estimate = unname(beta[[i]]),
             se = sqrt(vc[i, i]))),
      vcov = unname(lapply(seq_len(nrow(vc)), function(i) unname(vc[i, ]))),
      sigma = unname(lapply(seq_len(nrow(sigma_matrix)), function(i) unname(sigma_matrix[i, ]))),
      rho = rho,
      random_intercept_sd = re_sd
    )
  )
}

fixef_of <- function(fit) if (inherits(fit, "lme")) fixef(fit) else coef(fit)

for (cs in cases) {
  fx <- fit_case(cs)
  json <- jsonlite::toJSON(fx, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
  writeLines(json, file.path(out_dir, paste0(cs$name, ".json")))
  cat("wrote", cs$name, "\n")
}
