-- One row per sample a study declares sequenced (sequenced_samples: in oncoduck_study.yml), its identifier
-- normalised as every sample id is (a TCGA aliquot barcode gives its sample): the staging face of
-- landing_sequenced_samples.
select distinct
    study_id,
    source_file,
    {{ sample_id_from_barcode('sample_id') }} as sample_id
from {{ ref('landing_sequenced_samples') }}
