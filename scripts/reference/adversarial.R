#!/usr/bin/env Rscript
# Adversarial data sets for `traj fit` and their lme4 references (issue 7, item 3).
#
# Usage (from anywhere; paths are resolved against the repository root):
#   Rscript scripts/reference/adversarial.R [output_dir]   # default: Tests/Fixtures/adversarial
#
# For each case this script
#   * generates the data deterministically (set.seed + rounding, or integer arithmetic for the
#     large cases) and, for the small cases, writes it as <case>.csv next to the fixture;
#   * reads the CSV back the way Trajectory reads it (common.R's read_project_csv, with
#     check.names = FALSE so that UTF-8 and quoted header names survive);
#   * fits it with lme4::lmer (defaults, REML unless noted) and writes <case>.json with the
#     estimates, lme4's warnings/messages, or lme4's error when lme4 refuses the model
#     (`expected`), and, when lme4 fits it, the same of lme4 refitted to the true optimum
#     (`tight`; common.R's lmer_at_optimum, whose description is `tight$control`), which
#     Trajectory's estimates are compared with. Run with OPENBLAS_CORETYPE=Haswell and
#     without address-space randomisation (setarch -R), as scripts/reference/check does:
#     lme4's default fit depends on the BLAS kernel and on memory addresses.
#
# The large cases (10,000 grouping levels; 2,000,000 rows) are not written as CSV: their values
# are integers divided by 100 (exact in IEEE doubles), and the Swift tests build the same rows
# with the same integer arithmetic (Tests/TrajCLITests/AdversarialFixtureTests.swift,
# `LargeCase`). The fixture records the generator's parameters.

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1, na.action = "na.omit", contrasts = c("contr.treatment", "contr.poly"))

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

source(local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1) file.path(dirname(sub("^--file=", "", file_arg)), "common.R")
  else file.path("scripts", "reference", "common.R")
}))
out_dir <- reference_output_dir("Tests", "Fixtures", "adversarial")
# ADVERSARIAL_SKIP_LARGE=1 / ADVERSARIAL_SKIP_SMALL=1 leave out the large / small cases.
skip_large <- nzchar(Sys.getenv("ADVERSARIAL_SKIP_LARGE"))
skip_small <- nzchar(Sys.getenv("ADVERSARIAL_SKIP_SMALL"))

# MARK: - Data generators (small cases: written as CSV)

# Subjects s01..sNN, visits 0..(v-1), random intercept and slope, iid noise.
longitudinal <- function(n_subjects, visits, seed, sd_int = 1, sd_slope = 0.3, corr = 0,
                         sd_e = 0.5, beta = c(10, -0.5)) {
  set.seed(seed)
  z1 <- stats::rnorm(n_subjects)
  z2 <- stats::rnorm(n_subjects)
  b0 <- sd_int * z1
  b1 <- sd_slope * (corr * z1 + sqrt(1 - corr^2) * z2)
  rows <- lapply(seq_len(n_subjects), function(i) {
    w <- if (is.list(visits)) visits[[i]] else seq_len(visits) - 1
    data.frame(subject = sprintf("s%02d", i), week = w,
               y = beta[1] + b0[i] + (beta[2] + b1[i]) * w + stats::rnorm(length(w), sd = sd_e))
  })
  do.call(rbind, rows)
}

write_case_csv <- function(data, name) {
  path <- file.path(out_dir, paste0(name, ".csv"))
  utils::write.csv(data, path, row.names = FALSE, fileEncoding = "UTF-8")
  path
}

small_cases <- list()
# `centre`: also fit lme4 to the response minus this constant (exact in doubles for these data)
# and record it as `expected_centred` (intercept moved back): lme4 does not centre y, so on a
# response around 1e8 its own answer carries the cancellation that centring avoids.
add_case <- function(name, data_fn, formula, method = "REML", note, factors = character(),
                     ref = list(), centre = NULL) {
  small_cases[[name]] <<- list(name = name, data_fn = data_fn, formula = formula,
                               method = method, note = note, factors = factors, ref = ref,
                               centre = centre)
}

add_case("huge_response", function() {
  d <- longitudinal(20, 6, seed = 701, sd_int = 0.01, sd_slope = 0.002, sd_e = 0.005,
                    beta = c(0, 0.001))
  d$y <- round(1e8 + d$y, 4)
  d
}, "y ~ week + (1 | subject)",
note = "response around 1e8 with spread 1e-2: the sums of squares lose 16 digits unless centred",
centre = 1e8)

add_case("wide_scale_predictors", function() {
  set.seed(702)
  d <- longitudinal(15, 5, seed = 702)
  d$tiny <- signif(stats::runif(nrow(d)) * 1e-6, 6)
  d$huge <- signif(stats::runif(nrow(d)) * 1e6, 6)
  d$y <- round(d$y + 2e5 * d$tiny + 3e-7 * d$huge, 6)
  d
}, "y ~ tiny + huge + week + (1 | subject)",
note = "predictors spanning 1e-6 to 1e6 (lme4 warns: very different scales)")

add_case("collinear", function() {
  d <- longitudinal(12, 5, seed = 703)
  d$dose <- 2 * d$week + 1
  d
}, "y ~ week + dose + (1 | subject)",
note = "dose = 2 week + 1 exactly: lme4 drops one column")

add_case("single_row_level", function() {
  d <- longitudinal(12, 5, seed = 704)
  d$site <- ifelse(seq_len(nrow(d)) %% 2 == 0, "A", "B")
  d$site[17] <- "C"
  d
}, "y ~ week + site + (1 | subject)",
note = "factor level C present in one row only")

add_case("one_obs_subject", function() {
  d <- longitudinal(12, 5, seed = 705)
  d <- d[!(d$subject == "s07" & d$week > 0), ]
  d
}, "y ~ week + (1 + week | subject)",
note = "subject s07 has one observation")

add_case("all_single_obs", function() {
  set.seed(706)
  data.frame(subject = sprintf("s%02d", 1:30), week = rep(0:4, 6),
             y = round(stats::rnorm(30, 10), 6))
}, "y ~ week + (1 | subject)",
note = "every subject has one observation: lme4 refuses (levels = observations)")

add_case("singular_zero_variance", function() {
  set.seed(707)
  d <- longitudinal(15, 6, seed = 707, sd_int = 0, sd_slope = 0, sd_e = 1)
  d
}, "y ~ week + (1 | subject)",
note = "no between-subject variance: the estimate is on the boundary (singular)")

add_case("near_singular_corr_pos", function() {
  longitudinal(40, 8, seed = 708, sd_int = 1, sd_slope = 0.5, corr = 0.9999, sd_e = 0.3)
}, "y ~ week + (1 + week | subject)",
note = "random intercept and slope correlated +0.9999")

add_case("near_singular_corr_neg", function() {
  longitudinal(40, 8, seed = 709, sd_int = 1, sd_slope = 0.5, corr = -0.9999, sd_e = 0.3)
}, "y ~ week + (1 + week | subject)",
note = "random intercept and slope correlated -0.9999")

add_case("unbalanced_visits", function() {
  set.seed(710)
  visits <- lapply(1:25, function(i) sort(sample(0:11, sample(1:12, 1))))
  longitudinal(25, visits, seed = 710)
}, "y ~ week + (1 + week | subject)",
note = "1 to 12 visits per subject at irregular weeks")

add_case("nested_three_levels", function() {
  set.seed(711)
  d <- expand.grid(rep = 1:3, class = 1:3, school = 1:4, district = 1:5)
  d$district <- sprintf("d%d", d$district)
  d$school <- sprintf("h%d", d$school)
  d$class <- sprintf("c%d", d$class)
  u_d <- stats::rnorm(5, sd = 1.0)
  u_s <- stats::rnorm(20, sd = 0.7)
  u_c <- stats::rnorm(60, sd = 0.5)
  id_d <- as.integer(factor(d$district))
  id_s <- as.integer(factor(paste(d$district, d$school)))
  id_c <- as.integer(factor(paste(d$district, d$school, d$class)))
  d$x <- round(stats::runif(nrow(d)), 4)
  d$y <- round(5 + 2 * d$x + u_d[id_d] + u_s[id_s] + u_c[id_c] +
                 stats::rnorm(nrow(d), sd = 0.4), 6)
  d[, c("district", "school", "class", "x", "y")]
}, "y ~ x + (1 | district/school/class)",
note = "three-level nesting: class within school within district")

add_case("crossed_empty_cells", function() {
  set.seed(712)
  d <- expand.grid(rep = 1:2, rater = 1:8, item = 1:10)
  d <- d[(d$rater + d$item) %% 3 != 0, ]
  d$rater <- sprintf("r%d", d$rater)
  d$item <- sprintf("i%02d", d$item)
  d$arm <- ifelse(as.integer(sub("i", "", d$item)) %% 2 == 0, "drug", "placebo")
  d$sex <- ifelse(as.integer(sub("r", "", d$rater)) %% 2 == 0, "F", "M")
  # No drug rows for females: an empty cell of arm x sex.
  d <- d[!(d$arm == "drug" & d$sex == "F"), ]
  u_r <- stats::rnorm(8, sd = 0.8)
  u_i <- stats::rnorm(10, sd = 0.6)
  d$y <- round(3 + (d$arm == "drug") * 0.5 + u_r[as.integer(factor(d$rater))] +
                 u_i[as.integer(factor(d$item))] + stats::rnorm(nrow(d), sd = 0.5), 6)
  d[, c("rater", "item", "arm", "sex", "y")]
}, "y ~ arm * sex + (1 | rater) + (1 | item)",
note = "crossed raters x items with empty cells, and an empty arm x sex cell (rank deficient)")

add_case("utf8_names", function() {
  d <- longitudinal(8, 5, seed = 713)
  names_utf8 <- c("Müller", "Zoë", "Øster", "Åsa", "北京", "東京", "José", "Ñandú")
  d$subject <- names_utf8[as.integer(factor(d$subject))]
  names(d) <- c("Patient", "Woche", "Schmerz_é")
  d
}, "Schmerz_é ~ Woche + (1 | Patient)",
note = "UTF-8 column names and level names")

add_case("quoted_header_commas", function() {
  d <- longitudinal(10, 5, seed = 714)
  names(d) <- c("subject, id", "week", "pain, NRS (0-10)")
  d
}, "`pain, NRS (0-10)` ~ week + (1 | `subject, id`)",
note = "quoted header names holding commas, spaces and parentheses")

# MARK: - Large generated cases (no CSV: the tests rebuild the rows)

# Rows of subject i (0-based) at visit j (0-based), for i < groups, j < visits:
#   subject = "g" + i,  x = j,
#   y = (1000 + 50 j + u + e) / 100,
#   u = (i * 7919) %% 401 - 200,  e = (i * 104729 + j * 7907) %% 199 - 99
large_data <- function(groups, visits) {
  i <- rep(seq_len(groups) - 1, each = visits)
  j <- rep(seq_len(visits) - 1, times = groups)
  u <- (i * 7919) %% 401 - 200
  e <- (i * 104729 + j * 7907) %% 199 - 99
  data.frame(subject = factor(paste0("g", i)), x = j, y = (1000 + 50 * j + u + e) / 100)
}

large_cases <- list(
  list(name = "ten_thousand_levels", groups = 10000, visits = 3,
       formula = "y ~ x + (1 | subject)",
       note = "10,000 levels of the grouping factor, 3 rows each"),
  list(name = "two_million_rows", groups = 200000, visits = 10,
       formula = "y ~ x + (1 | subject)",
       note = "2,000,000 rows: 200,000 subjects x 10 visits")
)

# MARK: - Fitting and extraction

# common.R's read_project_csv, keeping header names exactly (check.names = FALSE) and reading
# the bytes as UTF-8: character columns become factors with levels in C-locale (byte) order.
read_adversarial_csv <- function(path) {
  data <- utils::read.csv(path, stringsAsFactors = FALSE, na.strings = "NA",
                          check.names = FALSE, encoding = "UTF-8")
  for (name in names(data)) {
    x <- data[[name]]
    if (is.character(x)) data[[name]] <- factor(x, levels = sort(unique(x[!is.na(x)])))
  }
  data
}

fit_case <- function(data, formula, method) {
  notes <- character()
  fit <- tryCatch(
    withCallingHandlers(
      lmer(stats::as.formula(formula), data = data, REML = identical(method, "REML")),
      message = function(m) {
        notes <<- c(notes, paste("message:", trimws(conditionMessage(m))))
        invokeRestart("muffleMessage")
      },
      warning = function(w) {
        notes <<- c(notes, paste("warning:", trimws(conditionMessage(w))))
        invokeRestart("muffleWarning")
      }),
    error = function(e) e)
  list(fit = fit, notes = notes)
}

expected_for <- function(fit, notes, formula, method) {
  if (inherits(fit, "error")) {
    return(list(error = conditionMessage(fit), notes = I(notes)))
  }
  coefs <- stats::coef(summary(fit))
  fixef <- lapply(seq_len(nrow(coefs)), function(i) {
    list(term = rownames(coefs)[i], estimate = coefs[i, "Estimate"],
         se = coefs[i, "Std. Error"])
  })
  dropped <- names(attr(getME(fit, "X"), "col.dropped"))
  if (is.null(dropped)) dropped <- character()
  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  varcorr <- lapply(seq_len(nrow(vc)), function(i) {
    row <- vc[i, ]
    if (is.na(row$var2)) {
      list(group = row$grp, term = if (is.na(row$var1)) "" else row$var1, sd = row$sdcor)
    } else {
      list(group = row$grp, terms = I(c(row$var1, row$var2)), corr = row$sdcor)
    }
  })
  reml <- identical(method, "REML")
  conv <- fit@optinfo$conv
  messages <- unlist(conv$lme4$messages)
  if (is.null(messages)) messages <- character()
  out <- list(
    formula = formula, method = method, nobs = nobs(fit), ngroups = as.list(ngrps(fit)),
    fixef = fixef, dropped_fixef = I(dropped),
    theta = I(unname(getME(fit, "theta"))), sigma = sigma(fit), varcorr = varcorr,
    logLik = as.numeric(logLik(fit)))
  if (reml) out$REMLcrit <- REMLcrit(fit) else out$deviance <- deviance(fit)
  c(out, list(singular = isSingular(fit), messages = I(messages), notes = I(notes)))
}

# lme4 refitted to the true optimum, described as `expected_for` describes a fit, with the
# description of the refit as `control`; NULL when lme4 refuses the model.
tight_for <- function(data, formula, method, minqa = TRUE) {
  optimum <- tryCatch(
    lmer_at_optimum(function(control, start) {
      lmer(stats::as.formula(formula), data = data, REML = identical(method, "REML"),
           control = control, start = start)
    }, minqa = minqa),
    error = function(e) NULL)
  if (is.null(optimum)) return(NULL)
  c(expected_for(optimum$fit, character(), formula, method), list(control = optimum$control))
}

write_fixture <- function(name, fixture) {
  json <- jsonlite::toJSON(fixture, auto_unbox = TRUE, digits = NA, pretty = TRUE,
                           null = "null", na = "null")
  writeLines(json, file.path(out_dir, paste0(name, ".json")), useBytes = TRUE)
}

report <- function(name, e) {
  if (!is.null(e$error)) {
    cat(sprintf("%-26s lme4 error: %s\n", name, e$error))
  } else {
    cat(sprintf("%-26s nobs=%7d REMLcrit=%.6f singular=%s notes=%d\n", name, e$nobs,
                if (is.null(e$REMLcrit)) NA else e$REMLcrit, e$singular, length(e$notes)))
    for (n in e$notes) cat("    ", n, "\n")
  }
}

for (cs in if (skip_small) list() else small_cases) {
  path <- write_case_csv(cs$data_fn(), cs$name)
  data <- read_adversarial_csv(path)
  r <- fit_case(data, cs$formula, cs$method)
  e <- expected_for(r$fit, r$notes, cs$formula, cs$method)
  rel <- file.path("Tests", "Fixtures", "adversarial", paste0(cs$name, ".csv"))
  fixture <- list(
    generator = "scripts/reference/adversarial.R", versions = reference_versions(),
    dataset = list(path = rel, sha256 = sha256_file(path)),
    call = list(formula = cs$formula, method = cs$method, note = cs$note),
    expected = e)
  if (is.null(e$error)) fixture$tight <- tight_for(data, cs$formula, cs$method)
  if (!is.null(cs$centre)) {
    response <- all.vars(stats::as.formula(cs$formula))[1]
    shifted <- data
    shifted[[response]] <- shifted[[response]] - cs$centre
    rc <- fit_case(shifted, cs$formula, cs$method)
    ec <- expected_for(rc$fit, rc$notes, cs$formula, cs$method)
    ec$fixef[[1]]$estimate <- ec$fixef[[1]]$estimate + cs$centre
    fixture$call$centre <- cs$centre
    fixture$expected_centred <- ec
    tc <- tight_for(shifted, cs$formula, cs$method)
    tc$fixef[[1]]$estimate <- tc$fixef[[1]]$estimate + cs$centre
    fixture$tight_centred <- tc
  }
  write_fixture(cs$name, fixture)
  report(cs$name, e)
}

if (!skip_large) {
  for (cs in large_cases) {
    data <- large_data(cs$groups, cs$visits)
    r <- fit_case(data, cs$formula, "REML")
    e <- expected_for(r$fit, r$notes, cs$formula, "REML")
    write_fixture(cs$name, list(
      generator = "scripts/reference/adversarial.R", versions = reference_versions(),
      dataset = list(generated = list(groups = cs$groups, visits = cs$visits)),
      call = list(formula = cs$formula, method = "REML", note = cs$note),
      expected = e, tight = tight_for(data, cs$formula, "REML", minqa = FALSE)))
    report(cs$name, e)
  }
}
