"""Sensitivity and specificity of the published flags per family and year (labelled test
split, design-weighted) against the 95% interval of all other years pooled: `drifted`
when a year falls outside, which the data test on this model turns into a failed build
(the corrected shares assume each year's rates; hiring_signals.estimates)."""


def model(dbt, session):
    import pandas as pd

    import hiring_signals.estimates as estimates

    dbt.config(materialized="table")
    judgements = dbt.ref("fct_evaluation_judgements").df()
    return pd.DataFrame(estimates.error_rate_drift(judgements), columns=estimates.DRIFT_COLUMNS)
