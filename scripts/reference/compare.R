#!/usr/bin/env Rscript
# Golden fixtures for `traj compare`: R's anova() between nested models, on lme4 fits
# (anova.merMod; REML fits compared with refit = FALSE, ML fits as they are) and on nlme
# gls fits (anova.gls, REML, same fixed effects).
#
# Usage (paths are resolved against the repository root):
#   Rscript scripts/reference/compare.R [output_dir]   # default: Tests/Fixtures/compare
#
# lme4 models are fitted at the true optimum (common.R: lmer_at_optimum), where Trajectory's
# fits are. Each fixture lists the models (formula as Trajectory writes it, npar, AIC, BIC, logLik)
# and the likelihood-ratio tests of each model against the one before it (statistic, df, p).
# Numbers: jsonlite::toJSON(digits = NA).

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))

suppressPackageStartupMessages({
  library(lme4)
  library(nlme)
  library(jsonlite)
})

source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "compare")

write_fixture <- function(name, dataset, method, factors, formulas, fits, table) {
  models <- lapply(seq_along(fits), function(i) {
    ll <- logLik(fits[[i]])
    list(formula = formulas[[i]], npar = attr(ll, "df"), AIC = AIC(fits[[i]]),
         BIC = BIC(fits[[i]]), logLik = as.numeric(ll))
  })
  tests <- lapply(seq_along(fits)[-1], function(i) table[[i]])
  fixture <- list(
    generator = "scripts/reference/compare.R",
    versions = reference_versions(),
    dataset = list(path = dataset, sha256 = sha256_file(dataset)),
    call = list(method = method, factors = factors),
    expected = list(models = models, tests = tests)
  )
  json <- jsonlite::toJSON(fixture, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
  writeLines(json, file.path(out_dir, paste0(name, ".json")))
  cat("wrote", name, "\n")
}

# MARK: - lme4

lmer_case <- function(name, dataset, formulas, reml) {
  data <- read_project_csv(dataset)
  fits <- lapply(formulas, function(f) {
    lmer_at_optimum(function(control, start) {
      lmer(as.formula(f), data = data, REML = reml, control = control, start = start)
    })$fit
  })
  a <- do.call(anova, c(fits, list(refit = FALSE)))
  # anova.merMod orders its rows by npar; the cases below are given in that order.
  stopifnot(isTRUE(all.equal(unname(as.numeric(a$npar)),
                             unname(sapply(fits, function(f) attr(logLik(f), "df"))))))
  table <- lapply(seq_along(fits), function(i)
    list(statistic = a$Chisq[[i]], df = a$Df[[i]], p = a[["Pr(>Chisq)"]][[i]]))
  write_fixture(name, dataset, if (reml) "REML" else "ML", list(), formulas, fits, table)
}

lmer_case("sleepstudy_reml", "datasets/sleepstudy.csv",
          c("Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days | Subject)"), TRUE)
lmer_case("sleepstudy_ml", "datasets/sleepstudy.csv",
          c("Reaction ~ 1 + (Days | Subject)", "Reaction ~ Days + (Days | Subject)"), FALSE)
lmer_case("orthodont_ml", "datasets/orthodont.csv",
          c("distance ~ age + (1 | Subject)", "distance ~ age + Sex + (1 | Subject)",
            "distance ~ age * Sex + (1 | Subject)"), FALSE)

# MARK: - nlme gls (MMRM)

local({
  dataset <- "Tests/Fixtures/mmrm/ketamine_visits1to6.csv"
  data <- read_project_csv(dataset, factors = "visit")
  data$visit_index <- as.integer(data$visit)
  control <- glsControl(maxIter = 1000, msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14,
                        returnObject = TRUE, opt = "optim")
  fixed <- pain ~ visit * arm + baseline_pain
  cs <- gls(fixed, correlation = corCompSymm(form = ~ visit_index | subject), data = data,
            method = "REML", control = control)
  csh <- gls(fixed, correlation = corCompSymm(form = ~ visit_index | subject),
             weights = varIdent(form = ~ 1 | visit), data = data, method = "REML",
             control = control)
  a <- anova(cs, csh)
  table <- list(NULL, list(statistic = a$L.Ratio[[2]], df = a$df[[2]] - a$df[[1]],
                           p = a[["p-value"]][[2]]))
  write_fixture("mmrm_cs_csh", dataset, "REML", list("visit"),
                c("pain ~ visit * arm + baseline_pain + cs(visit | subject)",
                  "pain ~ visit * arm + baseline_pain + csh(visit | subject)"),
                list(cs, csh), table)
})
