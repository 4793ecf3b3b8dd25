-- Parses what postings say in words: seniority and employment type from the title and
-- header line, and the salary text into a yearly range in its currency and in US
-- dollars (rates: seed `currency_rates`). Ranges outside 15k-1.5M USD a year are kept
-- as text but not as numbers (status 'implausible'). The location text gives countries
-- (places: seed `location_countries`); the header line and full text give what the
-- posting says about visa sponsorship (patterns: macros/visa_patterns.sql).
-- depends_on: {{ ref('location_countries') }}
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='delete+insert'
    )
}}
with

-- Once built, only the postings changed since this model last ran.
postings as (
    select * from {{ ref('int_postings_unioned') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ last_run_of_this() }}
    {%- endif %}
),

rates as (
    select * from {{ ref('currency_rates') }}
),

words as (
    select
        posting_id,
        salary_text,
        location_text,
        lower(concat_ws(' ', title_text, header_line)) as role_words,
        -- Thousands separators, percentages and 401k plans are not salary numbers.
        {{ regexp('replace') }}(
            {{ regexp('replace') }}(
                replace(lower(salary_text), ',', ''), '\d+(\.\d+)?\s*%', ' ', 'g'
            ),
            '401\s*\(?k\)?', ' ', 'g'
        ) as salary_words
    from postings
),

salary_tokens as (
    select
        posting_id,
        salary_words,
        {{ regexp('extract_all') }}(salary_words, '\d+(?:\.\d+)?\s*k?') as tokens
    from words
    where salary_text is not null
),

salary_digits as (
    select
        *,
        {{ regexp('extract') }}(tokens[1], '[\d.]+') as first_digits,
        {{ regexp('extract') }}(tokens[2], '[\d.]+') as second_digits
    from salary_tokens
),

salary_numbers as (
    select
        posting_id,
        salary_words,
        {{ try_cast_to('first_digits', 'double') }} as first_number,
        tokens[1] like '%k' as first_in_thousands,
        {{ try_cast_to('second_digits', 'double') }} as second_number,
        tokens[2] like '%k' as second_in_thousands,
        case
            when {{ regexp('matches') }}(salary_words, '\bcad\b|c\$|ca\$') then 'CAD'
            when {{ regexp('matches') }}(salary_words, '\baud\b|a\$') then 'AUD'
            when {{ regexp('matches') }}(salary_words, '€|\beur\b') then 'EUR'
            when {{ regexp('matches') }}(salary_words, '£|\bgbp\b') then 'GBP'
            when {{ regexp('matches') }}(salary_words, '\bchf\b') then 'CHF'
            when {{ regexp('matches') }}(salary_words, '₹|\binr\b') then 'INR'
            when {{ regexp('matches') }}(salary_words, '\bsek\b') then 'SEK'
            when {{ regexp('matches') }}(salary_words, '\$|\busd\b') then 'USD'
        end as salary_currency,
        case
            when {{ regexp('matches') }}(salary_words, '/\s*h(ou)?r\b|per hour|hourly|an hour')
                then 'hour'
            when {{ regexp('matches') }}(salary_words, '/\s*mo(nth)?\b|per month|monthly')
                then 'month'
            else 'year'
        end as salary_period
    from salary_digits
),

salary_values as (
    select
        posting_id,
        salary_currency,
        salary_period,
        -- "$110-$210k": a bare first number takes the second number's thousands.
        first_number * case
            when first_in_thousands or (second_in_thousands and first_number < 1000) then 1000
            else 1
        end as low_value,
        coalesce(
            second_number * case when second_in_thousands then 1000 else 1 end,
            first_number * case
                when first_in_thousands or (second_in_thousands and first_number < 1000)
                    then 1000
                else 1
            end
        ) as high_value
    from salary_numbers
),

salary_yearly as (
    select
        salary_values.*,
        case salary_values.salary_period when 'hour' then 2080 when 'month' then 12 else 1 end
            as periods_per_year,
        rates.usd_per_unit
    from salary_values
    left join rates on salary_values.salary_currency = rates.currency
),

salaries as (
    select
        posting_id,
        salary_currency,
        salary_period,
        low_value * periods_per_year as salary_min_yearly,
        high_value * periods_per_year as salary_max_yearly,
        low_value * periods_per_year * usd_per_unit as salary_min_usd,
        high_value * periods_per_year * usd_per_unit as salary_max_usd,
        case
            when low_value is null then 'no_numbers'
            when usd_per_unit is null then 'unknown_currency'
            when
                low_value * periods_per_year * usd_per_unit < 15000
                or high_value * periods_per_year * usd_per_unit > 1500000
                or high_value < low_value
                then 'implausible'
            else 'parsed'
        end as salary_parse_status
    from salary_yearly
),

-- Each distinct location text is matched once: postings repeat a few thousand texts.
-- (Unused only when the seed table does not exist, as while linting.)
locations as (  -- noqa: ST03
    select distinct
        location_text,
        -- Web addresses are not places ("/jobs/us/", "sf.example.com").
        {{ regexp('replace') }}(location_text, {{ url_pattern() }}, ' ', 'gi') as location_words
    from postings
    where location_text is not null
),

-- One branch per place of the seed, its pattern a constant (macro seed_rows).
location_matches as (
    {%- for place in seed_rows('location_countries', 'place') %}
        select
            location_text,
            {{ sql_string(place.place) }} as place,
            {{ sql_string(place.country_code) }} as country_code,
            {{ sql_string(place.country_name) }} as country_name,
            -- Where in the text the place is named: the length of the shortest prefix
            -- before a match.
            {{ regexp_match_offset('location_words', place.pattern, 'i') }} as match_offset,
            length(
                {{ regexp('extract') }}(location_words, {{ sql_string(place.pattern) }}, 0, 'i')
            ) as match_length
        from locations
        where
            {{ regexp('matches') }}(location_words, {{ sql_string(place.pattern) }}, 'i')
            {%- if place.exclude_pattern %}
                and not {{ regexp('matches') }}(
                    location_words, {{ sql_string(place.exclude_pattern) }}, 'i'
                )
            {%- endif %}
        union all
    {%- endfor %}
    select
        null::varchar as location_text,
        null::varchar as place,
        null::varchar as country_code,
        null::varchar as country_name,
        null::bigint as match_offset,
        null::bigint as match_length
    where false
),

-- The place named first is where the posting is; "Barcelona, Spain or Geneva,
-- Switzerland" is in Spain. At the same offset the longer match wins.
first_countries as (
    {{ first_row_per(
        'location_matches',
        'location_text',
        'match_offset asc, match_length desc nulls last, place asc',
        columns='location_text, country_code, country_name'
    ) }}
),

all_countries as (
    select
        location_text,
        string_agg(distinct country_code, ',' order by country_code) as countries
    from location_matches
    group by location_text
),

-- A refusal is looked for first, so it wins over an offer. A bare "visa" is an offer
-- only in the header line; in the text an offer needs a phrase about sponsoring.
visas as (
    select
        posting_id,
        case
            when {{ regexp('matches') }}(
                    concat_ws(' ', header_line, full_text), {{ visa_refused_pattern() }}, 'i'
                ) then 'not_offered'
            when
                {{ regexp('matches') }}(
                    coalesce(header_line, ''), {{ visa_header_pattern() }}, 'i'
                )
                or {{ regexp('matches') }}(
                    coalesce(full_text, ''), {{ visa_offered_pattern() }}, 'i'
                )
                then 'offered'
            else 'unspecified'
        end as visa_sponsorship
    from postings
),

final as (
    select
        words.posting_id,
        case
            when {{ regexp('matches') }}(words.role_words, '\bintern(ship)?s?\b') then 'intern'
            when {{ regexp('matches') }}(
                    words.role_words, '\b(manager|director|head of|vp|vice president|chief|cto)\b'
                ) then 'management'
            when {{ regexp('matches') }}(words.role_words, '\b(principal|distinguished)\b')
                then 'principal'
            when {{ regexp('matches') }}(words.role_words, '\bstaff\b') then 'staff'
            when {{ regexp('matches') }}(words.role_words, '\b(senior|sr\.?)\b') then 'senior'
            when {{ regexp('matches') }}(words.role_words, '\b(lead|leader)\b') then 'lead'
            when {{ regexp('matches') }}(
                    words.role_words, '\b(junior|jr\.?|entry[- ]level|graduate|new grad)\b'
                ) then 'junior'
            else 'unspecified'
        end as seniority,
        case
            when {{ regexp('matches') }}(words.role_words, '\bintern(ship)?s?\b') then 'internship'
            when {{ regexp('matches') }}(words.role_words, '\b(contract|contractor|freelance)\b')
                then 'contract'
            when {{ regexp('matches') }}(words.role_words, '\bpart[- ]time\b') then 'part_time'
            when {{ regexp('matches') }}(words.role_words, '\bfull[- ]time\b|\bfte\b')
                then 'full_time'
            else 'unspecified'
        end as employment_type,
        salaries.salary_currency,
        salaries.salary_period,
        case when salaries.salary_parse_status = 'parsed' then salaries.salary_min_yearly end
            as salary_min_yearly,
        case when salaries.salary_parse_status = 'parsed' then salaries.salary_max_yearly end
            as salary_max_yearly,
        case when salaries.salary_parse_status = 'parsed' then salaries.salary_min_usd end
            as salary_min_usd,
        case when salaries.salary_parse_status = 'parsed' then salaries.salary_max_usd end
            as salary_max_usd,
        coalesce(salaries.salary_parse_status, 'no_salary') as salary_parse_status,
        first_countries.country_code,
        first_countries.country_name,
        all_countries.countries,
        visas.visa_sponsorship,
        {{ loaded_at() }} as _loaded_at
    from words
    left join salaries on words.posting_id = salaries.posting_id
    left join first_countries on words.location_text = first_countries.location_text
    left join all_countries on words.location_text = all_countries.location_text
    left join visas on words.posting_id = visas.posting_id
)

select * from final
