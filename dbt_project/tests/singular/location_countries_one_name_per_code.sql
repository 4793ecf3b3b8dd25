-- A country code has one name in the seed `location_countries`, or `country_name` in the
-- marts would depend on which place of a country a posting names.
select
    country_code,
    count(distinct country_name) as names
from {{ ref('location_countries') }}
group by country_code
having count(distinct country_name) > 1
