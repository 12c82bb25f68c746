# Reference values for the exact Wilcoxon distributions (oncoduck.stats.distributions.pwilcox / psignrank) and
# wilcox.test's exact p-values at sizes up to R's exact limit (n < 50).
# Run from the repo root:  Rscript tests/python/stats/r/wilcox_exact.R
# Writes tests/python/stats/fixtures/wilcox_exact.json; every case records the exact R call.
suppressPackageStartupMessages(library(jsonlite))
out <- list()
add <- function(name, call, input, result) {
  out[[length(out) + 1]] <<- list(name = name, call = call, input = input, result = result)
}
for (mn in list(c(1, 2), c(2, 1), c(3, 7), c(10, 10), c(5, 40), c(23, 31), c(49, 49), c(49, 2))) {
  m <- mn[1]; n <- mn[2]
  for (q in unique(round(c(-1, 0, 1, m * n / 4, m * n / 2 - 1, m * n / 2, m * n / 2 + 1, 3 * m * n / 4, m * n - 1, m * n)))) {
    for (lower in c(TRUE, FALSE)) {
      call <- sprintf("pwilcox(%d, %d, %d, lower.tail = %s)", as.integer(q), as.integer(m), as.integer(n), lower)
      add("pwilcox", call, list(q = q, m = m, n = n, lower_tail = lower), list(p = eval(parse(text = call))))
    }
  }
}
for (n in c(1, 2, 5, 12, 30, 49)) {
  top <- n * (n + 1) / 2
  for (q in unique(round(c(-1, 0, 1, top / 4, top / 2 - 1, top / 2, top / 2 + 1, top - 1, top)))) {
    for (lower in c(TRUE, FALSE)) {
      call <- sprintf("psignrank(%d, %d, lower.tail = %s)", as.integer(q), as.integer(n), lower)
      add("psignrank", call, list(q = q, n = n, lower_tail = lower), list(p = eval(parse(text = call))))
    }
  }
}
set.seed(20261208)
for (sizes in list(c(2, 3), c(8, 13), c(25, 24), c(49, 49), c(45, 3))) {
  x <- round(rnorm(sizes[1], 0.4), 6); y <- round(rnorm(sizes[2]), 6)
  for (alt in c("two.sided", "less", "greater")) {
    call <- sprintf('wilcox.test(x, y, alternative = "%s", exact = TRUE)', alt)
    r <- eval(parse(text = call))
    add("ranksum_exact", call, list(x = x, y = y, alternative = alt),
        list(statistic = unname(r$statistic), p_value = r$p.value, method = r$method))
  }
}
for (n in c(3, 11, 30, 49)) {
  x <- round(rnorm(n, 0.3), 6); y <- round(rnorm(n), 6)
  for (alt in c("two.sided", "less", "greater")) {
    call <- sprintf('wilcox.test(x, y, paired = TRUE, alternative = "%s", exact = TRUE)', alt)
    r <- eval(parse(text = call))
    add("signrank_exact", call, list(x = x, y = y, alternative = alt),
        list(statistic = unname(r$statistic), p_value = r$p.value, method = r$method))
  }
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/python/stats/fixtures/wilcox_exact.json")
cat(R.version.string, "\n")
