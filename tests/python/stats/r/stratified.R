# Reference values for oncoduck.stats.stratified (R mantelhaen.test, default correct = TRUE).
# Run from the repo root:  Rscript tests/python/stats/r/stratified.R
# Writes tests/python/stats/fixtures/stratified.json; every case records the exact R call.
# Tables are R arrays, column-major: dim = c(I groups, J = 2 (altered, not altered), K strata), so each
# stratum is c(altered of groups 1..I, not altered of groups 1..I).
suppressPackageStartupMessages(library(jsonlite))
out <- list()
add <- function(name, call, dim, values, result) {
  out[[length(out) + 1]] <<- list(name = name, call = call, dim = dim, values = values, result = result)
}
run <- function(call) tryCatch(eval(parse(text = call), envir = globalenv()), error = function(e) e)

# ---- generalized Cochran-Mantel-Haenszel: I x 2 x K, I >= 3 ---------------------------------------------
general <- list(
  g3x2x2 = list(dim = c(3, 2, 2), values = c(5, 8, 12, 20, 15, 9, 3, 7, 10, 25, 18, 14)),
  g4x2x3_zeros = list(dim = c(4, 2, 3), values = c(0, 2, 5, 1, 10, 9, 6, 4, 1, 0, 3, 2, 7, 8, 2, 5,
                                                   4, 4, 0, 6, 3, 2, 9, 1)),
  # stratum 2 has no member of group 3; stratum 3 varies in no alteration status (contributes nothing)
  g3x2x3_absent_and_constant = list(dim = c(3, 2, 3), values = c(4, 6, 9, 11, 7, 3, 2, 5, 0, 8, 4, 0,
                                                                 0, 0, 0, 3, 5, 2)),
  g3x2x2_tiny_p = list(dim = c(3, 2, 2), values = c(80, 30, 5, 20, 70, 95, 60, 25, 8, 40, 75, 92)),
  g5x2x4 = list(dim = c(5, 2, 4), values = c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4,
                                             6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0, 2, 8, 8, 4, 1, 9, 7)),
  # groups 1-2 only in stratum 1, group 3 only in stratum 2: no stratum compares {1, 2} with 3
  g3x2x2_singular_disconnected = list(dim = c(3, 2, 2), values = c(2, 3, 0, 5, 4, 0, 0, 0, 3, 0, 0, 6)),
  # a declared group with no member in any stratum
  g3x2x2_singular_empty_group = list(dim = c(3, 2, 2), values = c(2, 3, 0, 5, 4, 0, 1, 6, 0, 7, 2, 0)),
  # nobody altered
  g3x2x2_singular_no_variation = list(dim = c(3, 2, 2), values = c(0, 0, 0, 5, 4, 3, 0, 0, 0, 7, 2, 4))
)
for (nm in names(general)) {
  g <- general[[nm]]
  call <- sprintf("mantelhaen.test(array(c(%s), dim = c(%s)))", paste(g$values, collapse = ", "),
                  paste(g$dim, collapse = ", "))
  r <- run(call)
  result <- if (inherits(r, "error")) list(error = conditionMessage(r)) else
    list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value, method = r$method)
  add(nm, call, g$dim, g$values, result)
}

# one stratum: the array form refuses a dimension < 2, the factor form (x, y, z) accepts a single stratum
v <- c(6, 2, 9, 14, 18, 7)
x1 <- array(v, dim = c(3, 2, 1))
d <- as.data.frame(as.table(x1))
d <- d[rep(seq_len(nrow(d)), d$Freq), ]
r <- mantelhaen.test(d$Var1, d$Var2, d$Var3)
add("g3x2x1_factor_form",
    "d <- as.data.frame(as.table(array(c(6, 2, 9, 14, 18, 7), dim = c(3, 2, 1)))); d <- d[rep(seq_len(nrow(d)), d$Freq), ]; mantelhaen.test(d$Var1, d$Var2, d$Var3)",
    c(3, 2, 1), v,
    list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value, method = r$method))

# ---- 2 x 2 x K: R's continuity correction applies only when |DELTA| >= 0.5; tiny p ----------------------
two <- list(
  m2x2x2_small_delta = list(dim = c(2, 2, 2), values = c(1, 1, 1, 1, 2, 1, 2, 2)),
  m2x2x2_tiny_p = list(dim = c(2, 2, 2), values = c(80, 10, 20, 90, 70, 15, 30, 85))
)
for (nm in names(two)) {
  g <- two[[nm]]
  call <- sprintf("mantelhaen.test(array(c(%s), dim = c(%s)))", paste(g$values, collapse = ", "),
                  paste(g$dim, collapse = ", "))
  r <- run(call)
  add(nm, call, g$dim, g$values,
      list(statistic = unname(r$statistic), p_value = r$p.value, odds_ratio = unname(r$estimate),
           ci_low = r$conf.int[1], ci_high = r$conf.int[2], method = r$method))
}

# ---- qr() rank (LINPACK dqrdc2, tol = 1e-7): the rank that makes qr.solve refuse "singular matrix" -------
ranks <- list(near_1e9 = c(1, 1, 1, 1 + 1e-9), near_1e5 = c(1, 1, 1, 1 + 1e-5), zero_first = c(0, 0, 0, 1),
              dependent_middle = c(2, 1, 0, 4, 2, 0, 1, 3, 5), full3 = c(4, -1, -1, -1, 4, -1, -1, -1, 4))
for (nm in names(ranks)) {
  v <- ranks[[nm]]
  p <- as.integer(round(sqrt(length(v))))
  call <- sprintf("qr(matrix(c(%s), %d))$rank", paste(format(v, digits = 17), collapse = ", "), p)
  add(paste0("qr_rank_", nm), call, c(p, p), v, list(rank = eval(parse(text = call))))
}

writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, na = "string", pretty = TRUE),
           "tests/python/stats/fixtures/stratified.json")
cat("wrote", length(out), "cases\n")
