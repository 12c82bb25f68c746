# Reference values for oncoduck.stats.models (Cox, stratified log-rank, cox.zph with strata, logistic, linear).
# Run from the repo root:  Rscript tests/python/stats/r/models.R
# Writes the data sets as CSV (tests/python/stats/fixtures/{veteran,lung,infert,iris}.csv) and
# tests/python/stats/fixtures/models.json: each case records the exact R call that produced it.
# Categorical covariates are character vectors whose factor levels are sorted in C-locale order
# (sort(method = "radix")), the default oncoduck states; a declared reference is relevel(...).
suppressPackageStartupMessages({library(jsonlite); library(survival)})
fix <- "tests/python/stats/fixtures"
out <- list()
add <- function(name, call, data, result) out[[length(out) + 1]] <<- list(name = name, call = call, data = data, result = result)
fct <- function(x, ref = NULL) { f <- factor(x, levels = sort(unique(x[!is.na(x)]), method = "radix"))
  if (is.null(ref)) f else relevel(f, ref) }

# survival::veteran (137 patients, no NA): celltype as text, trt as text (standard/test), prior 0/10
veteran <- survival::veteran
veteran$celltype <- as.character(veteran$celltype)
veteran$trt <- ifelse(veteran$trt == 1, "standard", "test")
write.csv(veteran, file.path(fix, "veteran.csv"), row.names = FALSE, na = "")
# survival::lung (228 patients, NA in several columns): status recoded 1/2 -> 0/1, sex as text
lung <- survival::lung
lung$status <- lung$status - 1
lung$sex <- ifelse(lung$sex == 1, "male", "female")
write.csv(lung, file.path(fix, "lung.csv"), row.names = FALSE, na = "")
# datasets::infert (case-control, binary outcome `case`), education as text
infert <- datasets::infert
infert$education <- as.character(infert$education)
write.csv(infert[, c("education", "age", "parity", "induced", "case", "spontaneous", "stratum")],
          file.path(fix, "infert.csv"), row.names = FALSE, na = "")
# datasets::iris, Species as text
iris <- datasets::iris
iris$Species <- as.character(iris$Species)
write.csv(iris, file.path(fix, "iris.csv"), row.names = FALSE, na = "")

cx <- function(fit) { s <- summary(fit)
  list(term = names(coef(fit)), coef = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))),
       z = unname(s$coefficients[, "z"]), p = unname(s$coefficients[, "Pr(>|z|)"]),
       hr = unname(exp(coef(fit))), hr_low = unname(s$conf.int[, "lower .95"]),
       hr_high = unname(s$conf.int[, "upper .95"]), n = fit$n, nevent = fit$nevent, loglik = fit$loglik, iter = fit$iter) }
zph <- function(fit) { t <- cox.zph(fit, transform = "km", terms = TRUE)$table
  list(term = rownames(t), chisq = unname(t[, "chisq"]), df = unname(t[, "df"]), p = unname(t[, "p"])) }

# multivariable Cox: three covariates (one categorical) and one stratum, Efron ties
v <- transform(veteran, celltype = fct(celltype))
f <- coxph(Surv(time, status) ~ age + karno + celltype + strata(trt), data = v, ties = "efron")
add("cox_veteran_strata", 'coxph(Surv(time, status) ~ age + karno + celltype + strata(trt), data = veteran, ties = "efron")',
    "veteran", c(cx(f), list(zph = zph(f))))
v <- transform(veteran, celltype = fct(celltype, "squamous"))
f <- coxph(Surv(time, status) ~ age + karno + celltype + strata(trt), data = v, ties = "efron")
add("cox_veteran_strata_ref_squamous",
    'coxph(Surv(time, status) ~ age + karno + relevel(celltype, "squamous") + strata(trt), data = veteran, ties = "efron")',
    "veteran", c(cx(f), list(zph = zph(f))))
l <- transform(lung, sex = fct(sex))
f <- coxph(Surv(time, status) ~ age + wt.loss + sex + strata(ph.ecog), data = l, ties = "efron")
add("cox_lung_strata", 'coxph(Surv(time, status) ~ age + wt.loss + sex + strata(ph.ecog), data = lung, ties = "efron") (NA rows dropped)',
    "lung", c(cx(f), list(zph = zph(f))))
f <- coxph(Surv(time, status) ~ trt + age + celltype, data = transform(veteran, trt = fct(trt), celltype = fct(celltype)), ties = "efron")
add("cox_veteran_unstratified", 'coxph(Surv(time, status) ~ trt + age + celltype, data = veteran, ties = "efron")',
    "veteran", c(cx(f), list(zph = zph(f))))

# log-rank, plain and stratified
# (with strata, obs and exp are groups x strata matrices: summed over strata as print.survdiff does)
sd <- function(s) { o <- if (is.matrix(s$obs)) rowSums(s$obs) else s$obs
  e <- if (is.matrix(s$exp)) rowSums(s$exp) else s$exp
  list(levels = sub("^[^=]*=", "", names(s$n)), chisq = s$chisq, df = sum(e > 0) - 1, p = s$pvalue,
       observed = unname(o), expected = unname(e), n = unname(as.vector(s$n))) }
add("survdiff_veteran_celltype", "survdiff(Surv(time, status) ~ celltype, data = veteran)", "veteran",
    c(list(group = "celltype", strata = list()), sd(survdiff(Surv(time, status) ~ celltype, data = veteran))))
add("survdiff_veteran_celltype_strata_trt", "survdiff(Surv(time, status) ~ celltype + strata(trt), data = veteran)", "veteran",
    c(list(group = "celltype", strata = list("trt")), sd(survdiff(Surv(time, status) ~ celltype + strata(trt), data = veteran))))
add("survdiff_veteran_trt_strata_celltype_prior",
    "survdiff(Surv(time, status) ~ trt + strata(celltype, prior), data = veteran)", "veteran",
    c(list(group = "trt", strata = list("celltype", "prior")),
      sd(survdiff(Surv(time, status) ~ trt + strata(celltype, prior), data = veteran))))
add("survdiff_lung_sex_strata_ecog", "survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung) (NA stratum dropped)",
    "lung", c(list(group = "sex", strata = list("ph.ecog")), sd(survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung))))

# logistic regression: glm binomial, Wald CIs (confint.default)
gl <- function(g) { s <- summary(g)$coefficients; ci <- confint.default(g)
  list(term = rownames(s), coef = unname(s[, 1]), se = unname(s[, 2]), z = unname(s[, 3]), p = unname(s[, 4]),
       ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]), n = nobs(g), events = sum(g$y)) }
g <- glm(case ~ age + parity + education + spontaneous + induced, family = binomial,
         data = transform(infert, education = fct(education)))
add("glm_infert", "glm(case ~ age + parity + education + spontaneous + induced, family = binomial, data = infert); confint.default(g)",
    "infert", gl(g))
g <- glm(case ~ age + parity + education + spontaneous + induced, family = binomial,
         data = transform(infert, education = fct(education, "6-11yrs")))
add("glm_infert_ref_6_11", 'glm(case ~ age + parity + relevel(education, "6-11yrs") + spontaneous + induced, family = binomial, data = infert)',
    "infert", gl(g))

# linear models: lm, t-based CIs (confint)
li <- function(m) { s <- summary(m)$coefficients; ci <- confint(m)
  list(term = rownames(s), coef = unname(s[, 1]), se = unname(s[, 2]), t = unname(s[, 3]), p = unname(s[, 4]),
       ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]), n = nobs(m), df_residual = m$df.residual) }
m <- lm(Sepal.Length ~ Species + Petal.Width + Sepal.Width, data = transform(iris, Species = fct(Species)))
add("lm_iris", "lm(Sepal.Length ~ Species + Petal.Width + Sepal.Width, data = iris); confint(m)", "iris", li(m))
m <- lm(Sepal.Length ~ Species + Petal.Width + Sepal.Width, data = transform(iris, Species = fct(Species, "virginica")))
add("lm_iris_ref_virginica", 'lm(Sepal.Length ~ relevel(Species, "virginica") + Petal.Width + Sepal.Width, data = iris)', "iris", li(m))
m <- lm(wt.loss ~ sex + age + ph.karno, data = transform(lung, sex = fct(sex)))
add("lm_lung_na", "lm(wt.loss ~ sex + age + ph.karno, data = lung) (NA rows dropped)", "lung", li(m))

res <- list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")), cases = out)
writeLines(toJSON(res, digits = I(17), auto_unbox = TRUE, na = "string", pretty = TRUE), file.path(fix, "models.json"))
cat("wrote", length(out), "cases\n")
