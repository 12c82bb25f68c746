# maftools on the benchmark cohort, for a side-by-side run against
#   python benchmarks/run_build_benchmark.py --portion maftools --samples 10000 --variants-per-sample 100
# (same MAF, same clinical groups: Metastasis vs Primary, i.e. the comparison metastasis_vs_primary).
#
#   /usr/bin/time -v Rscript benchmarks/maftools_side_by_side.R \
#       benchmarks/work/bench_demo_panel_520_10000x100
#
# Wall time: the "Elapsed (wall clock)" line; peak memory: "Maximum resident set size". maftools
# (Bioconductor) needs CRAN/Bioconductor, which this project's machines cannot reach: the issue's
# figures for this cohort (read.maf 7.5-10 s; read + tmb + comparison 22-23 s; 640 MB peak) were
# measured elsewhere with this sequence of calls.
suppressPackageStartupMessages(library(maftools))

args <- commandArgs(trailingOnly = TRUE)
study <- if (length(args) > 0) args[1] else "benchmarks/work/bench_demo_panel_520_10000x100"

# cBioPortal clinical files: four '#' header lines, then a tab-separated table
sample_clinical <- read.delim(file.path(study, "data_clinical_sample.txt"), comment.char = "#",
                              stringsAsFactors = FALSE)
clinical <- data.frame(Tumor_Sample_Barcode = sample_clinical$SAMPLE_ID,
                       SAMPLE_TYPE = sample_clinical$SAMPLE_TYPE)

t_read <- system.time(maf <- read.maf(file.path(study, "data_mutations.txt"), clinicalData = clinical,
                                      verbose = FALSE))
# coding size of demo_panel_520 (seed assays.csv coding_mb); maftools' default is 50 Mb
t_tmb <- system.time(burden <- tmb(maf, captureSize = 1.003, logScale = FALSE))
t_genes <- system.time(genes <- getGeneSummary(maf))
t_compare <- system.time({
  metastasis <- subsetMaf(maf, clinQuery = "SAMPLE_TYPE == 'Metastasis'")
  primary <- subsetMaf(maf, clinQuery = "SAMPLE_TYPE == 'Primary'")
  comparison <- mafCompare(m1 = metastasis, m2 = primary, m1Name = "metastasis", m2Name = "primary",
                           minMut = 5)
})
cat(sprintf("read.maf %.2f s, tmb %.2f s, getGeneSummary %.2f s, mafCompare (with subsetMaf) %.2f s\n",
            t_read[["elapsed"]], t_tmb[["elapsed"]], t_genes[["elapsed"]], t_compare[["elapsed"]]))
cat(sprintf("samples %d, genes %d, genes compared %d\n", nrow(burden), nrow(genes),
            nrow(comparison$results)))
