# Reference values for oncoduck.stats.survival.cox_zph (R survival 3.5-3).
# Run from the repo root:  Rscript tests/python/stats/r/cox_zph.R
# Writes tests/python/stats/fixtures/cox_zph.json; each case records the exact R call
# next to its input data and cox.zph(...)$table (rows = terms/columns + GLOBAL).
suppressPackageStartupMessages({library(jsonlite); library(survival)})
out <- list()

# hand-written data: tied event times, censoring tied with events, 3-level group
d <- data.frame(
  time  = c(5, 8, 8, 12, 12, 12, 15, 20, 22, 22, 25, 30, 31, 31, 40, 45, 50, 50, 61, 70,
            3, 6, 6, 9, 10, 14, 14, 18, 21, 24, 26, 26, 33, 35, 38, 44, 52, 52, 58, 66,
            7, 11, 16, 16, 19, 23, 27, 29, 34, 41),
  status = c(1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
             1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1,
             0, 1, 0, 0, 1, 0, 0, 1, 0, 0),
  grp = rep(c("A", "B", "C"), c(20, 20, 10)),
  age = c(61, 55, 70, 48, 66, 59, 72, 45, 63, 58, 51, 69, 74, 60, 47, 65, 53, 68, 57, 62,
          71, 64, 59, 66, 73, 52, 61, 68, 55, 60, 75, 49, 67, 63, 58, 70, 62, 56, 65, 69,
          50, 54, 46, 58, 62, 49, 57, 60, 53, 48),
  sex = rep(c("F", "M"), 25),
  stringsAsFactors = FALSE
)
# survival::lung, complete cases of the used columns, first 120 rows, status recoded 1/2 -> 0/1,
# ph.ecog 3 (one patient) dropped, ph.ecog as a factor (3 levels)
lung2 <- na.omit(survival::lung[, c("time", "status", "age", "sex", "ph.ecog", "wt.loss")])
lung2 <- lung2[lung2$ph.ecog < 3, ][1:120, ]
lung2$status <- lung2$status - 1
lung2$ph.ecog <- as.character(lung2$ph.ecog)
rownames(lung2) <- NULL
datasets <- list(d = d, lung2 = lung2)

add <- function(name, data, covs, transform = "km", terms = TRUE, global = TRUE) {
  dat <- datasets[[data]]
  f <- as.formula(paste("Surv(time, status) ~", paste(covs, collapse = " + ")))
  fit <- coxph(f, data = dat, ties = "efron")
  z <- cox.zph(fit, transform = transform, terms = terms, global = global)
  call <- sprintf('cox.zph(coxph(Surv(time, status) ~ %s, data = %s, ties = "efron"), transform = "%s", terms = %s, global = %s)$table',
                  paste(covs, collapse = " + "), data, transform, terms, global)
  tb <- z$table
  out[[length(out) + 1]] <<- list(
    name = name, call = call, data = data, covariates = as.list(covs), transform = transform,
    terms = terms, global = global,
    result = list(term = rownames(tb), chisq = unname(tb[, "chisq"]), df = unname(tb[, "df"]),
                  p = unname(tb[, "p"]), coef = unname(coef(fit))))
}

for (tr in c("km", "rank", "identity", "log")) {
  add(paste0("uni_age_", tr), "d", "age", tr)                          # univariable continuous
  add(paste0("uni_sex_", tr), "d", "sex", tr)                          # univariable binary, tied times
  add(paste0("grp_age_terms_", tr), "d", c("grp", "age"), tr)          # 3-level factor -> df 2
  add(paste0("grp_age_cols_", tr), "d", c("grp", "age"), tr, terms = FALSE)
  add(paste0("lung_", tr), "lung2", c("age", "sex", "ph.ecog", "wt.loss"), tr)
}
add("grp_age_sex_noglobal", "d", c("grp", "age", "sex"), "km", global = FALSE)
add("lung_ecog_cols", "lung2", c("ph.ecog", "age"), "km", terms = FALSE)

res <- list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
            data = list(d = as.list(d), lung2 = as.list(lung2)), cases = out)
writeLines(toJSON(res, digits = I(17), auto_unbox = TRUE, na = "string", pretty = TRUE),
           "tests/python/stats/fixtures/cox_zph.json")
cat("wrote", length(out), "cases\n")
