# Reference values for oncoduck.stats hypothesis tests.
# Run from the repo root:  Rscript tests/python/stats/r/htests.R
# Writes tests/python/stats/fixtures/htests.json; every case records the exact R call.
suppressPackageStartupMessages(library(jsonlite))
out <- list()
add <- function(name, call, input, result) {
  out[[length(out) + 1]] <<- list(name = name, call = call, input = input, result = result)
}
ev <- function(txt, env) eval(parse(text = txt), envir = env)

# ---- wilcox.test ----------------------------------------------------------
set.seed(11)
wx <- list(
  exact_noties = list(x = c(0.8, 1.9, 3.1, 4.4, 5.2), y = c(1.1, 2.7, 6.3, 7.5, 8.9, 9.4)),
  ties = list(x = c(1, 2, 2, 3, 5, 8), y = c(2, 3, 3, 4, 6, 9, 10)),
  large = list(x = round(rnorm(60, 0.3), 6), y = round(rnorm(55), 6))
)
for (nm in names(wx)) for (alt in c("two.sided", "less", "greater")) for (cor in c(TRUE, FALSE)) {
  e <- list2env(wx[[nm]])
  call <- sprintf('wilcox.test(x, y, alternative = "%s", correct = %s)', alt, cor)
  r <- suppressWarnings(ev(call, e))
  add(paste("ranksum", nm, alt, cor, sep = "_"), call,
      list(x = wx[[nm]]$x, y = wx[[nm]]$y, alternative = alt, correct = cor),
      list(statistic = unname(r$statistic), p_value = r$p.value, method = r$method))
}
px <- list(
  exact = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
               y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  zeros_ties = list(x = c(5, 3, 4, 6, 7, 2, 8, 5, 9, 4), y = c(5, 1, 2, 4, 5, 2, 6, 3, 6, 1)),
  large = list(x = round(rnorm(70, 0.2), 6), y = round(rnorm(70), 6))
)
for (nm in names(px)) for (alt in c("two.sided", "less", "greater")) for (cor in c(TRUE, FALSE)) {
  e <- list2env(px[[nm]])
  call <- sprintf('wilcox.test(x, y, paired = TRUE, alternative = "%s", correct = %s)', alt, cor)
  r <- suppressWarnings(ev(call, e))
  add(paste("signrank", nm, alt, cor, sep = "_"), call,
      list(x = px[[nm]]$x, y = px[[nm]]$y, alternative = alt, correct = cor),
      list(statistic = unname(r$statistic), p_value = r$p.value, method = r$method))
}

# ---- fisher.test 2x2: matrix(c(a, c, b, d), 2): rows group1/group2, cols altered/not
ft <- list(c(3, 1, 1, 3), c(10, 2, 3, 15), c(0, 5, 7, 3), c(6, 0, 2, 9), c(0, 10, 0, 12),
           c(1, 123, 11, 47), c(26, 98, 4, 54), c(0, 0, 5, 5), c(12, 5, 0, 0), c(40, 60, 25, 75),
           c(5, 0, 0, 5), c(2, 30, 9, 1))
for (tb in ft) for (alt in c("two.sided", "less", "greater")) for (cl in c(0.95, 0.9)) {
  a <- tb[1]; b <- tb[2]; c <- tb[3]; d <- tb[4]
  call <- sprintf('fisher.test(matrix(c(%d, %d, %d, %d), 2), alternative = "%s", conf.level = %s)',
                  a, c, b, d, alt, cl)
  r <- ev(call, globalenv())
  add(sprintf("fisher_%d_%d_%d_%d_%s_%s", a, b, c, d, alt, cl), call,
      list(a = a, b = b, c = c, d = d, alternative = alt, conf_level = cl),
      list(p_value = r$p.value, odds_ratio = unname(r$estimate),
           ci_low = r$conf.int[1], ci_high = r$conf.int[2]))
}

# ---- fisher.test r x c (exact network algorithm) ---------------------------
rc <- list(t2x4 = matrix(c(3, 10, 0, 12, 5, 6, 1, 20), 2),
           t3x2 = matrix(c(2, 7, 1, 9, 3, 12), 3),
           t2x6 = matrix(c(11, 33, 2, 19, 0, 21, 10, 9, 3, 36, 1, 2), 2),
           t3x3 = matrix(c(3, 1, 0, 2, 5, 1, 0, 2, 6), 3))
for (nm in names(rc)) {
  call <- sprintf("fisher.test(%s)", paste(deparse(rc[[nm]]), collapse = ""))
  r <- ev(call, globalenv())
  add(paste0("ffh_", nm), call, list(table = unname(split(rc[[nm]], row(rc[[nm]])))),
      list(p_value = r$p.value))
}

# ---- kruskal.test -----------------------------------------------------------
kv <- c(2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7, 4.0, 2.4, 2.8, 3.4, 3.7, 2.2, 2.0, 3.0, 2.7)
kg <- c("a", "a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c", "c", "c", "b")
r <- kruskal.test(kv, factor(kg))
add("kruskal_ties", "kruskal.test(values, factor(groups))", list(values = kv, groups = kg),
    list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value))

# ---- chisq.test ---------------------------------------------------------------
ct <- list(m2x2 = matrix(c(12, 5, 7, 9), 2), m2x2_small = matrix(c(3, 1, 1, 6), 2),
           m3x3 = matrix(c(20, 15, 10, 12, 18, 25, 8, 9, 30), 3), m2x4 = matrix(c(10, 30, 4, 40, 1, 20, 6, 28), 2))
for (nm in names(ct)) for (cor in c(TRUE, FALSE)) {
  call <- sprintf("chisq.test(%s, correct = %s)", paste(deparse(ct[[nm]]), collapse = ""), cor)
  r <- suppressWarnings(ev(call, globalenv()))
  add(paste("chisq", nm, cor, sep = "_"), call,
      list(table = unname(split(ct[[nm]], row(ct[[nm]]))), correct = cor),
      list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value,
           expected = unname(split(r$expected, row(r$expected)))))
}

# ---- mcnemar.test -------------------------------------------------------------
mt <- list(m2x2 = matrix(c(794, 86, 150, 570), 2), m2x2_small = matrix(c(10, 3, 9, 12), 2),
           m3x3 = matrix(c(20, 5, 3, 9, 15, 4, 2, 8, 11), 3))
for (nm in names(mt)) for (cor in c(TRUE, FALSE)) {
  call <- sprintf("mcnemar.test(%s, correct = %s)", paste(deparse(mt[[nm]]), collapse = ""), cor)
  r <- ev(call, globalenv())
  add(paste("mcnemar", nm, cor, sep = "_"), call,
      list(table = unname(split(mt[[nm]], row(mt[[nm]]))), correct = cor),
      list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value))
}

# ---- p.adjust BH with NA --------------------------------------------------------
pv <- c(0.01, 0.04, NA, 0.03, 0.2, 0.04, 0.5, NA, 1e-5, 0.049, 0.9)
add("bh_with_na", 'p.adjust(p, method = "BH")', list(p = pv), list(q = p.adjust(pv, method = "BH")))

# ---- cor.test ------------------------------------------------------------------
cx <- c(1.2, 2.3, 2.9, 4.1, 5.5, 6.0, 7.2, 8.8, 9.1, 10.4, 11.0, 12.3)
cy <- c(2.0, 2.0, 3.5, 3.1, 6.2, 5.0, 7.7, 7.0, 9.9, 8.8, 12.1, 11.5)
for (alt in c("two.sided", "less", "greater")) {
  r <- cor.test(cx, cy, method = "pearson", alternative = alt)
  add(paste0("pearson_", alt), sprintf('cor.test(x, y, method = "pearson", alternative = "%s")', alt),
      list(x = cx, y = cy, alternative = alt),
      list(statistic = unname(r$statistic), p_value = r$p.value, estimate = unname(r$estimate),
           ci_low = r$conf.int[1], ci_high = r$conf.int[2]))
  r <- suppressWarnings(cor.test(cx, cy, method = "spearman", alternative = alt))
  add(paste0("spearman_ties_", alt), sprintf('cor.test(x, y, method = "spearman", alternative = "%s")  # y has ties -> t approximation', alt),
      list(x = cx, y = cy, alternative = alt),
      list(statistic = unname(r$statistic), p_value = r$p.value, estimate = unname(r$estimate)))
}

writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, na = "string", pretty = TRUE),
           "tests/python/stats/fixtures/htests.json")
cat("wrote", length(out), "cases\n")
