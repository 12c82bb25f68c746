"""dbt selection for the variant / copy-number / burden tests: these models, their parents and the tests
whose every parent is selected (cautious), so that the tests do not depend on unrelated domains
(clinical, comparisons, stats) that other work may have in progress."""

BURDEN_SELECTION = ("--select", "+path:models/intermediate/variants", "+path:models/intermediate/copy_number",
                    "+path:models/marts/burden", "+all_rejects", "--indirect-selection", "cautious")
