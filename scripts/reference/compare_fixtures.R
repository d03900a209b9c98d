#!/usr/bin/env Rscript
# Compares committed golden fixtures with freshly generated ones.
#
# Usage (from the repository root):
#   Rscript scripts/reference/compare_fixtures.R <committed_dir> <fresh_dir>
#
# Numbers must agree within relative tolerance 1e-6 (absolute 1e-9 near zero),
# except the finite-difference derivatives (see tolerances_for below);
# strings, booleans, nulls, object keys and array lengths must agree exactly.
# "versions" may differ (a notice is printed).  The dataset SHA-256 recorded in
# each committed fixture must match the CSV file in the working tree.
# Exit status: 0 when everything matches, 1 otherwise (differences listed).

invisible(Sys.setlocale("LC_COLLATE", "C"))
suppressPackageStartupMessages(library(jsonlite))
source(file.path("scripts", "reference", "common.R"))

rel_tol <- 1e-6
abs_tol <- 1e-9

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) {
  cat("usage: compare_fixtures.R <committed_dir> <fresh_dir>\n", file = stderr())
  quit(status = 1)
}
committed_dir <- args[[1]]
fresh_dir <- args[[2]]

problems <- character()
notices <- character()
problem <- function(...) problems <<- c(problems, paste0(...))

describe <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) return(if (is.null(names(x))) sprintf("array[%d]", length(x)) else "object")
  if (is.character(x)) return(sprintf("\"%s\"", x))
  format(x, digits = 17)
}

# The one exception to 1e-6: expected/optimizer/derivs holds lme4's
# finite-difference gradient and Hessian of the objective at the optimum
# (deriv12, step 1e-4).  They amplify round-off: lme4's deviance is not
# bit-reproducible from one R process to the next for crossed designs (about
# 1e-13 absolute, so theta moves by ~1e-10 and the Hessian by ~1e-4), hence
# looser, named tolerances for these two arrays only.
tolerances_for <- function(path) {
  if (grepl("/optimizer/derivs/gradient", path, fixed = TRUE)) return(c(rel = 1e-3, abs = 1e-6))
  if (grepl("/optimizer/derivs/hessian", path, fixed = TRUE)) return(c(rel = 1e-3, abs = 1e-3))
  c(rel = rel_tol, abs = abs_tol)
}

numbers_close <- function(a, b, path) {
  if (is.na(a) || is.na(b)) return(is.na(a) && is.na(b))
  if (!is.finite(a) || !is.finite(b)) return(identical(a, b))
  tol <- tolerances_for(path)
  d <- abs(a - b)
  d <= tol[["abs"]] || d <= tol[["rel"]] * max(abs(a), abs(b))
}

compare <- function(a, b, path) {
  if (is.null(a) || is.null(b)) {
    if (!(is.null(a) && is.null(b))) {
      problem(path, ": committed ", describe(a), ", fresh ", describe(b))
    }
    return(invisible())
  }
  if (is.list(a) || is.list(b)) {
    if (!(is.list(a) && is.list(b))) {
      problem(path, ": committed ", describe(a), ", fresh ", describe(b))
      return(invisible())
    }
    na <- names(a)
    nb <- names(b)
    is_obj_a <- !is.null(na)
    is_obj_b <- !is.null(nb)
    if (is_obj_a != is_obj_b) {
      problem(path, ": committed ", describe(a), ", fresh ", describe(b))
      return(invisible())
    }
    if (is_obj_a) {
      missing <- setdiff(na, nb)
      extra <- setdiff(nb, na)
      if (length(missing)) problem(path, ": keys only in committed: ", toString(missing))
      if (length(extra)) problem(path, ": keys only in fresh: ", toString(extra))
      common <- intersect(na, nb)
      if (!identical(na[na %in% common], nb[nb %in% common])) {
        problem(path, ": key order differs")
      }
      for (k in common) compare(a[[k]], b[[k]], paste0(path, "/", k))
    } else {
      if (length(a) != length(b)) {
        problem(path, ": array length committed ", length(a), ", fresh ", length(b))
        return(invisible())
      }
      for (i in seq_along(a)) compare(a[[i]], b[[i]], sprintf("%s[%d]", path, i - 1L))
    }
    return(invisible())
  }
  if (is.numeric(a) && is.numeric(b)) {
    if (!numbers_close(a, b, path)) {
      problem(sprintf("%s: committed %s, fresh %s (abs diff %.3g, rel diff %.3g)", path,
                      describe(a), describe(b), abs(a - b),
                      abs(a - b) / max(abs(a), abs(b))))
    }
    return(invisible())
  }
  if (!identical(class(a), class(b)) || !identical(a, b)) {
    problem(path, ": committed ", describe(a), ", fresh ", describe(b))
  }
  invisible()
}

committed_files <- sort(list.files(committed_dir, pattern = "\\.json$"))
fresh_files <- sort(list.files(fresh_dir, pattern = "\\.json$"))
for (f in setdiff(committed_files, fresh_files)) problem(f, ": not produced by the generator")
for (f in setdiff(fresh_files, committed_files)) problem(f, ": produced but not committed")

for (f in intersect(committed_files, fresh_files)) {
  old <- jsonlite::fromJSON(file.path(committed_dir, f), simplifyVector = FALSE)
  new <- jsonlite::fromJSON(file.path(fresh_dir, f), simplifyVector = FALSE)
  if (!identical(old$versions, new$versions)) {
    notices <- c(notices, sprintf("%s: versions differ (committed %s; now %s)", f,
                                  jsonlite::toJSON(old$versions, auto_unbox = TRUE),
                                  jsonlite::toJSON(new$versions, auto_unbox = TRUE)))
  }
  old$versions <- NULL
  new$versions <- NULL
  before <- length(problems)
  compare(old, new, f)
  ds <- old$dataset
  if (!is.null(ds$generated)) {
    # Data generated by the script itself (no file): the generator's parameters were compared.
  } else if (is.null(ds$path) || !file.exists(ds$path)) {
    problem(f, ": dataset file missing: ", describe(ds$path))
  } else if (!identical(sha256_file(ds$path), ds$sha256)) {
    problem(f, ": ", ds$path, " SHA-256 is ", sha256_file(ds$path), ", fixture records ",
            ds$sha256)
  }
  cat(sprintf("%-48s %s\n", f, if (length(problems) == before) "ok" else "DIFFERS"))
}

for (n in notices) cat("notice: ", n, "\n", sep = "")
if (length(problems)) {
  cat(sprintf("\n%d difference(s):\n", length(problems)))
  cat(paste0("  ", problems, "\n"), sep = "")
  quit(status = 1)
}
cat(sprintf("all %d fixtures match\n", length(committed_files)))
