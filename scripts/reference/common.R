# Helpers shared by the scripts in scripts/reference/ (sourced, not run).
#
# A fixture script sources this file from its own directory, then calls
# reference_output_dir(); the helpers below expect the working directory at the repository
# root (which that call sets) and Sys.setlocale("LC_COLLATE", "C") already called.

# The output directory of a fixture script: its first command-line argument, else the
# given path below the repository root; created and normalised. The repository root is two
# levels above the running script (its --file), else the working directory; the working
# directory is then set to it.
reference_output_dir <- function(...) {
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  root <- if (length(file_arg) == 1) {
    normalizePath(file.path(dirname(sub("^--file=", "", file_arg)), "..", ".."))
  } else {
    normalizePath(".")
  }
  args <- commandArgs(trailingOnly = TRUE)
  out <- if (length(args) >= 1) args[[1]] else file.path(root, ...)
  dir.create(out, showWarnings = FALSE, recursive = TRUE)
  out <- normalizePath(out)
  setwd(root)
  out
}

# Reads a project CSV the way Trajectory does and returns a data frame ready
# for model fitting.
#   * character columns -> factor, levels = sorted unique non-NA values (C locale)
#   * columns named in `factors` (numeric in the CSV) -> factor, levels sorted
#     numerically
#   * `ref`: named list column -> level to put first (relevel)
read_project_csv <- function(path, factors = character(), ref = list()) {
  stopifnot(identical(Sys.getlocale("LC_COLLATE"), "C"))
  data <- utils::read.csv(path, stringsAsFactors = FALSE, na.strings = "NA")
  for (name in names(data)) {
    x <- data[[name]]
    if (is.character(x) || name %in% factors) {
      data[[name]] <- factor(x, levels = sort(unique(x[!is.na(x)])))
    }
  }
  missing_factors <- setdiff(factors, names(data))
  if (length(missing_factors)) stop("unknown factor column(s): ", toString(missing_factors))
  for (name in names(ref)) {
    data[[name]] <- stats::relevel(data[[name]], ref = ref[[name]])
  }
  data
}

# SHA-256 of a file as lowercase hex: digest if installed, else sha256sum(1).
sha256_file <- function(path) {
  if (requireNamespace("digest", quietly = TRUE)) {
    return(digest::digest(file = path, algo = "sha256"))
  }
  out <- system2("sha256sum", shQuote(path), stdout = TRUE)
  sub(" .*$", "", out[[1]])
}

# Versions of R and of the reference packages (null when not installed).
reference_versions <- function() {
  pkg <- function(name) {
    if (requireNamespace(name, quietly = TRUE)) as.character(utils::packageVersion(name)) else NULL
  }
  list(
    R = paste(R.version$major, R.version$minor, sep = "."),
    lme4 = pkg("lme4"),
    nlme = pkg("nlme"),
    Matrix = pkg("Matrix"),
    lmerTest = pkg("lmerTest"),
    pbkrtest = pkg("pbkrtest"),
    emmeans = pkg("emmeans")
  )
}
