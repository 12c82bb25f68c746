"""The selection for the variant / copy-number / burden tests (oncoduck_testing.CompiledProject.build): these
models, their parents and the data tests whose models are all built, so that the tests do not depend on unrelated
domains (clinical, comparisons, stats)."""

BURDEN_SELECTION = ("+path:models/intermediate/variants", "+path:models/intermediate/copy_number",
                    "+path:models/marts/burden", "+all_rejects")
