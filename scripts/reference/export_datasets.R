#!/usr/bin/env Rscript
# Writes the classic R example datasets used by the lmer fixtures as CSV files.
#
# Usage (from the repository root):
#   Rscript scripts/reference/export_datasets.R [output_dir]   # default: datasets
#
# Column names are kept exactly as in R so that formulas read as they do in R.
# Factors are written as plain (quoted) strings; numeric columns are unquoted.
# sleepstudy$Subject is written as an integer (308, 309, ...), so consumers must
# treat it as categorical (the fixtures record it in call.factors).

suppressPackageStartupMessages({
  library(lme4)
  library(nlme)
})

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[[1]] else "datasets"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

as_plain <- function(df) {
  df <- as.data.frame(df)
  attributes(df) <- attributes(df)[c("names", "row.names", "class")]
  class(df) <- "data.frame"
  for (nm in names(df)) {
    if (is.factor(df[[nm]])) df[[nm]] <- as.character(df[[nm]])
  }
  df
}

write_dataset <- function(df, file) {
  path <- file.path(out_dir, file)
  utils::write.csv(df, path, row.names = FALSE, quote = TRUE, na = "NA",
                   fileEncoding = "UTF-8")
  message("wrote ", path, " (", nrow(df), " rows)")
}

sleep <- as_plain(lme4::sleepstudy)
sleep$Subject <- as.integer(sleep$Subject)
write_dataset(sleep[, c("Reaction", "Days", "Subject")], "sleepstudy.csv")

ortho <- as_plain(nlme::Orthodont)
write_dataset(ortho[, c("distance", "age", "Subject", "Sex")], "orthodont.csv")

pen <- as_plain(lme4::Penicillin)
write_dataset(pen[, c("diameter", "plate", "sample")], "penicillin.csv")

pastes <- as_plain(lme4::Pastes)
write_dataset(pastes[, c("strength", "batch", "cask", "sample")], "pastes.csv")
