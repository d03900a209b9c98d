#!/usr/bin/env Rscript
# Reference values for the Distributions module (Tests/DistributionsTests).
#
# Usage: Rscript scripts/reference/distributions.R [OUTPUT_DIR]
#   OUTPUT_DIR defaults to Tests/Fixtures/distributions (relative to the repository root, i.e.
#   two directories above this script). Writes OUTPUT_DIR/reference.json.
#
# Everything is computed by base R (nmath: Cody's pnorm, AS 241 qnorm, TOMS 708 pbeta,
# Welinder's pgamma, ...) and written at full precision. Note: jsonlite::toJSON(digits = NA)
# (jsonlite 1.8.4) prints at most 15 significant digits, which does not round-trip a double, so
# numbers are formatted here with sprintf("%.17g") (always round-trips), written as JSON
# strings (see `num17`), and the JSON text is assembled by `to_json` below; jsonlite is used
# only to quote strings.
# Each array holds both tails (lower.tail = TRUE and FALSE) for the same arguments.
#
# Known limits of R itself, which the tests allow for with named tolerances:
#   * lgamma() is only absolutely (not relatively) accurate next to its zeros at 1 and 2,
#     because it is log(gamma(x)) there;
#   * pt() switches to a normal approximation for df > 4e5 (nmath/pt.c), error O(1/df^2);
#     (the pbeta identity is no better there: pbeta(x, ...) only sees x = df/(df+t^2), and
#     1 - x then carries a relative error of eps/(1 - x));
#   * in a few corners R is not consistent with itself (e.g. pbeta(0.999999, .5, .5,
#     lower.tail = FALSE) differs from pbeta(1 - 0.999999, .5, .5) by 5e-11; qt(1e-300, 2.5)
#     is off by 1e-5). Each row carries `consistent` (1/0), computed here by evaluating the same
#     quantity a second way in R (the mirrored pbeta with an exact 1 - x; the cdf at R's own
#     quantile); the tests hold inconsistent rows only to a loose, named tolerance.
#
# The "rng" section re-implements SplitMix64 and xoshiro256** (Blackman & Vigna) in R with
# 16-bit limbs, independently of the Swift code, and records the first outputs for a few seeds
# as hexadecimal strings, plus the uniform deviates (top 53 bits * 2^-53, exact in a double).

suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
script_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
script_dir <- if (length(script_arg)) dirname(sub("^--file=", "", script_arg[1])) else "scripts/reference"
out_dir <- if (length(args) >= 1) args[1] else file.path(script_dir, "..", "..", "Tests", "Fixtures", "distributions")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

finite_rows <- function(df) df[apply(df, 1, function(r) all(is.finite(r))), , drop = FALSE]

# ---- normal -----------------------------------------------------------------------------
x_norm <- c(-37.5, -35, -30, -25, -20, -15, -10, -8, -6, -5, -4, -3, -2.5, -2, -1.5, -1,
            -0.7, -0.5, -0.25, -1e-3, 0, 1e-8, 0.3, 0.66, 0.67, 1.2, 1.96, 3.3, 5.7, 7, 9, 12,
            20, 37)
pnorm_cases <- finite_rows(data.frame(x = x_norm, lower = pnorm(x_norm),
                                      upper = pnorm(x_norm, lower.tail = FALSE)))
p_norm <- c(1e-300, 1e-250, 1e-200, 1e-150, 1e-100, 1e-50, 1e-20, 1e-12, 1e-10, 1e-8, 1e-6,
            1e-4, 1e-3, 0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6,
            0.75, 0.9, 0.95, 0.975, 0.99, 0.999999)
qnorm_cases <- data.frame(p = p_norm, lower = qnorm(p_norm), upper = qnorm(p_norm, lower.tail = FALSE))
dnorm_cases <- data.frame(x = c(-30, -5, -1, 0, 0.5, 2, 10), mean = 0, sd = 1)
dnorm_cases$value <- dnorm(dnorm_cases$x)
dnorm_cases <- rbind(dnorm_cases, data.frame(x = 3.7, mean = 1.5, sd = 2.25, value = dnorm(3.7, 1.5, 2.25)))

# ---- Student t ----------------------------------------------------------------------------
df_t <- c(1, 2.5, 10, 37.3, 1000, 1e6)
t_values <- c(-40, -25, -12, -6, -3.5, -2, -1.3, -0.6, -0.1, 0.05, 0.4, 1, 1.7, 2.1, 2.8,
              4.5, 8, 15, 30, 40)
pt_cases <- expand.grid(x = t_values, df = df_t)
pt_cases$lower <- pt(pt_cases$x, pt_cases$df)
pt_cases$upper <- pt(pt_cases$x, pt_cases$df, lower.tail = FALSE)
pt_cases <- pt_cases[pt_cases$lower > 0 & pt_cases$upper > 0, ]
p_t <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.3, 0.45, 0.5, 0.6,
         0.9, 0.975)
qt_cases <- expand.grid(p = p_t, df = df_t)
qt_cases$lower <- qt(qt_cases$p, qt_cases$df)
qt_cases$upper <- qt(qt_cases$p, qt_cases$df, lower.tail = FALSE)
qt_cases <- finite_rows(qt_cases)
qt_cases$consistent <- as.numeric(abs(pt(qt_cases$lower, qt_cases$df) / qt_cases$p - 1) <= 1e-12 &
  abs(pt(qt_cases$upper, qt_cases$df, lower.tail = FALSE) / qt_cases$p - 1) <= 1e-12)
dt_cases <- expand.grid(x = c(-30, -2, 0, 0.7, 5), df = c(1, 2.5, 37.3, 1e6))
dt_cases$value <- dt(dt_cases$x, dt_cases$df)
pt_twosided <- expand.grid(t = c(0.3, 2, 5, 12, 40), df = c(1, 3.7, 20, 250))
pt_twosided$value <- pbeta(pt_twosided$df / (pt_twosided$df + pt_twosided$t^2), pt_twosided$df / 2, 0.5)

# ---- F ------------------------------------------------------------------------------------
df_f <- data.frame(df1 = c(1, 2, 3, 4.5, 10, 1, 7.3, 50, 200, 2.5),
                   df2 = c(1, 10, 27.4, 12.2, 1e4, 1e6, 3.1, 50, 1000, 0.7))
x_f <- c(1e-8, 0.01, 0.2, 0.8, 1, 1.6, 3, 7.5, 40, 1e3)
pf_cases <- do.call(rbind, lapply(seq_len(nrow(df_f)), function(i)
  data.frame(df1 = df_f$df1[i], df2 = df_f$df2[i], x = x_f)))
pf_cases$lower <- pf(pf_cases$x, pf_cases$df1, pf_cases$df2)
pf_cases$upper <- pf(pf_cases$x, pf_cases$df1, pf_cases$df2, lower.tail = FALSE)
pf_cases <- pf_cases[pf_cases$lower > 0 & pf_cases$upper > 0, ]
p_f <- c(1e-12, 1e-5, 0.01, 0.05, 0.3, 0.5, 0.8, 0.95, 0.99)
qf_cases <- do.call(rbind, lapply(seq_len(nrow(df_f)), function(i)
  data.frame(df1 = df_f$df1[i], df2 = df_f$df2[i], p = p_f)))
qf_cases$lower <- qf(qf_cases$p, qf_cases$df1, qf_cases$df2)
qf_cases$upper <- qf(qf_cases$p, qf_cases$df1, qf_cases$df2, lower.tail = FALSE)
qf_cases <- finite_rows(qf_cases)
qf_cases$consistent <- as.numeric(
  abs(pf(qf_cases$lower, qf_cases$df1, qf_cases$df2) / qf_cases$p - 1) <= 1e-12 &
  abs(pf(qf_cases$upper, qf_cases$df1, qf_cases$df2, lower.tail = FALSE) / qf_cases$p - 1) <= 1e-12)
df_cases <- data.frame(x = c(0.5, 1, 2.2, 0.05, 3), df1 = c(1, 3, 10, 2.5, 200), df2 = c(5, 27.4, 1e4, 0.7, 1000))
df_cases$value <- df(df_cases$x, df_cases$df1, df_cases$df2)

# ---- chi-squared --------------------------------------------------------------------------
df_c <- c(0.5, 1, 2, 3, 7.5, 30, 250, 1e4)
chisq_cases <- do.call(rbind, lapply(df_c, function(k)
  data.frame(df = k, x = k * c(1e-6, 0.01, 0.3, 0.8, 1, 1.3, 2, 4) + c(0, 0, 0, 0, 0, 0, 0, 50))))
chisq_cases$lower <- pchisq(chisq_cases$x, chisq_cases$df)
chisq_cases$upper <- pchisq(chisq_cases$x, chisq_cases$df, lower.tail = FALSE)
chisq_cases <- chisq_cases[chisq_cases$lower > 0 & chisq_cases$upper > 0, ]
p_c <- c(1e-100, 1e-10, 1e-3, 0.05, 0.5, 0.9, 0.999)
qchisq_cases <- expand.grid(p = p_c, df = df_c)
qchisq_cases$lower <- qchisq(qchisq_cases$p, qchisq_cases$df)
qchisq_cases$upper <- qchisq(qchisq_cases$p, qchisq_cases$df, lower.tail = FALSE)
qchisq_cases <- finite_rows(qchisq_cases[qchisq_cases$lower > 0, ])
dchisq_cases <- data.frame(x = c(0.01, 1, 4, 12, 300), df = c(1, 2, 7.5, 30, 250))
dchisq_cases$value <- dchisq(dchisq_cases$x, dchisq_cases$df)

# ---- special functions --------------------------------------------------------------------
x_lg <- c(1e-300, 1e-10, 1e-3, 0.1, 0.5, 0.9, 0.99999, 1, 1.00001, 1.3, 1.4616321449683622,
          1.5, 1.999999, 2, 2.000001, 2.5, 3.7, 7.25, 9.99, 10, 10.01, 17.3, 55.5, 123.456,
          1e3, 1e5, 1e10, 1e100, 1e300, -0.5, -1.5, -2.3, -7.9, -20.000001, -100.5)
lgamma_cases <- data.frame(x = x_lg, value = lgamma(x_lg))
lgamma_cases <- lgamma_cases[is.finite(lgamma_cases$value), ]

beta_ab <- data.frame(a = c(0.5, 0.5, 1, 2.5, 7, 0.2, 30, 300, 1e4, 5e5, 2, 0.05),
                      b = c(0.5, 20, 1, 3.5, 0.8, 0.2, 45, 200, 1e4, 0.5, 5e5, 3))
# (x = 0.999999 with shapes (0.5, 0.5) or (0.5, 20) is left out: there R's upper tail is off
# by 5e-11 and 2e-9 relative, checked against 40-digit mpmath, and R agrees with itself.)
beta_x <- c(1e-12, 1e-4, 0.01, 0.2, 0.45, 0.5, 0.7, 0.99)
pbeta_cases <- do.call(rbind, lapply(seq_len(nrow(beta_ab)), function(i) {
  a <- beta_ab$a[i]; b <- beta_ab$b[i]
  m <- a / (a + b); s <- sqrt(a * b / ((a + b)^2 * (a + b + 1)))
  xs <- c(beta_x, m + s * c(-3, -1, 0, 1, 3))
  data.frame(a = a, b = b, x = xs[xs > 0 & xs < 1])
}))
pbeta_cases$lower <- pbeta(pbeta_cases$x, pbeta_cases$a, pbeta_cases$b)
pbeta_cases$upper <- pbeta(pbeta_cases$x, pbeta_cases$a, pbeta_cases$b, lower.tail = FALSE)
pbeta_cases <- pbeta_cases[pbeta_cases$lower > 1e-300 & pbeta_cases$upper > 1e-300, ]
close_rel <- function(a, b, tol) abs(a - b) <= tol * abs(b)
mirror_ok <- with(pbeta_cases, ifelse(x >= 0.5,
  close_rel(pbeta(1 - x, b, a), upper, 1e-13) & close_rel(pbeta(1 - x, b, a, lower.tail = FALSE), lower, 1e-13),
  TRUE))
pbeta_cases$consistent <- as.numeric(mirror_ok)
p_b <- c(1e-50, 1e-8, 0.01, 0.3, 0.5, 0.8, 0.99)
qbeta_cases <- expand.grid(p = p_b, i = seq_len(nrow(beta_ab)))
qbeta_cases$a <- beta_ab$a[qbeta_cases$i]
qbeta_cases$b <- beta_ab$b[qbeta_cases$i]
qbeta_cases$i <- NULL
qbeta_cases$lower <- qbeta(qbeta_cases$p, qbeta_cases$a, qbeta_cases$b)
qbeta_cases$upper <- qbeta(qbeta_cases$p, qbeta_cases$a, qbeta_cases$b, lower.tail = FALSE)
qbeta_cases <- qbeta_cases[qbeta_cases$lower > 1e-300 & qbeta_cases$upper > 1e-300 &
                           qbeta_cases$lower < 1 & qbeta_cases$upper < 1, ]
qbeta_cases$consistent <- as.numeric(
  abs(pbeta(qbeta_cases$lower, qbeta_cases$a, qbeta_cases$b) / qbeta_cases$p - 1) <= 1e-12 &
  abs(pbeta(qbeta_cases$upper, qbeta_cases$a, qbeta_cases$b, lower.tail = FALSE) / qbeta_cases$p - 1) <= 1e-12)

gamma_shape <- c(0.01, 0.3, 1, 2.5, 9.9, 10, 40, 1e3, 2e5)
pgamma_cases <- do.call(rbind, lapply(gamma_shape, function(a)
  data.frame(shape = a, x = pmax(a + sqrt(a) * c(-6, -2, -0.5, 0, 0.5, 2, 6, 20), 1e-7))))
pgamma_cases <- rbind(pgamma_cases, data.frame(shape = c(0.3, 0.01, 2.5), x = c(1e-20, 0.5, 1e-9)))
pgamma_cases$lower <- pgamma(pgamma_cases$x, pgamma_cases$shape)
pgamma_cases$upper <- pgamma(pgamma_cases$x, pgamma_cases$shape, lower.tail = FALSE)
pgamma_cases <- pgamma_cases[pgamma_cases$lower > 1e-300 & pgamma_cases$upper > 1e-300, ]
qgamma_cases <- expand.grid(p = c(1e-30, 1e-5, 0.1, 0.5, 0.9), shape = c(0.3, 1, 2.5, 40, 1e3))
qgamma_cases$lower <- qgamma(qgamma_cases$p, qgamma_cases$shape)
qgamma_cases$upper <- qgamma(qgamma_cases$p, qgamma_cases$shape, lower.tail = FALSE)
qgamma_cases <- qgamma_cases[qgamma_cases$lower > 0, ]

# ---- random numbers: SplitMix64 and xoshiro256** in 16-bit limbs -------------------------
# A 64-bit word is a numeric vector of 4 limbs, least significant first, each in [0, 65536).
hex_to_limbs <- function(h) {
  h <- sprintf("%016s", h); h <- gsub(" ", "0", h)
  rev(strtoi(substring(h, c(1, 5, 9, 13), c(4, 8, 12, 16)), 16L))
}
limbs_to_hex <- function(w) paste(sprintf("%04x", rev(as.integer(w))), collapse = "")
normalize <- function(r) {  # propagate carries, drop overflow past 64 bits
  out <- numeric(4); carry <- 0
  for (i in 1:4) { v <- r[i] + carry; out[i] <- v %% 65536; carry <- v %/% 65536 }
  out
}
add64 <- function(a, b) normalize(a + b)
mul64 <- function(a, b) {
  r <- numeric(4)
  for (i in 1:4) for (j in 1:(5 - i)) r[i + j - 1] <- r[i + j - 1] + a[i] * b[j]
  # r[k] < 4 * 2^32, exact in a double; carry limb by limb
  out <- numeric(4); carry <- 0
  for (k in 1:4) { v <- r[k] + carry; out[k] <- v %% 65536; carry <- v %/% 65536 }
  out
}
xor64 <- function(a, b) as.numeric(bitwXor(as.integer(a), as.integer(b)))
to_bits <- function(a) unlist(lapply(a, function(l) as.integer(intToBits(as.integer(l)))[1:16]))
from_bits <- function(bits) sapply(0:3, function(i) sum(bits[(16 * i + 1):(16 * i + 16)] * 2^(0:15)))
shr64 <- function(a, k) { b <- to_bits(a); from_bits(c(b[(k + 1):64], integer(k))) }
shl64 <- function(a, k) { b <- to_bits(a); from_bits(c(integer(k), b[1:(64 - k)])) }
rotl64 <- function(a, k) xor64(shl64(a, k), shr64(a, 64 - k))

splitmix_next <- function(env) {
  env$state <- add64(env$state, hex_to_limbs("9e3779b97f4a7c15"))
  z <- env$state
  z <- mul64(xor64(z, shr64(z, 30)), hex_to_limbs("bf58476d1ce4e5b9"))
  z <- mul64(xor64(z, shr64(z, 27)), hex_to_limbs("94d049bb133111eb"))
  xor64(z, shr64(z, 31))
}
xoshiro_next <- function(env) {
  s <- env$s
  result <- mul64(rotl64(mul64(s[[2]], c(5, 0, 0, 0)), 7), c(9, 0, 0, 0))
  t <- shl64(s[[2]], 17)
  s[[3]] <- xor64(s[[3]], s[[1]]); s[[4]] <- xor64(s[[4]], s[[2]])
  s[[2]] <- xor64(s[[2]], s[[3]]); s[[1]] <- xor64(s[[1]], s[[4]])
  s[[3]] <- xor64(s[[3]], t); s[[4]] <- rotl64(s[[4]], 45)
  env$s <- s
  result
}
xoshiro_jump <- function(env) {
  jump <- c("180ec6d33cfd0aba", "d5a61266f0c9392c", "a9582618e03fc9aa", "39abdc4529b1661c")
  acc <- rep(list(numeric(4)), 4)
  for (w in jump) {
    bits <- to_bits(hex_to_limbs(w))
    for (b in 1:64) {
      if (bits[b] == 1) for (i in 1:4) acc[[i]] <- xor64(acc[[i]], env$s[[i]])
      xoshiro_next(env)
    }
  }
  env$s <- acc
}
uniform_from <- function(w) {  # (w >> 11) * 2^-53, exact
  top <- shr64(w, 11)
  sum(top * 2^(16 * (0:3))) * 2^-53
}
seed_limbs <- function(seed_hex) hex_to_limbs(seed_hex)
rng_case <- function(seed_hex, n = 8) {
  sm <- new.env(); sm$state <- seed_limbs(seed_hex)
  splitmix <- vapply(1:n, function(i) limbs_to_hex(splitmix_next(sm)), "")
  sm2 <- new.env(); sm2$state <- seed_limbs(seed_hex)
  x <- new.env(); x$s <- lapply(1:4, function(i) splitmix_next(sm2))
  outputs <- lapply(1:n, function(i) xoshiro_next(x))
  xoshiro <- vapply(outputs, limbs_to_hex, "")
  uniforms <- vapply(outputs, uniform_from, 0)
  stopifnot(length(uniforms) > 1)
  xoshiro_jump(x)
  after_jump <- vapply(1:4, function(i) limbs_to_hex(xoshiro_next(x)), "")
  list(seed = seed_hex, splitmix64 = splitmix, xoshiro256starstar = xoshiro,
       uniform = uniforms, afterJump = after_jump)
}
rng_cases <- lapply(c("0000000000000000", "000000000012d687", "00000000075bcd15",
                      "ffffffffffffffff"), rng_case)

# ---- write --------------------------------------------------------------------------------
reference <- list(
  generator = "scripts/reference/distributions.R",
  versions = list(R = R.version.string, jsonlite = as.character(packageVersion("jsonlite"))),
  pnorm = pnorm_cases, qnorm = qnorm_cases, dnorm = dnorm_cases,
  pt = pt_cases, qt = qt_cases, dt = dt_cases, ptTwoSided = pt_twosided,
  pf = pf_cases, qf = qf_cases, df = df_cases,
  pchisq = chisq_cases, qchisq = qchisq_cases, dchisq = dchisq_cases,
  lgamma = lgamma_cases, pbeta = pbeta_cases, qbeta = qbeta_cases,
  pgamma = pgamma_cases, qgamma = qgamma_cases,
  rng = rng_cases
)
# Numbers are written as JSON strings ("0.12023855786970950"): Foundation's JSONSerialization
# on Linux does not round decimal numbers correctly (off by an ulp), while Swift's
# Double(String) does, and a 1-ulp change in x near 1 moves I_x(5e5, 0.5) by 1e-10.
num17 <- function(v) ifelse(is.na(v), "null", sprintf("\"%.17g\"", v))
to_json <- function(x) {
  if (is.data.frame(x)) {
    cols <- lapply(x, function(col) if (is.numeric(col)) num17(col) else as.character(toJSON(col)))
    rows <- vapply(seq_len(nrow(x)), function(i)
      paste0("{", paste0('"', names(x), '":', vapply(cols, `[`, "", i), collapse = ","), "}"), "")
    return(paste0("[", paste(rows, collapse = ",\n"), "]"))
  }
  if (is.list(x) && !is.null(names(x))) {
    return(paste0("{", paste0(vapply(names(x), function(n) as.character(toJSON(n, auto_unbox = TRUE)), ""),
                              ":", vapply(x, to_json, ""), collapse = ",\n"), "}"))
  }
  if (is.list(x)) return(paste0("[", paste(vapply(x, to_json, ""), collapse = ",\n"), "]"))
  if (is.character(x) && length(x) == 1 && is.null(attr(x, "array")))
    return(as.character(toJSON(x, auto_unbox = TRUE)))
  if (is.character(x)) return(as.character(toJSON(x)))
  if (is.numeric(x) && length(x) == 1) return(num17(x))
  paste0("[", paste(num17(x), collapse = ","), "]")
}
json <- to_json(reference)
out_file <- file.path(out_dir, "reference.json")
writeLines(json, out_file)
counts <- vapply(reference[sapply(reference, is.data.frame)], nrow, 0L)
message(sprintf("wrote %s: %d cases (%s)", out_file, sum(counts),
                paste(names(counts), counts, sep = "=", collapse = ", ")))
