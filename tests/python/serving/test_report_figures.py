"""The report's figure specs keep issue 21's rules ("plots that never lie") without a browser: ratios of 0 and
infinity are arrows at the axis edge with the finite bound drawn, a ratio without an estimate is a labelled row
and never a point, log axes read as plain numbers, groups keep their declared order, and specs are valid JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from oncoduck.report import figures


def _forest(*rows) -> dict:
    frame = pd.DataFrame(rows, columns=["label", "estimate", "low", "high", "reason"])
    frame["annotation"] = "q = 0.01"
    frame["hover"] = frame["label"]
    return figures.forest(frame, "odds ratio")


def _trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t["name"] == name)


def _segment(spec: dict, row: int) -> list[float] | None:
    line = _trace(spec, "95 % CI")
    for i in range(0, len(line["y"]), 3):
        if line["y"][i] == row:
            return [line["x"][i], line["x"][i + 1]]
    return None


def test_a_zero_odds_ratio_is_an_arrow_at_the_left_edge_with_its_upper_bound():
    """The RARA row of issue 21: OR 0, CI 0 to 0.038 (a zero cell) was not drawn at all."""
    spec = _forest(("RARA", 0.0, 0.0, 0.0378, None), ("TP53", 6.6, 2.8, 16.3, None))
    left, right = spec["layout"]["meta"]["left_edge"], spec["layout"]["meta"]["right_edge"]
    assert list(_trace(spec, "towards 0")["y"]) == [0]
    assert list(_trace(spec, "towards 0")["x"]) == [left]
    assert 0 not in list(_trace(spec, "estimate")["y"])
    assert _segment(spec, 0) == [left, 0.0378]
    assert left < 0.0378 and right > 16.3
    assert spec["layout"]["meta"]["row_kinds"] == ["zero", "finite"]


def test_an_infinite_odds_ratio_is_an_arrow_at_the_right_edge_with_its_lower_bound():
    spec = _forest(("LY6G6F", math.inf, 6.88, math.inf, None))
    right = spec["layout"]["meta"]["right_edge"]
    assert list(_trace(spec, "towards infinity")["y"]) == [0]
    assert list(_trace(spec, "towards infinity")["x"]) == [right]
    assert _segment(spec, 0) == [6.88, right]


def test_an_open_interval_runs_to_the_edge_and_ends_in_an_arrow():
    spec = _forest(("GENE", 0.5, 0.0, 2.0, None), ("OTHER", 2.0, 0.5, math.inf, None))
    assert list(_trace(spec, "estimate")["y"]) == [0, 1]
    assert list(_trace(spec, "towards 0")["y"]) == [0]
    assert list(_trace(spec, "towards infinity")["y"]) == [1]


def test_a_ratio_without_estimate_is_a_labelled_row_never_a_point():
    """lim2021 PFS: monotone likelihood; the plot drew 1.9e-10 as a real point and squashed the valid one."""
    reason = "monotone likelihood: the hazard ratio of groupresponder is infinite or zero, not estimable"
    spec = _forest(("OS", 0.024, 0.0049, 0.117, None), ("PFS", math.nan, math.nan, math.nan, reason))
    assert all(1 not in list(t["y"]) for t in spec["data"])
    notes = [a for a in spec["layout"]["annotations"] if a.get("name") == "not_estimable"]
    assert [(a["y"], a["text"]) for a in notes] == [(1, "<i>not estimable (monotone likelihood)</i>")]
    # the axis is fitted to the estimable row and the no-effect line at 1 alone
    assert spec["layout"]["meta"]["left_edge"] == 0.0049 / 3 and spec["layout"]["meta"]["right_edge"] == 3.0


def test_an_estimate_without_interval_draws_no_line():
    spec = _forest(("X", 1.5, math.nan, math.nan, None))
    assert list(_trace(spec, "estimate")["y"]) == [0]
    assert _segment(spec, 0) is None


def test_log_axes_are_labelled_with_plain_numbers():
    ticks, text = figures._log_ticks(0.3, 30)  # few decades: 1, 2 and 5 of each
    assert text == ["0.5", "1", "2", "5", "10", "20"]
    assert ticks == [float(t) for t in text]
    _, wide = figures._log_ticks(0.004, 300)  # more than three decades: decades alone
    assert wide == ["0.01", "0.1", "1", "10", "100"]


def test_groups_keep_their_declared_order_and_colour():
    groups = ["her2_zero", "her2_low", "her2_positive"]
    freq = pd.DataFrame({"feature": ["ERBB2"] * 3, "group": ["her2_low", "her2_positive", "her2_zero"],
                         "n_altered": [1, 27, 4], "n_profiled": [68, 30, 52]})
    bars = figures.frequency_bars(freq, groups)
    assert [t["name"] for t in bars["data"]] == groups
    assert [t["marker"]["color"] for t in bars["data"]] == list(figures.GROUP_COLOURS[:3])
    km = pd.DataFrame({"group": ["her2_low", "her2_zero", "her2_positive"], "time": [5.0, 6.0, 7.0],
                       "surv": [0.5, 0.5, 0.5], "lower": [0.2] * 3, "upper": [0.9] * 3, "n_censor": [0, 0, 0]})
    at_risk = pd.DataFrame({0.0: [1, 1, 1], 6.0: [1, 0, 1]}, index=groups)
    curves = figures.kaplan_meier(km, at_risk, groups, "DFS")
    assert [t["name"] for t in curves["data"] if t.get("mode") == "lines" and t.get("showlegend", True)] == groups


def test_specs_are_strict_json():
    spec = _forest(("A", math.inf, 2.0, math.inf, None), ("B", math.nan, math.nan, math.nan, "no events"))
    text = json.dumps(figures.clean(spec), allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text
    assert figures.clean({"x": np.array([1.0, np.nan, np.inf]), "n": np.int64(3)}) == {"x": [1.0, None, None], "n": 3}


def test_somatic_interactions_sign_co_occurrence_up_and_exclusivity_down():
    """maftools' somaticInteractions colours -log10 p, co-occurrence and exclusivity apart; * for q < 0.05."""
    pairs = pd.DataFrame({"gene1": ["ERBB2", "ERBB2"], "gene2": ["RARA", "TP53"], "p_value": [1e-10, 0.01],
                          "q_value": [1e-9, 0.2], "odds_ratio": [math.inf, 0.1],
                          "event": ["Co_Occurence", "Mutually_Exclusive"], "n11": [20, 1], "n10": [7, 26],
                          "n01": [0, 60], "n00": [123, 63]})
    spec = figures.interactions_triangle(pairs, ["ERBB2", "RARA", "TP53"])
    z = spec["data"][0]["z"]
    assert z[1][0] == 10.0 and z[2][0] == -2.0  # below the diagonal: row RARA / TP53, column ERBB2
    assert np.isnan(z[0][1]) and np.isnan(z[0][0])
    assert (list(spec["data"][1]["x"]), list(spec["data"][1]["y"])) == (["ERBB2"], ["RARA"])


def test_volcano_puts_infinite_ratios_at_the_edge_and_leaves_out_rows_without_p():
    rows = pd.DataFrame({"label": ["A", "B", "C"], "ratio": [math.inf, 2.0, 0.5], "p_value": [0.01, 0.5, math.nan],
                         "q_value": [0.05, 0.9, math.nan], "hover": ["a", "b", "c"]})
    spec = figures.volcano(rows, "HR")
    trace = spec["data"][0]
    right = 10 ** spec["layout"]["xaxis"]["range"][1]
    assert list(trace["hovertext"]) == ["a", "b"]
    assert trace["x"][0] == right and trace["marker"]["symbol"][0] == "triangle-right"
    assert list(trace["marker"]["color"]) == ["#c62828", "#607d8b"]


def test_genome_frequency_draws_losses_below_zero():
    freq = pd.DataFrame({"region": ["1q", "1q"], "group": ["g", "g"], "direction": ["gain", "loss"],
                         "n_altered": [3, 1], "n_profiled": [10, 10]})
    spec = figures.genome_frequency(freq, ["1q"], ["g"])
    assert [list(t["y"]) for t in spec["data"]] == [[0.3], [-0.1]]


def test_waterfall_runs_from_the_largest_rise_to_the_largest_fall():
    rows = pd.DataFrame({"patient_id": ["P1", "P2", "P3", "P4"], "change": [-0.5, 0.8, -1.0, math.nan],
                         "status": ["persistent", "persistent", "cleared", "persistent"], "hover": ["", "", "", ""]})
    spec = figures.waterfall(rows, "change", "status")
    assert spec["layout"]["xaxis"]["categoryarray"] == ["P2", "P1", "P3"]


def test_oncoprint_draws_copy_number_as_tiles_under_mutation_bars_and_offers_orders():
    genes, samples = ["ERBB2", "TP53"], ["s1", "s2", "s3"]
    classes = pd.DataFrame([["Missense_Mutation", "", ""], ["", "Nonsense_Mutation", ""]], index=genes,
                           columns=samples)
    calls = pd.DataFrame([["amplification", "amplification", ""], ["", "", ""]], index=genes, columns=samples)
    profiled = pd.DataFrame([[True, True, True], [True, True, False]], index=genes, columns=samples)
    tracks = pd.DataFrame({"group": ["b", "a", "a"], "HER2": ["positive", None, "zero"]}, index=samples)
    orders = {"group, then alterations": ["s2", "s3", "s1"], "alterations": ["s1", "s2", "s3"]}
    spec = figures.oncoprint(classes, calls, profiled, pd.Series({"ERBB2": 2 / 3, "TP53": 0.5}), tracks,
                             {"group": ["a", "b"], "HER2": ["positive", "zero"]}, orders)
    tiles, bars, annotation = spec["data"][:3]
    assert tiles["z"].tolist() == [[2, 2, 1], [1, 1, 0]]  # amplification, not altered, not profiled
    assert tiles["text"][0][0] == "Missense Mutation, amplification"
    assert np.isnan(bars["z"][0][1]) and bars["z"][1][1] == list(figures.CLASS_COLOURS).index("Nonsense_Mutation")
    assert annotation["y"] == ["group", "HER2"] and annotation["text"][1].tolist() == ["positive", "unknown", "zero"]
    assert annotation["z"][1][1] == 0  # unknown: the pale first colour
    assert spec["layout"]["xaxis"]["categoryarray"] == ["s2", "s3", "s1"]
    menu = spec["layout"]["updatemenus"][0]["buttons"]
    assert [b["args"][0]["xaxis.categoryarray"] for b in menu] == list(orders.values())


def test_oncoprint_draws_every_counted_class_one_outside_the_palette_as_other():
    """A study whose TMB definition counts Splice_Region (or every class) has those mutations in its frequencies;
    the oncoprint draws them too, as Other, rather than leaving a counted mutation blank."""
    classes = pd.DataFrame([["Splice_Region", "Missense_Mutation"]], index=["TP53"], columns=["s1", "s2"])
    empty = pd.DataFrame([["", ""]], index=["TP53"], columns=["s1", "s2"])
    profiled = pd.DataFrame([[True, True]], index=["TP53"], columns=["s1", "s2"])
    spec = figures.oncoprint(classes, empty, profiled, pd.Series({"TP53": 1.0}), pd.DataFrame(index=["s1", "s2"]),
                             {}, {"alterations": ["s1", "s2"]})
    bars = spec["data"][1]
    assert bars["z"][0].tolist() == [list(figures.CLASS_COLOURS).index("Other"),
                                     list(figures.CLASS_COLOURS).index("Missense_Mutation")]
    assert "Other" in [d.get("name") for d in spec["data"]]


def test_lollipop_has_a_stem_per_residue_a_head_per_group_and_the_domains():
    mutations = pd.DataFrame({"position": [545, 545, 1047], "group": ["a", "b", "a"], "n_samples": [3, 1, 2],
                              "changes": ["p.E545K", "p.E545K", "p.H1047R"]})
    protein = pd.DataFrame({"aa_length": [1068, 1068], "refseq_id": ["NM_006218"] * 2, "domain_start": [699, 799],
                            "domain_end": [1064, 1017], "domain_label": ["PI3Kc_IA_alpha", "PI3Kc"],
                            "domain_name": ["catalytic", "catalytic"]})
    spec = figures.lollipop(mutations, protein, [545, 1047], ["a", "b"], "PIK3CA")
    stems = _trace(spec, "stems")
    assert stems["x"] == [545, 545, None, 1047, 1047, None] and stems["y"] == [0, 3, None, 0, 2, None]
    assert list(_trace(spec, "a")["y"]) == [3, 2] and list(_trace(spec, "b")["x"]) == [545]
    assert [(r["x0"], r["x1"]) for r in spec["layout"]["shapes"]] == [(0, 1068), (699, 1064), (799, 1017)]
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["PI3Kc_IA_alpha"]  # the nested one is not overprinted
    assert list(_trace(spec, "hotspot residue (the study's list)")["x"]) == [545, 1047]
