#!/usr/bin/env Rscript
# Reference for MMRM fits and their inference from the CRAN mmrm package (openpharma/mmrm):
# REML fits of pain ~ visit * arm + baseline_pain with each covariance structure mmrm shares
# with Trajectory, on Tests/Fixtures/mmrm/ketamine_visits1to6.csv, and per fit the
# coefficient table under Satterthwaite and Kenward-Roger df (mmrm's "Kenward-Roger", with
# the second-derivative terms) and the empirical (sandwich) covariance.
#
# mmrm is not in Debian 12; it was installed here from its source (tag v0.3.14, fetched from
# the GitHub mirror) with R CMD INSTALL against Debian's r-cran-tmb and r-cran-rcppeigen.
# Without it the script stops with a message and scripts/reference/check skips these fixtures.
#
# Usage: Rscript scripts/reference/mmrm_package.R [out_dir]   # default Tests/Fixtures/mmrm/package
invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, contrasts = c("contr.treatment", "contr.poly"))
if (!requireNamespace("mmrm", quietly = TRUE)) {
  message("mmrm_package.R: the mmrm package is not installed; nothing written")
  quit(status = 2)
}
suppressPackageStartupMessages({
  library(mmrm)
  library(jsonlite)
})
source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "mmrm", "package")

data_path <- "Tests/Fixtures/mmrm/ketamine_visits1to6.csv"
data <- read_project_csv(data_path, factors = "visit")
data$subject <- factor(data$subject)

coefficient_table <- function(fit) {
  s <- summary(fit)$coefficients
  lapply(seq_len(nrow(s)), function(i) list(
    term = rownames(s)[[i]], estimate = s[i, "Estimate"], se = s[i, "Std. Error"],
    df = s[i, "df"], t = s[i, "t value"], p = s[i, "Pr(>|t|)"]))
}

structures <- c("us", "ar1", "ar1h", "cs", "csh", "toep", "toeph", "ad", "adh")
for (structure in structures) {
  formula <- as.formula(paste0("pain ~ visit * arm + baseline_pain + ", structure,
                               "(visit | subject)"))
  fits <- list(
    satterthwaite = mmrm(formula, data = data, reml = TRUE, method = "Satterthwaite"),
    kenward_roger = mmrm(formula, data = data, reml = TRUE, method = "Kenward-Roger"),
    empirical = mmrm(formula, data = data, reml = TRUE, method = "Residual",
                     vcov = "Empirical")
  )
  base <- fits$satterthwaite
  sigma <- unclass(VarCorr(base))
  fixture <- list(
    generator = "scripts/reference/mmrm_package.R",
    versions = c(reference_versions(), list(mmrm = as.character(utils::packageVersion("mmrm")))),
    dataset = list(path = data_path, sha256 = sha256_file(data_path)),
    call = list(
      formula = paste0("pain ~ visit * arm + baseline_pain + ", structure, "(visit | subject)"),
      method = "REML", factors = list("visit")),
    expected = list(
      logLik = as.numeric(logLik(base)),
      criterion = -2 * as.numeric(logLik(base)),
      converged = isTRUE(attr(base, "converged")),
      sigma = unname(lapply(seq_len(nrow(sigma)), function(i) unname(sigma[i, ]))),
      satterthwaite = coefficient_table(fits$satterthwaite),
      kenward_roger = coefficient_table(fits$kenward_roger),
      empirical = coefficient_table(fits$empirical)
    )
  )
  json <- jsonlite::toJSON(fixture, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
  writeLines(json, file.path(out_dir, paste0(structure, ".json")))
  cat("wrote", structure, "\n")
}
