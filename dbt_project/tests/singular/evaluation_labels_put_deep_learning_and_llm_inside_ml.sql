-- A deep-learning or LLM role is an ML role: such a label without is_ml is a typo.
select posting_id
from {{ ref('evaluation_labels') }}
where (is_deep_learning = 1 or is_llm = 1) and is_ml = 0
