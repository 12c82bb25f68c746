"""The declared models of a comparison (oncoduck.stats.declared): reference group, covariates, reference
levels, strata and outcome honoured by survival_tests (Cox, stratified log-rank, cox.zph), logistic_by_group
(response) and linear_models; and the `response` crash on a study without pCR (issue 19), which failed before
the fix with "ValueError: zero-size array to reduction operation maximum which has no identity" raised by
statsmodels' add_constant on the empty design of python/oncoduck/stats/logistic.py."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from oncoduck.stats.declared import (ENRICHMENT_COLUMNS, MODEL_TABLE_COLUMNS, NMF_ASSOCIATION_COLUMNS, NUMERIC_COLUMNS,
                                     PAIRED_GROUP_COLUMNS, SURVIVAL_COLUMNS, comparison_members, linear_inputs,
                                     linear_models, one_sample_per_patient, nmf_association, no_model_rows,
                                     logistic_by_group, member_attributes, model_attribute_names, paired_group_tests,
                                     response_outcomes, response_rates, signature_tests, survival_tests,
                                     survival_times, undeclared, with_member_data)
from oncoduck.stats.tidy import no_rows
from oncoduck.stats.models import cox_model
from oncoduck.stats.survival import cox_zph, logrank

from stats_rhelp import close

N = 60


def _comparisons(analyses="survival;response;linear", **models) -> pd.DataFrame:
    """landing_comparisons rows of one comparison: TP53 mutant vs wild type (groups in that declared order)."""
    base = {"study_id": "s", "comparison": "tp53", "analyses": analyses, "alternative": "two.sided",
            "reference_group": "mutant", "reference_declared": False, "covariates": None, "reference_levels": None,
            "stratify_by": None, "outcome": None}
    base.update(models)
    return pd.DataFrame([{**base, "group_label": "mutant", "group_order": 1},
                         {**base, "group_label": "wildtype", "group_order": 2}])


def _cohort(seed: int = 11):
    rng = np.random.default_rng(seed)
    patients = [f"P{i:03d}" for i in range(N)]
    mutant = rng.random(N) < 0.4
    members = pd.DataFrame({"study_id": "s", "comparison": "tp53", "unit": "patient", "sample_study_id": "s",
                            "patient_id": patients,
                            "sample_id": [f"{p}-T" for p in patients], "group_label": np.where(mutant, "mutant", "wildtype"),
                            "group_order": np.where(mutant, 1, 2), "patient_sample_rank": 1})
    age = rng.normal(58, 10, N).round()
    stage = rng.choice(["I", "II", "III"], N)
    hr = rng.choice(["positive", "negative"], N)
    time = rng.exponential(30, N) * np.exp(-1.5 * mutant + 0.02 * (age - 58))
    survival = pd.DataFrame({"study_id": "s", "patient_id": patients, "endpoint": "OS", "time_months": time,
                             "event": (rng.random(N) < 0.7).astype(float)})
    rcb = 1.5 + 0.8 * mutant + 0.01 * age + rng.normal(0, 0.5, N)
    attributes = pd.concat([
        pd.DataFrame({"level": "patient", "patient_id": patients, "sample_id": None, "attribute": "AGE",
                      "value_text": [str(int(a)) for a in age]}),
        pd.DataFrame({"level": "patient", "patient_id": patients, "sample_id": None, "attribute": "STAGE",
                      "value_text": stage}),
        pd.DataFrame({"level": "patient", "patient_id": patients, "sample_id": None, "attribute": "HR_STATUS",
                      "value_text": hr}),
        pd.DataFrame({"level": "patient", "patient_id": patients, "sample_id": None, "attribute": "RCB_SCORE",
                      "value_text": [f"{v:.3f}" for v in rcb]}),
        pd.DataFrame({"level": "patient", "patient_id": patients, "sample_id": None, "attribute": "PCR_GIVEN",
                      "value_text": np.where(rcb < 2.0, "Yes", "No")}),
    ], ignore_index=True).assign(study_id="s")
    response = pd.DataFrame({"study_id": "s", "patient_id": patients, "pcr": (rcb < 2.0).astype(float)})
    return members, survival, attributes, response


def test_logistic_by_group_without_any_pcr_value_gives_reason_rows():
    """What stat_logistic_response passes for a study without a pCR attribute (every pcr missing), through the
    call it made before declarations existed. Failed before the fix: ValueError zero-size array."""
    outcomes = pd.DataFrame({"study_id": "s", "comparison": "c", "group_label": ["a", "a", "b", "b"],
                             "group_order": [1, 1, 2, 2], "pcr": [np.nan] * 4})
    out = logistic_by_group(outcomes, "pcr")
    assert len(out) == 2 and out["reason"].notna().all()
    assert out["p_value"].isna().all() if "p_value" in out else out["p"].isna().all()


def test_response_without_pcr_gives_reason_rows_not_an_error():
    """The same through response_outcomes and the declarations: typed rows naming the reference and the reason."""
    members, _, _, response = _cohort()
    comparisons = _comparisons(analyses="response")
    outcomes = response_outcomes(comparisons, members, response.assign(pcr=np.nan))
    out = logistic_by_group(outcomes, "pcr", comparisons)
    assert list(out.columns) == MODEL_TABLE_COLUMNS
    assert list(out["term"]) == ["(Intercept)", "group"]
    assert out["estimate"].isna().all() and out["reason"].str.startswith("no outcome values").all()
    assert (out["reference_group"] == "mutant").all()


def test_each_patient_once_is_its_representative_sample_not_its_first_sample_id():
    """One rule for a patient's representative sample (issue 17): int_comparison_members ranks a patient's samples by
    sample type (primary first) then id (patient_sample_rank); survival and response take rank 1, so a patient with
    a metastasis 'P1-A' and a primary 'P1-B' in a sample-unit comparison counts in the primary's group."""
    members = pd.DataFrame({"study_id": "s", "comparison": "c", "unit": "sample", "sample_study_id": "s",
                            "patient_id": ["P1", "P1", "P2"], "sample_id": ["P1-A", "P1-B", "P2-A"],
                            "sample_type": ["metastasis", "primary", "metastasis"],
                            "group_label": ["metastasis", "primary", "metastasis"], "group_order": [2, 1, 2],
                            "patient_sample_rank": [2, 1, 1]})
    comparisons = pd.DataFrame({"study_id": ["s"], "comparison": ["c"], "analyses": ["survival"]})
    chosen = comparison_members(comparisons, members, "survival", one_per_patient=True)
    assert chosen[["patient_id", "sample_id", "group_label"]].values.tolist() == [
        ["P1", "P1-B", "primary"], ["P2", "P2-A", "metastasis"]]
    assert one_sample_per_patient(members)["sample_id"].tolist() == ["P1-B", "P2-A"]


def test_member_attributes_sample_value_wins_over_the_patient_value():
    members = pd.DataFrame({"study_id": "s", "comparison": "c", "sample_study_id": "s", "patient_id": ["P1", "P1", "P2"],
                            "sample_id": ["P1-T1", "P1-T2", "P2-T1"]})
    attributes = pd.DataFrame({"study_id": "s", "level": ["patient", "sample", "patient"],
                               "patient_id": ["P1", "P1", "P2"], "sample_id": [None, "P1-T2", None],
                               "attribute": "ER_STATUS", "value_text": ["Positive", "Negative", None]})
    out = member_attributes(members, attributes, ["ER_STATUS", "AGE"])
    assert out["ER_STATUS"].iloc[:2].tolist() == ["Positive", "Negative"] and pd.isna(out["ER_STATUS"].iloc[2])
    assert out["AGE"].isna().all()


def test_survival_cox_names_its_reference_and_a_declared_reference_inverts_the_hazard_ratio():
    members, survival, _, _ = _cohort()
    default = survival_tests(survival_times(_comparisons(), members, survival), _comparisons())
    declared = survival_tests(survival_times(_comparisons(), members, survival),
                              _comparisons(reference_group="wildtype", reference_declared=True))
    assert list(default.columns) == SURVIVAL_COLUMNS
    a = default[default["test"] == "cox"].iloc[0]
    b = declared[declared["test"] == "cox"].iloc[0]
    assert (a["group_label"], a["reference_level"], a["reference_declared"]) == ("wildtype", "mutant", False)
    assert (b["group_label"], b["reference_level"], b["reference_declared"]) == ("mutant", "wildtype", True)
    close(b["estimate"], 1 / a["estimate"], rtol=1e-9)
    close([b["ci_low"], b["ci_high"]], [1 / a["ci_high"], 1 / a["ci_low"]], rtol=1e-9)
    close(b["p_value"], a["p_value"], rtol=1e-9)
    assert b["estimate"] > 1  # mutants die sooner: mutant vs wild type > 1
    assert (declared["reference_group"] == "wildtype").all() and declared["reference_declared"].all()
    assert (default["reference_group"] == "mutant").all() and not default["reference_declared"].any()


def test_survival_honours_covariates_reference_levels_and_strata():
    members, survival, attributes, _ = _cohort()
    comparisons = _comparisons(reference_group="wildtype", reference_declared=True, covariates="AGE;STAGE",
                               reference_levels=json.dumps({"STAGE": "II"}), stratify_by="HR_STATUS")
    assert model_attribute_names(comparisons, "survival") == ["AGE", "HR_STATUS", "STAGE"]
    times = survival_times(comparisons, members, survival, attributes)
    out = survival_tests(times, comparisons)
    cox = out[out["test"] == "cox"]
    assert list(zip(cox["term"], cox["level"].fillna("-"), cox["reference_level"].fillna("-"))) == [
        ("group", "mutant", "wildtype"), ("AGE", "-", "-"), ("STAGE", "I", "II"), ("STAGE", "III", "II")]
    assert set(cox["formula"]) == {"Surv(time_months, event) ~ group + AGE + STAGE + strata(HR_STATUS)"}
    # the same model fitted directly (AGE numeric: every value is a number)
    frame = times.assign(group=pd.Categorical(times["group_label"], ["mutant", "wildtype"]),
                         AGE=pd.to_numeric(times["AGE"]))
    direct = cox_model(frame, "time_months", "event", ["group", "AGE", "STAGE"],
                       {"group": "wildtype", "STAGE": "II"}, ["HR_STATUS"])
    close(cox["estimate"].to_numpy(), direct["exp_estimate"].to_numpy(), rtol=1e-12)
    close(cox["std_error"].to_numpy(), direct["std_error"].to_numpy(), rtol=1e-12)
    stratified = out[out["test"] == "stratified_logrank"].iloc[0]
    expected = logrank(times["time_months"], times["event"], times["group_label"], times["HR_STATUS"])
    close([stratified["statistic"], stratified["p_value"]], [expected.chisq, expected.p_value], rtol=1e-12)
    assert stratified["formula"].endswith("strata(HR_STATUS)")
    checks = out[out["test"] == "ph_check"]
    assert list(checks["term"]) == ["group", "AGE", "STAGE", "GLOBAL"]
    zph = cox_zph(frame, "time_months", "event", ["group", "AGE", "STAGE"], {"group": "wildtype", "STAGE": "II"},
                  strata=["HR_STATUS"])
    close(checks["statistic"].to_numpy(), zph["chisq"].to_numpy(), rtol=1e-12)
    assert out.loc[out["test"] == "logrank", "formula"].iloc[0] == "Surv(time_months, event) ~ group"


def test_missing_covariate_values_leave_the_model_not_the_km_rows():
    members, survival, attributes, _ = _cohort()
    attributes = attributes[~((attributes["attribute"] == "AGE") & attributes["patient_id"].isin(["P000", "P001"]))]
    comparisons = _comparisons(covariates="AGE")
    out = survival_tests(survival_times(comparisons, members, survival, attributes), comparisons)
    assert out.loc[out["test"] == "km_median", "n"].sum() == N
    assert (out.loc[out["test"] == "cox", "n"] == N - 2).all()


def test_logistic_honours_reference_covariates_and_a_declared_outcome():
    members, _, attributes, response = _cohort()
    comparisons = _comparisons(analyses="response", reference_group="wildtype", reference_declared=True,
                               covariates="AGE", outcome="PCR_GIVEN")
    out = logistic_by_group(response_outcomes(comparisons, members, response, attributes), "pcr", comparisons)
    assert list(out["term"]) == ["(Intercept)", "group", "AGE"]
    assert set(out["outcome"]) == {"PCR_GIVEN"} and set(out["outcome_level"]) == {"Yes"}
    assert out.loc[out["term"] == "group", "reference_level"].iloc[0] == "wildtype"
    assert out["formula"].iloc[0] == "PCR_GIVEN ~ group + AGE"
    # the default outcome (fct_response pcr, 0/1) is the same data here
    default = logistic_by_group(response_outcomes(comparisons.assign(outcome=None), members, response, attributes),
                                "pcr", comparisons.assign(outcome=None))
    close(default["estimate"].to_numpy(), out["estimate"].to_numpy(), rtol=1e-12)
    assert set(default["outcome"]) == {"pcr"}


def test_linear_model_of_a_declared_outcome():
    members, _, attributes, _ = _cohort()
    comparisons = _comparisons(analyses="linear", outcome="RCB_SCORE")
    out = linear_models(linear_inputs(comparisons, members, attributes), comparisons)
    assert list(out.columns) == MODEL_TABLE_COLUMNS
    group = out[out["term"] == "group"].iloc[0]
    assert (group["level"], group["reference_level"]) == ("wildtype", "mutant")
    data = linear_inputs(comparisons, members, attributes)
    y = pd.to_numeric(data["RCB_SCORE"])
    means = y.groupby(data["group_label"]).mean()
    close(group["estimate"], means["wildtype"] - means["mutant"], rtol=1e-12)  # lm(y ~ group): difference of means
    assert group["n"] == N and out["method"].iloc[0].startswith("linear model")


@pytest.mark.parametrize("analysis", ["survival", "response", "linear"])
def test_no_rows_give_typed_empty_tables(analysis):
    comparisons = _comparisons(analyses="burden")
    members, survival, attributes, response = _cohort()
    if analysis == "survival":
        out = survival_tests(survival_times(comparisons, members, survival, attributes), comparisons)
        assert list(out.columns) == SURVIVAL_COLUMNS
    elif analysis == "response":
        out = logistic_by_group(response_outcomes(comparisons, members, response, attributes), "pcr", comparisons)
        assert list(out.columns) == MODEL_TABLE_COLUMNS
    else:
        out = linear_models(linear_inputs(comparisons, members, attributes), comparisons)
        assert list(out.columns) == MODEL_TABLE_COLUMNS
    assert out.empty
    assert out["term"].dtype == "string" and out["p_value"].dtype == float


def test_an_undeclared_statistic_returns_at_once_the_table_its_full_path_gives():
    """The models of response rates, logistic and linear models, NMF association, signature tests and paired
    group tests return their typed empty table at once when no comparison declares the analysis
    (declared.undeclared, tidy.no_rows, declared.no_model_rows): the same columns and types as the full path
    gives for such a study, so a later build that has rows can still insert them."""
    comparisons = _comparisons(analyses="burden")
    members, survival, attributes, response = _cohort()
    assert not undeclared(comparisons, "burden")
    assert all(undeclared(comparisons, a) for a in ("response", "linear", "nmf", "signatures", "paired", "longitudinal"))
    samples = members[["study_id", "sample_id"]]
    rates = with_member_data(comparison_members(comparisons, members, "response", one_per_patient=True),
                             response.assign(is_objective_response=1.0, is_disease_control=0.0),
                             keys=("patient_id",))
    full_and_at_once = {
        "response rates": (response_rates(rates, comparisons), no_rows(ENRICHMENT_COLUMNS)),
        "logistic": (logistic_by_group(response_outcomes(comparisons, members, response, attributes), "pcr",
                                       comparisons), no_model_rows()),
        "linear": (linear_models(linear_inputs(comparisons, members, attributes), comparisons), no_model_rows()),
        "nmf": (nmf_association(comparisons, members, samples.assign(rank=2, cluster=1), survival),
                no_rows(NMF_ASSOCIATION_COLUMNS)),
        "signatures": (signature_tests(comparisons, members,
                                       samples.assign(signature_id="SBS2", relative_exposure=0.5),
                                       samples.assign(apobec_enrichment=2.0, fraction_apobec_mutations=0.3)),
                       no_rows(NUMERIC_COLUMNS)),
        "paired": (paired_group_tests(pd.DataFrame(columns=["study_id", "pair_rule", "measure"]),
                                      comparison_members(comparisons, members, "paired"), comparisons,
                                      members[["study_id", "sample_id", "patient_id"]]),
                   no_rows(PAIRED_GROUP_COLUMNS)),
    }
    for name, (full, at_once) in full_and_at_once.items():
        assert full.empty, name
        pd.testing.assert_frame_equal(full, at_once, check_index_type=False, obj=name)
