# Reference values for the paired tests (oncoduck.stats.paired, wilcoxon_signed_rank, mcnemar).
# Run from the repo root:  Rscript tests/python/paired/r/paired.R
# Writes tests/python/paired/fixtures/paired_htests.json; every case records the exact R call.
# The TCGA case uses the mutation counts of the 6 MC3 BRCA patients with -01 and -06 samples as the
# warehouse computes them (fct_sample_pair_concordance; maftools nonsynonymous classes), copied below.
suppressPackageStartupMessages(library(jsonlite))
out <- list()
add <- function(name, call, input, result) {
  out[[length(out) + 1]] <<- list(name = name, call = call, input = input, result = result)
}
ev <- function(txt, env) eval(parse(text = txt), envir = env)

# ---- wilcox.test(paired = TRUE): the cases htests.R does not cover ----------------------------
px <- list(
  ties_no_zeros = list(x = c(12, 15, 9, 20, 11, 14, 18, 7), y = c(10, 12, 9.5, 16, 8, 11, 15, 8)),
  zeros_no_ties = list(x = c(3.1, 4.0, 5.2, 6.8, 2.2, 7.7, 1.5), y = c(3.1, 2.9, 5.9, 4.0, 2.2, 3.0, 1.1)),
  counts_ties_zeros = list(x = c(29, 63, 41, 50, 33, 33, 60, 12, 22, 40, 35, 18),
                           y = c(39, 60, 60, 58, 33, 45, 71, 12, 30, 55, 43, 22)),
  exact_small = list(x = c(1.8, 2.9, 0.4, 5.5, 3.3), y = c(1.0, 1.1, 0.9, 2.0, 0.3)),
  all_zero = list(x = c(1, 2, 3), y = c(1, 2, 3))
)
for (nm in names(px)) for (alt in c("two.sided", "greater")) for (cor in c(TRUE, FALSE)) for (ex in c("NULL", "TRUE", "FALSE")) {
  e <- list2env(px[[nm]])
  call <- sprintf('wilcox.test(x, y, paired = TRUE, alternative = "%s", correct = %s, exact = %s)', alt, cor, ex)
  r <- tryCatch(suppressWarnings(ev(call, e)), error = function(err) NULL)
  res <- if (is.null(r)) list(statistic = "NA", p_value = "NA", method = "error") else
    list(statistic = unname(r$statistic), p_value = r$p.value, method = r$method)
  add(paste("signrank", nm, alt, cor, ex, sep = "_"), call,
      list(x = px[[nm]]$x, y = px[[nm]]$y, alternative = alt, correct = cor, exact = ex), res)
}

# ---- mcnemar.test: with and without continuity correction --------------------------------------
# matrix(c(both, b_only, a_only, neither), 2): rows = side a mutated yes/no, cols = side b mutated yes/no
mt <- list(discordant_4_0 = matrix(c(0, 4, 0, 24), 2), discordant_9_3 = matrix(c(5, 9, 3, 11), 2),
           symmetric_5_5 = matrix(c(2, 5, 5, 16), 2), one_discordant = matrix(c(3, 1, 0, 24), 2),
           large = matrix(c(120, 35, 12, 300), 2), none_discordant = matrix(c(3, 0, 0, 25), 2))
for (nm in names(mt)) for (cor in c(TRUE, FALSE)) {
  call <- sprintf("mcnemar.test(%s, correct = %s)", paste(deparse(mt[[nm]]), collapse = ""), cor)
  r <- ev(call, globalenv())
  add(paste("mcnemar", nm, cor, sep = "_"), call,
      list(table = unname(split(mt[[nm]], row(mt[[nm]]))), correct = cor),
      list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value))
}

# ---- chisq.test 2 x 3 (low-level CNA distribution) ----------------------------------------------
ct <- list(cna_2x3 = matrix(c(236, 276, 131, 274, 35122, 34918), 2), cna_small = matrix(c(3, 0, 1, 4, 20, 22), 2))
for (nm in names(ct)) {
  call <- sprintf("chisq.test(%s)", paste(deparse(ct[[nm]]), collapse = ""))
  r <- suppressWarnings(ev(call, globalenv()))
  add(paste("chisq", nm, sep = "_"), call, list(table = unname(split(ct[[nm]], row(ct[[nm]])))),
      list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value))
}

# ---- TCGA BRCA MC3: 6 patients with -01 (primary) and -06 (metastasis) samples ------------------
tcga <- read.csv("tests/python/paired/fixtures/tcga_brca_mc3_pairs.csv", stringsAsFactors = FALSE)
for (alt in c("two.sided", "greater")) {
  call <- sprintf('wilcox.test(tcga$n_mutations_b, tcga$n_mutations_a, paired = TRUE, alternative = "%s")', alt)
  r <- suppressWarnings(ev(call, globalenv()))
  add(paste("tcga_brca_mc3_n_mutations", alt, sep = "_"), call,
      list(patient_id = tcga$patient_id, x = tcga$n_mutations_b, y = tcga$n_mutations_a, alternative = alt),
      list(statistic = unname(r$statistic), p_value = r$p.value, method = r$method))
}

writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, na = "string", pretty = TRUE),
           "tests/python/paired/fixtures/paired_htests.json")
cat("wrote", length(out), "cases\n")
