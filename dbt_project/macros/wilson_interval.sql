{#- Bounds of the Wilson score interval for k successes out of n (null when n = 0).
    Unlike the normal approximation it stays inside [0, 1] for small n and shares near 0.
    k and n may be expressions (`true_positives + false_positives`): they are
    parenthesised wherever they are used. -#}
{% macro wilson_bound(k, n, side) -%}
    {%- set z = var('wilson_z') -%}
    {%- set sign = '-' if side == 'low' else '+' -%}
    {%- set k = '(' ~ k ~ ')' -%}
    {%- set n = '(' ~ n ~ ')' -%}
    case
        when {{ n }} > 0 then
            (
                ({{ k }}::double / {{ n }}) + {{ z }} * {{ z }} / (2.0 * {{ n }})
                {{ sign }} {{ z }} * sqrt(
                    ({{ k }}::double / {{ n }}) * (1 - {{ k }}::double / {{ n }}) / {{ n }}
                    + {{ z }} * {{ z }} / (4.0 * {{ n }} * {{ n }})
                )
            ) / (1 + {{ z }} * {{ z }} / {{ n }})
    end
{%- endmacro %}
