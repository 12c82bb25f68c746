-- Named sample sets from case_lists/*.txt: one row per list per listed sample, ids normalised as
-- everywhere (upper case, TCGA aliquot barcodes truncated to the sample).
select distinct
    study_id,
    stable_id,
    case_list_name,
    {{ sample_id_from_barcode('sample_id') }} as sample_id
from {{ ref('landing_case_lists') }}
where sample_id is not null
