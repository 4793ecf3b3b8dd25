-- The twelve seasonal factors of the HN thread volume average exactly 1, and there are
-- twelve of them (every calendar month had a trend value in some year).
with factors as (
    select distinct
        {{ date_part_int('month', 'thread_month') }} as calendar_month,
        seasonal_factor
    from {{ ref('fct_hn_thread_volume_monthly') }}
)

select
    count(*) as calendar_months,
    avg(seasonal_factor) as mean_factor
from factors
having count(*) != 12 or abs(avg(seasonal_factor) - 1) > 1e-9
