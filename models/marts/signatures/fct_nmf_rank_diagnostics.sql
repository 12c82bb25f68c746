-- One row per study declaring nmf per rank tried: the consensus matrix's cophenetic correlation and
-- dispersion (Brunet et al. 2004; Kim & Park 2007), the number of clusters found, whether it is the rank
-- kept (highest cophenetic correlation, ties to the smaller rank) and, for a rank that could not be run,
-- why. Read from fct_sample_nmf_cluster, which carries them on every row.
select
    study_id,
    rank,
    max(cophenetic_correlation) as cophenetic_correlation,
    max(dispersion) as dispersion,
    count(distinct cluster) as n_clusters,
    cast(sum(case when cluster is not null then 1 else 0 end) as bigint) as n_clustered_samples,
    coalesce(bool_or(is_chosen_rank), false) as is_chosen_rank,
    max(features) as features,
    max(n_features) as n_features,
    max(runs) as runs,
    max(seed) as seed,
    max(choice_rule) as choice_rule,
    max(case when cophenetic_correlation is null then reason end) as reason
from {{ ref('fct_sample_nmf_cluster') }}
group by study_id, rank
