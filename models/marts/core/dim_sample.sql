-- One row per sample of the sample registry (clinical sample files), whether or not it has variants.
with samples as (
    select study_id, sample_id, patient_id from {{ ref('stg_study__samples') }}
),

studies as (
    select study_id, default_assay_id, sequenced_samples from {{ ref('stg_study__studies') }}
),

samples_in_maf as (
    -- every sample the mutation files name, its lines accepted or rejected
    select distinct study_id, sample_id from {{ ref('stg_study__mutations_checked') }}
),

attributes as (
    select
        study_id,
        sample_id,
        max(case when attribute = 'SAMPLE_TYPE' then value_text end) as sample_type_given,
        max(case when attribute = 'TIMEPOINT' then value_text end) as timepoint,
        max(case when attribute = 'BIOPSY' then value_text end) as biopsy,
        max(case when attribute = 'TUMOR_SITE' then value_text end) as tumor_site,
        max(case when attribute = 'GENE_PANEL' then value_text end) as gene_panel
    from {{ ref('stg_study__clinical_attributes') }}
    where level = 'sample'
    group by study_id, sample_id
),

mutation_panels as (
    select study_id, sample_id, max(panel_id) as panel_id
    from {{ ref('stg_study__sample_panels') }}
    where profile = 'mutations'
    group by study_id, sample_id
),

defined_assays as (
    -- assays whose genes or coding size are known: the assays seed, the panel seeds, the studies' panel files
    -- (for every study), and each study's own declared assays (oncoduck_study.yml assays: for that study only)
    select declaring_study_id, assay_id from {{ ref('stg_study__assays') }}
    union
    select declaring_study_id, assay_id from {{ ref('stg_study__assay_genes') }}
    union
    select cast(null as {{ dbt.type_string() }}), panel_id from {{ ref('stg_study__panel_genes') }}
),

study_defined_assays as (
    -- one row per study x assay id it may name
    select distinct studies.study_id, defined_assays.assay_id
    from studies
    inner join defined_assays
        on defined_assays.declaring_study_id is null or defined_assays.declaring_study_id = studies.study_id
),

declared_sequenced as (
    select distinct study_id, sample_id from {{ ref('stg_study__sequenced_samples') }}
),

studies_declaring as (
    select distinct study_id from {{ ref('stg_study__sequenced_samples') }}
    union
    select distinct study_id from {{ ref('stg_study__sample_panels') }} where profile = 'mutations'
),

studies_with_mutations as (
    select distinct study_id from {{ ref('stg_study__study_files') }} where file_kind in ('mutations', 'vcf')
),

typed as (
    select
        samples.study_id,
        samples.sample_id,
        samples.patient_id,
        case
            when lower(attributes.sample_type_given) in ('primary', 'primary tumor', 'primary solid tumor', 'primary tumour') then 'primary'
            when lower(attributes.sample_type_given) in ('metastasis', 'metastatic', 'metastases') then 'metastasis'
            when lower(attributes.sample_type_given) in ('recurrence', 'recurrent', 'recurrent tumor', 'relapse') then 'recurrence'
            when lower(attributes.sample_type_given) in ('plasma', 'cfdna', 'ctdna') then 'plasma'
            when lower(attributes.sample_type_given) in ('normal', 'blood normal', 'blood derived normal', 'solid tissue normal', 'wbc') then 'normal'
            when attributes.sample_type_given is not null then 'other'
            when {{ is_tcga_barcode('samples.sample_id') }} then
                case substr(samples.sample_id, 14, 2)
                    when '01' then 'primary' when '03' then 'primary' when '05' then 'primary'
                    when '02' then 'recurrence'
                    when '06' then 'metastasis' when '07' then 'metastasis'
                    when '10' then 'normal' when '11' then 'normal' when '12' then 'normal' when '14' then 'normal'
                    else 'other'
                end
            else 'unknown'
        end as sample_type,
        case
            when attributes.sample_type_given is not null then 'SAMPLE_TYPE attribute'
            when {{ is_tcga_barcode('samples.sample_id') }} then 'TCGA barcode sample code'
            else 'not given'
        end as sample_type_source,
        attributes.timepoint,
        attributes.biopsy,
        attributes.tumor_site,
        mutation_panels.panel_id as mutation_panel_id,
        attributes.gene_panel as attribute_panel_id,
        matrix_defined.assay_id is not null as mutation_panel_defined,
        attribute_defined.assay_id is not null as attribute_panel_defined,
        studies.default_assay_id,
        studies.sequenced_samples,
        samples_in_maf.sample_id is not null as in_maf,
        declared_sequenced.sample_id is not null as declared_sequenced,
        studies_declaring.study_id is not null as study_declares_sequenced,
        studies_with_mutations.study_id is not null as study_has_mutations
    from samples
    left join attributes on attributes.study_id = samples.study_id and attributes.sample_id = samples.sample_id
    left join mutation_panels on mutation_panels.study_id = samples.study_id and mutation_panels.sample_id = samples.sample_id
    left join studies on studies.study_id = samples.study_id
    left join samples_in_maf on samples_in_maf.study_id = samples.study_id and samples_in_maf.sample_id = samples.sample_id
    left join declared_sequenced on declared_sequenced.study_id = samples.study_id and declared_sequenced.sample_id = samples.sample_id
    left join studies_declaring on studies_declaring.study_id = samples.study_id
    left join studies_with_mutations on studies_with_mutations.study_id = samples.study_id
    left join study_defined_assays as matrix_defined
        on matrix_defined.study_id = samples.study_id and matrix_defined.assay_id = mutation_panels.panel_id
    left join study_defined_assays as attribute_defined
        on attribute_defined.study_id = samples.study_id and attribute_defined.assay_id = attributes.gene_panel
)

select
    study_id,
    sample_id,
    patient_id,
    sample_type,
    sample_type_source,
    timepoint,
    biopsy,
    tumor_site,
    -- precedence: gene panel matrix > Gene Panel sample attribute > oncoduck_study.yml assay_id > none named:
    -- exome_undeclared (cBioPortal's convention: a sample profiled without a gene panel is whole exome/genome;
    -- every gene profiled, but no coding size, so no TMB); a panel named but not defined resolves to no assay
    case
        when mutation_panel_id is not null then case when mutation_panel_defined then mutation_panel_id end
        when attribute_panel_id is not null then case when attribute_panel_defined then attribute_panel_id end
        when default_assay_id is not null then default_assay_id
        else 'exome_undeclared'
    end as assay_id,
    case
        when mutation_panel_id is not null then case when mutation_panel_defined then 'gene panel matrix' else 'unresolved' end
        when attribute_panel_id is not null then case when attribute_panel_defined then 'Gene Panel sample attribute' else 'unresolved' end
        when default_assay_id is not null then 'oncoduck_study.yml assay_id'
        else 'assumed: no gene panel named'
    end as assay_source,
    case
        when mutation_panel_id is not null and not mutation_panel_defined then
            'the gene panel matrix names panel ' || mutation_panel_id || ', which no gene panel file of the study and no seed defines'
        when mutation_panel_id is null and attribute_panel_id is not null and not attribute_panel_defined then
            'the Gene Panel attribute names panel ' || attribute_panel_id || ', which no gene panel file of the study and no seed defines'
    end as assay_unresolved_reason,
    in_maf as in_mutation_file,
    case
        when not study_has_mutations then false
        when sequenced_samples = 'maf' then in_maf
        when study_declares_sequenced then declared_sequenced or mutation_panel_id is not null
        else sample_type <> 'normal'
    end as is_sequenced,
    case
        when not study_has_mutations then 'study has no mutation file'
        when sequenced_samples = 'maf' then 'oncoduck_study.yml sequenced_samples: maf (samples in the mutation files)'
        when study_declares_sequenced then 'declared (#Sequenced_Samples, cases_sequenced.txt or gene panel matrix)'
        else 'assumed: every non-normal sample of a study with a MAF and no sequenced-sample list'
    end as sequenced_rule
from typed
