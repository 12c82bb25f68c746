# Reference values for oncoduck.stats.survival / logistic.
# Run from the repo root:  Rscript tests/python/stats/r/survival.R
# Writes tests/python/stats/fixtures/survival.json (each case records the R call).
suppressPackageStartupMessages({library(jsonlite); library(survival)})
out <- list()
add <- function(name, call, input, result) out[[length(out) + 1]] <<- list(name = name, call = call, input = input, result = result)

# data set with tied times, censoring, 3 groups and covariates
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
  sex = rep(c("F", "M"), 25)
)
inp <- list(time = d$time, status = d$status, grp = d$grp, age = d$age, sex = d$sex)

km <- function(f) lapply(seq_along(f$strata %||% 1), function(i) {
  s <- if (is.null(f$strata)) f else f[i]
  list(stratum = if (is.null(f$strata)) "all" else names(f$strata)[i],
       time = s$time, n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
       surv = s$surv, std_err = s$std.err, lower = s$lower, upper = s$upper)
})
`%||%` <- function(a, b) if (is.null(a)) b else a
med <- function(f) { t <- summary(f)$table; if (is.null(dim(t))) t <- t(t)
  list(median = unname(t[, "median"]), lower = unname(t[, "0.95LCL"]), upper = unname(t[, "0.95UCL"])) }

f <- survfit(Surv(time, status) ~ grp, data = d)
add("km_3groups", "survfit(Surv(time, status) ~ grp, data = d)", inp, list(curves = km(f), median = med(f)))
for (ct in c("log-log", "plain")) {
  f <- survfit(Surv(time, status) ~ grp, data = d, conf.type = ct)
  add(paste0("km_3groups_", ct), sprintf('survfit(Surv(time, status) ~ grp, data = d, conf.type = "%s")', ct),
      inp, list(curves = km(f), median = med(f)))
}
# median exactly 0.5 over an interval (midpoint rule), and median/upper undefined
d2 <- list(time = c(1, 2, 3, 4, 5, 6, 7, 8), status = c(1, 1, 1, 1, 0, 1, 1, 0))
f <- survfit(Surv(time, status) ~ 1, data = d2)
add("km_midpoint", "survfit(Surv(time, status) ~ 1)", d2, list(curves = km(f), median = med(f)))
d3 <- list(time = c(2, 3, 5, 7, 9, 11, 13, 15, 17, 19), status = c(1, 0, 1, 0, 0, 1, 0, 0, 0, 0))
f <- survfit(Surv(time, status) ~ 1, data = d3)
add("km_median_undefined", "survfit(Surv(time, status) ~ 1)", d3, list(curves = km(f), median = med(f)))
d4 <- list(time = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), status = c(1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0))
f <- survfit(Surv(time, status) ~ 1, data = d4)
add("km_upper_na", "survfit(Surv(time, status) ~ 1)", d4, list(curves = km(f), median = med(f)))

# survdiff
for (sub in c("AB", "ABC")) {
  dd <- if (sub == "AB") d[d$grp != "C", ] else d
  s <- survdiff(Surv(time, status) ~ grp, data = dd)
  add(paste0("survdiff_", sub), sprintf('survdiff(Surv(time, status) ~ grp, data = d%s)', if (sub == "AB") '[d$grp != "C", ]' else ""),
      inp, list(subset = sub, chisq = s$chisq, df = length(s$n) - 1, p_value = pchisq(s$chisq, length(s$n) - 1, lower.tail = FALSE),
                observed = unname(s$obs), expected = unname(s$exp), n = unname(as.vector(s$n))))
}

# coxph (Efron)
# note: summary.coxph rounds the Wald statistic, so fit$wald.test is used
cx <- function(fit) { s <- summary(fit)
  list(term = rownames(s$coefficients), coef = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))),
       p = unname(s$coefficients[, "Pr(>|z|)"]), hr_low = unname(s$conf.int[, "lower .95"]),
       hr_high = unname(s$conf.int[, "upper .95"]), loglik = fit$loglik,
       lr = unname(s$logtest["test"]), wald = unname(fit$wald.test), score = unname(s$sctest["test"]),
       lr_p = unname(s$logtest["pvalue"]), wald_p = pchisq(unname(fit$wald.test), length(coef(fit)), lower.tail = FALSE), score_p = unname(s$sctest["pvalue"])) }
add("cox_uni_grp", "coxph(Surv(time, status) ~ grp, data = d)", inp, cx(coxph(Surv(time, status) ~ grp, data = d)))
add("cox_uni_age", "coxph(Surv(time, status) ~ age, data = d)", inp, cx(coxph(Surv(time, status) ~ age, data = d)))
add("cox_multi", "coxph(Surv(time, status) ~ grp + age + sex, data = d)", inp,
    cx(coxph(Surv(time, status) ~ grp + age + sex, data = d)))

# glm binomial
g <- glm(status ~ age + sex, family = binomial, data = d)
add("glm_binomial", "glm(status ~ age + sex, family = binomial, data = d); confint.default(g)", inp,
    list(term = names(coef(g)), coef = unname(coef(g)), se = unname(sqrt(diag(vcov(g)))),
         p = unname(summary(g)$coefficients[, 4]),
         ci_low = unname(confint.default(g)[, 1]), ci_high = unname(confint.default(g)[, 2])))

writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, na = "string", pretty = TRUE),
           "tests/python/stats/fixtures/survival.json")
cat("wrote", length(out), "cases\n")
