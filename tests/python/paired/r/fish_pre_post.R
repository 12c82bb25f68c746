# Reference values for the li2024 HER2 FISH pre vs post treatment tests
# (oncoduck.stats.paired.fish_pre_post_tests -> stats.stat_her2_fish_pre_post_tests).
# Run from the repo root:  Rscript tests/python/paired/r/fish_pre_post.R
# Reads tests/python/paired/fixtures/li2024_fish_pre_post.csv: the rows of marts.fct_her2_fish_pre_post_treatment
# of the demo study demo_li2024_fish (written out from a build of the demo; tests/python/paired/test_fish_pre_post.py
# checks that a fresh build still gives these rows). Writes tests/python/paired/fixtures/li2024_fish_pre_post_htests.json;
# every case records the exact R call. Only the evaluable pairs (a heterogeneity call at both timepoints) are tested.
suppressPackageStartupMessages(library(jsonlite))
fish <- read.csv("tests/python/paired/fixtures/li2024_fish_pre_post.csv", stringsAsFactors = FALSE)
ev <- fish[fish$is_evaluable, ]
out <- list()
add <- function(name, call, result) {
  out[[length(out) + 1]] <<- list(name = name, call = call, result = result)
}
for (measure in c("fraction_amplified", "equitability_e")) {
  call <- sprintf("wilcox.test(ev$%s_post, ev$%s_pre, paired = TRUE)", measure, measure)
  r <- eval(parse(text = call))
  add(paste("signed_rank", measure, sep = "_"), call,
      list(n_pairs = nrow(ev), statistic = unname(r$statistic), p_value = r$p.value, method = r$method))
}
call <- paste0('mcnemar.test(factor(ev$her2_heterogeneity_pre == "heterogeneous", levels = c(TRUE, FALSE)), ',
               'factor(ev$her2_heterogeneity_post == "heterogeneous", levels = c(TRUE, FALSE)))')
r <- eval(parse(text = call))
tab <- table(ev$her2_heterogeneity_pre == "heterogeneous", ev$her2_heterogeneity_post == "heterogeneous")
add("mcnemar_heterogeneous", call,
    list(n_pairs = nrow(ev), statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value,
         method = r$method, n_both = tab["TRUE", "TRUE"], n_a_only = tab["TRUE", "FALSE"],
         n_b_only = tab["FALSE", "TRUE"], n_neither = tab["FALSE", "FALSE"]))
writeLines(toJSON(list(r_version = R.version.string, source = "tests/python/paired/fixtures/li2024_fish_pre_post.csv",
                       cases = out), digits = I(17), auto_unbox = TRUE, pretty = TRUE),
           "tests/python/paired/fixtures/li2024_fish_pre_post_htests.json")
cat("wrote", length(out), "cases\n")
