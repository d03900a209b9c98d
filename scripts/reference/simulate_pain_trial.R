#!/usr/bin/env Rscript
# Simulates a small randomised fibromyalgia trial of ketamine infusions and
# writes datasets/pain_trial.csv.  The data are invented; the "truth" used to
# generate them is listed below so that parameter recovery can be checked.
#
# Usage (from the repository root):
#   Rscript scripts/reference/simulate_pain_trial.R [output_csv]
#   default output: datasets/pain_trial.csv
#
# Design
#   120 subjects (S001..S120), 4 sites (site1..site4, 30 subjects each),
#   randomised 1:1:1 within site (permuted blocks of 6) to placebo, ketamine,
#   ketamine_memantine.  Weekly pain NRS (0-10) at week 0..7 (8 visits).
#   baseline_pain: screening NRS, one value per subject.
#
# Model used to generate pain (before rounding/clamping), subject i, week t:
#   pain = 1.5 + 0.65 * baseline_pain + site_effect
#          + b0_i + (slope_arm + b1_i) * t + e
#   slope_arm: placebo -0.10, ketamine -0.35, ketamine_memantine -0.45 per week
#   arm shift at week 0: placebo 0, ketamine -0.20, ketamine_memantine -0.30
#   (b0_i, b1_i) ~ N(0, [0.90^2, -0.3*0.90*0.15; ., 0.15^2]) (correlated)
#   site_effect: site1 0.2, site2 -0.1, site3 0.0, site4 -0.1
#   e ~ N(0, 0.70^2)
#   then rounded to 0.1 and clamped to [0, 10].
#
# Missing data
#   Monotone dropout after each visit from week 1 on: P(drop before week t) =
#   plogis(-3.5 + 0.35 * (previous observed pain - 5)) (MAR: depends on the last
#   observed value only).  Visits after dropout are absent from the file, so the
#   data are unbalanced.
#   In addition, exactly 5 intermittent visits (weeks 1..6 among rows that are
#   present) have pain recorded as NA: those rows stay in the file.
#
# Deterministic: set.seed(20240517) with R's default RNG kinds
# (Mersenne-Twister, Inversion, Rejection).

args <- commandArgs(trailingOnly = TRUE)
out_csv <- if (length(args) >= 1) args[[1]] else file.path("datasets", "pain_trial.csv")

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20240517)

n_subjects <- 120L
n_sites <- 4L
weeks <- 0:7
arms <- c("placebo", "ketamine", "ketamine_memantine")

subject <- sprintf("S%03d", seq_len(n_subjects))
site <- rep(sprintf("site%d", seq_len(n_sites)), each = n_subjects / n_sites)

# Permuted blocks of 6 within site.
arm <- character(n_subjects)
for (s in unique(site)) {
  idx <- which(site == s)
  blocks <- split(idx, ceiling(seq_along(idx) / 6))
  for (b in blocks) arm[b] <- sample(rep(arms, length.out = length(b)))
}

baseline_pain <- round(pmin(pmax(rnorm(n_subjects, mean = 6.8, sd = 1.0), 4), 10), 1)

sd_b0 <- 0.90
sd_b1 <- 0.15
rho <- -0.3
Sigma <- matrix(c(sd_b0^2, rho * sd_b0 * sd_b1, rho * sd_b0 * sd_b1, sd_b1^2), 2)
U <- matrix(rnorm(2 * n_subjects), ncol = 2) %*% chol(Sigma)

site_effect <- c(site1 = 0.2, site2 = -0.1, site3 = 0.0, site4 = -0.1)
arm_shift <- c(placebo = 0, ketamine = -0.20, ketamine_memantine = -0.30)
arm_slope <- c(placebo = -0.10, ketamine = -0.35, ketamine_memantine = -0.45)
sigma_e <- 0.70

rows <- vector("list", n_subjects)
for (i in seq_len(n_subjects)) {
  mu <- 1.5 + 0.65 * baseline_pain[i] + site_effect[[site[i]]] + arm_shift[[arm[i]]] +
    U[i, 1] + (arm_slope[[arm[i]]] + U[i, 2]) * weeks
  y <- round(pmin(pmax(mu + rnorm(length(weeks), sd = sigma_e), 0), 10), 1)
  # Monotone MAR dropout: decide before each visit from week 1 on.
  last <- length(weeks)
  for (k in 2:length(weeks)) {
    p_drop <- stats::plogis(-3.5 + 0.35 * (y[k - 1] - 5))
    if (stats::runif(1) < p_drop) {
      last <- k - 1
      break
    }
  }
  keep <- seq_len(last)
  rows[[i]] <- data.frame(
    subject = subject[i], site = site[i], arm = arm[i], week = weeks[keep],
    baseline_pain = baseline_pain[i], pain = y[keep], stringsAsFactors = FALSE
  )
}
pain_trial <- do.call(rbind, rows)
rownames(pain_trial) <- NULL

# Intermittent missing outcomes: exactly 5 rows among weeks 1..6.
candidates <- which(pain_trial$week >= 1 & pain_trial$week <= 6)
na_rows <- sort(sample(candidates, 5))
pain_trial$pain[na_rows] <- NA

dir.create(dirname(out_csv), showWarnings = FALSE, recursive = TRUE)
utils::write.csv(pain_trial, out_csv, row.names = FALSE, quote = TRUE, na = "NA",
                 fileEncoding = "UTF-8")
message(sprintf("wrote %s: %d rows, %d subjects, %d rows with pain NA, %d completers",
                out_csv, nrow(pain_trial), length(unique(pain_trial$subject)),
                sum(is.na(pain_trial$pain)),
                sum(tapply(pain_trial$week, pain_trial$subject, max) == max(weeks))))
