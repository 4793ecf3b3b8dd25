"""Precision, recall and prevalence of each classifier against the hand labels, weighted
by the sampling design, with 95% bootstrap intervals (hiring_signals.evaluation, which the
`evaluate` command also reads back). A Python model: the bootstrap lives in one place."""


def model(dbt, session):
    import pandas as pd

    import hiring_signals.evaluation as evaluation

    dbt.config(materialized="table")
    judgements = dbt.ref("fct_evaluation_judgements").df()
    return pd.DataFrame(evaluation.weighted_scores(judgements), columns=evaluation.SCORE_COLUMNS)
