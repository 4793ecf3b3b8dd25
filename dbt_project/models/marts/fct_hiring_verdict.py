"""The verdict: last 6 months vs the 6 before and vs a year earlier, per family.

A Python model because the statistics (Wilson and Katz intervals, the two-proportion
z-test, Poisson rate ratios) and the plain-English wording live in one place,
``hiring_signals.answer``, which the ``answer`` command and the report also call: the
mart, the command and the report print the same verdict.
"""


def model(dbt, session):
    import pandas as pd

    import hiring_signals.answer as answer

    dbt.config(materialized="table")
    monthly = dbt.ref("fct_ml_hiring_monthly").filter(answer.SERIES_FILTER).df()
    if not (monthly["postings"] > 0).any():  # no HN postings yet: no verdict rows
        return pd.DataFrame(columns=answer.VERDICT_COLUMNS)
    judgements = dbt.ref("fct_evaluation_judgements").df()
    result = answer.answer_from_monthly(monthly, judgements=judgements)
    return pd.DataFrame(answer.verdict_rows(result), columns=answer.VERDICT_COLUMNS)
