-- Remote, hybrid and onsite shares of ML postings against all postings, by year.
-- Shares are of postings with a known policy value (null policies do not count).
with yearly as (
    select
        year(posting_month) as posting_year,
        is_ml,
        sum(postings)::bigint as postings,
        sum(postings) filter (where remote_policy is not null) as with_policy,
        coalesce(sum(postings) filter (where remote_policy = 'remote'), 0) as remote,
        coalesce(sum(postings) filter (where remote_policy = 'hybrid'), 0) as hybrid,
        coalesce(sum(postings) filter (where remote_policy = 'onsite'), 0) as onsite,
        coalesce(sum(postings) filter (where remote_policy = 'unknown'), 0) as unknown
    from marts.fct_remote_policy_monthly
    where source_name = 'hn_whoishiring'
    group by posting_year, is_ml
)

select
    posting_year,
    is_ml,
    postings,
    round(remote::double / with_policy, 3) as remote_share,
    round(hybrid::double / with_policy, 3) as hybrid_share,
    round(onsite::double / with_policy, 3) as onsite_share,
    round(unknown::double / with_policy, 3) as unknown_share
from yearly
order by posting_year, is_ml
