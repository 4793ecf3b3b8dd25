"""The estimated true ML / deep-learning / LLM share of every month of the HN series:
the published flags' share corrected for the classifier's measured error (Rogan-Gladen
with the error rates of the month's year on the labelled test split), with a 95%
bootstrap interval over the labels and the month's sampling (hiring_signals.estimates,
which the answer also calls for its windows)."""


def model(dbt, session):
    import pandas as pd

    import hiring_signals.answer as answer
    import hiring_signals.estimates as estimates

    dbt.config(materialized="table")
    monthly = dbt.ref("fct_ml_hiring_monthly").filter(answer.SERIES_FILTER).df()
    judgements = dbt.ref("fct_evaluation_judgements").df()
    return pd.DataFrame(
        estimates.share_estimates(monthly, judgements), columns=estimates.ESTIMATE_COLUMNS
    )
