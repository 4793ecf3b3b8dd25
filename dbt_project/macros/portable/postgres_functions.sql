{#- Functions the portable macros call on Postgres, created by the project's on-run-start
    hook in the target schema (HS_PG_SCHEMA). On DuckDB the hook renders nothing: every
    portable macro there renders the DuckDB SQL the models were written in.

    hs_re2_to_are translates the RE2 patterns the project is written in (DuckDB's regex
    engine) into Postgres's advanced regular expressions (ARE):
      - \b and \B (word boundary) become \y and \Y: in Postgres \b is a backspace;
      - \s and \S become [\t\n\f\r ] and its complement (RE2's ASCII whitespace);
      - \z becomes \Z (end of text); \A stays;
      - an unescaped . outside brackets becomes [^\n], because RE2's dot stops at a
        newline unless the s flag is on, while Postgres's dot never does;
      - case-insensitive matching (the i option, (?i) and scoped groups such as
        (?-i:US), which Postgres cannot express) is spelled out: every letter the
        pattern matches case-insensitively becomes [xX] and bracket expressions get
        the other case added ([a-z] -> [A-Za-z]), so the result is matched as is;
      - a { that does not start a repetition count and a lone } become literals.
    Anything else RE2-specific (named groups, \p classes, \Q...\E, back references,
    multi-line and ungreedy flags) raises an error naming the pattern, rather than
    matching something else silently.

    The emulation functions apply the patterns to text collated "C", so \w, \d and \y
    know ASCII letters and digits only, as in RE2 (é is not a word character in
    either). What still differs: where several alternatives match at the same start,
    RE2 takes the first alternative and Postgres the longest match, which matters for
    the text a replace or an extraction covers, not for whether a pattern matches. -#}

{% macro create_portable_functions() -%}
    {{ return(adapter.dispatch('create_portable_functions', 'hiring_signals')()) }}
{%- endmacro %}

{% macro default__create_portable_functions() -%}
{%- endmacro %}

{% macro portable_schema() -%}
    {{ adapter.quote(target.schema) }}
{%- endmacro %}

{% macro postgres__create_portable_functions() -%}
{%- set s = portable_schema() -%}
create schema if not exists {{ s }};

create or replace function {{ s }}.hs_re2_to_are(pattern text, options text default '')
returns text
language plpgsql immutable strict parallel safe
as $function$
declare
    pattern_length integer := length(pattern);
    pos integer := 1;
    ch text;
    nxt text;
    result text := '';
    fold boolean := false;
    dot_all boolean := false;
    fold_stack boolean[] := '{}';
    dot_all_stack boolean[] := '{}';
    group_end integer;
    group_flags text;
    turn_on boolean;
    flag text;
    head text;
    body text;
    extra text;
    range_end text;
    repetition text;
begin
    -- DuckDB's options: i ignores case, c respects it, s lets . match a newline, g (replace
    -- every match) is the caller's business.
    for k in 1 .. length(options) loop
        flag := substr(options, k, 1);
        if flag = 'i' then fold := true;
        elsif flag = 'c' then fold := false;
        elsif flag = 's' then dot_all := true;
        elsif flag <> 'g' then
            raise exception 'hs_re2_to_are: unsupported regex option "%"', flag;
        end if;
    end loop;

    while pos <= pattern_length loop
        ch := substr(pattern, pos, 1);
        nxt := substr(pattern, pos + 1, 1);

        if ch = '\' then
            if nxt = 'b' then result := result || '\y';
            elsif nxt = 'B' then result := result || '\Y';
            elsif nxt = 'z' then result := result || '\Z';
            elsif nxt = 's' then result := result || '[\t\n\f\r ]';
            elsif nxt = 'S' then result := result || '[^\t\n\f\r ]';
            elsif nxt in ('A', 'd', 'D', 'w', 'W', 'n', 't', 'r', 'f', 'v') then
                result := result || ch || nxt;
            elsif nxt = '' or nxt ~ '^[[:alnum:]]$' then
                raise exception 'hs_re2_to_are: unsupported escape "\%" in %', nxt, pattern;
            else
                result := result || ch || nxt;  -- an escaped punctuation character
            end if;
            pos := pos + 2;

        elsif ch = '[' then
            -- A bracket expression, copied to its closing bracket. A ] or - right after
            -- the opening (or the ^) is literal; the other case of the letters goes in
            -- front of the rest so that it never lands inside a range.
            head := '[';
            pos := pos + 1;
            if substr(pattern, pos, 1) = '^' then
                head := head || '^';
                pos := pos + 1;
            end if;
            if substr(pattern, pos, 1) in (']', '-') then
                head := head || substr(pattern, pos, 1);
                pos := pos + 1;
            end if;
            body := '';
            extra := '';
            loop
                ch := substr(pattern, pos, 1);
                nxt := substr(pattern, pos + 1, 1);
                if ch = '' then
                    raise exception 'hs_re2_to_are: unterminated [ in %', pattern;
                elsif ch = ']' then
                    exit;
                elsif ch = '\' then
                    if nxt = 's' then body := body || '\t\n\f\r ';
                    elsif nxt in ('d', 'w', 'n', 't', 'r', 'f', 'v') then body := body || ch || nxt;
                    elsif nxt = '' or nxt ~ '^[[:alnum:]]$' then
                        raise exception 'hs_re2_to_are: unsupported escape "\%" in brackets in %',
                            nxt, pattern;
                    else body := body || ch || nxt;
                    end if;
                    pos := pos + 2;
                elsif ch = '[' and nxt = ':' then
                    group_end := position(':]' in substr(pattern, pos + 2));
                    if group_end = 0 then
                        raise exception 'hs_re2_to_are: unterminated [: in %', pattern;
                    end if;
                    body := body || substr(pattern, pos, group_end + 3);
                    pos := pos + group_end + 3;
                elsif ch = '[' and nxt in ('.', '=') then
                    raise exception 'hs_re2_to_are: "[%" inside brackets is not portable: %',
                        nxt, pattern;
                elsif nxt = '-' and substr(pattern, pos + 2, 1) not in (']', '') then
                    range_end := substr(pattern, pos + 2, 1);
                    if range_end = '\' then
                        raise exception 'hs_re2_to_are: escaped range end in %', pattern;
                    end if;
                    body := body || ch || '-' || range_end;
                    if fold and ch ~ '^[a-z]$' and range_end ~ '^[a-z]$' then
                        extra := extra || upper(ch) || '-' || upper(range_end);
                    elsif fold and ch ~ '^[A-Z]$' and range_end ~ '^[A-Z]$' then
                        extra := extra || lower(ch) || '-' || lower(range_end);
                    end if;
                    pos := pos + 3;
                else
                    body := body || ch;
                    if fold and upper(ch) <> lower(ch) and length(upper(ch)) = 1
                        and length(lower(ch)) = 1 then
                        extra := extra || case when ch = lower(ch) then upper(ch) else lower(ch) end;
                    end if;
                    pos := pos + 1;
                end if;
            end loop;
            result := result || head || extra || body || ']';
            pos := pos + 1;

        elsif ch = '(' then
            if nxt = '?' then
                -- (?flags), (?flags:...) or (?:...): read the flags up to ':' or ')'.
                group_end := pos + 2;
                while substr(pattern, group_end, 1) ~ '^[A-Za-z-]$' loop
                    group_end := group_end + 1;
                end loop;
                if substr(pattern, group_end, 1) not in (':', ')') then
                    raise exception 'hs_re2_to_are: unsupported group "%" in %',
                        substr(pattern, pos, group_end - pos + 1), pattern;
                end if;
                group_flags := substr(pattern, pos + 2, group_end - pos - 2);
                if substr(pattern, group_end, 1) = ':' then
                    -- A group with its own flags: remember the enclosing ones.
                    fold_stack := fold_stack || fold;
                    dot_all_stack := dot_all_stack || dot_all;
                    result := result || '(?:';
                end if;
                turn_on := true;
                for k in 1 .. length(group_flags) loop
                    flag := substr(group_flags, k, 1);
                    if flag = '-' then turn_on := false;
                    elsif flag = 'i' then fold := turn_on;
                    elsif flag = 's' then dot_all := turn_on;
                    else
                        raise exception 'hs_re2_to_are: unsupported flag "%" in %', flag, pattern;
                    end if;
                end loop;
                pos := group_end + 1;
            else
                fold_stack := fold_stack || fold;
                dot_all_stack := dot_all_stack || dot_all;
                result := result || '(';
                pos := pos + 1;
            end if;

        elsif ch = ')' then
            if cardinality(fold_stack) = 0 then
                raise exception 'hs_re2_to_are: unbalanced ) in %', pattern;
            end if;
            fold := fold_stack[cardinality(fold_stack)];
            dot_all := dot_all_stack[cardinality(dot_all_stack)];
            fold_stack := fold_stack[1:cardinality(fold_stack) - 1];
            dot_all_stack := dot_all_stack[1:cardinality(dot_all_stack) - 1];
            result := result || ')';
            pos := pos + 1;

        elsif ch = '.' then
            result := result || case when dot_all then '.' else '[^\n]' end;
            pos := pos + 1;

        elsif ch = '{' then
            repetition := substring(substr(pattern, pos) from '^\{[0-9]+(?:,[0-9]*)?\}');
            if repetition is null then
                result := result || '\{';
                pos := pos + 1;
            else
                result := result || repetition;
                pos := pos + length(repetition);
            end if;

        elsif ch = '}' then
            result := result || '\}';
            pos := pos + 1;

        elsif fold and upper(ch) <> lower(ch) and length(upper(ch)) = 1
            and length(lower(ch)) = 1 then
            result := result || '[' || lower(ch) || upper(ch) || ']';
            pos := pos + 1;

        else
            result := result || ch;
            pos := pos + 1;
        end if;
    end loop;
    return result;
end
$function$;

{#- Volatile on purpose: a CTE that calls it is computed once (Postgres does not fold a
    CTE with volatile calls into the query), so a seed's patterns are translated once
    per row, not once per row pair of the join that uses them. -#}
create or replace function {{ s }}.hs_regex_prepare(pattern text, options text default '')
returns text
language sql volatile parallel safe
as $function$ select {{ s }}.hs_re2_to_are(pattern, options) $function$;

create or replace function {{ s }}.hs_regexp_matches(
    string text, pattern text, options text default ''
)
returns boolean
language sql immutable parallel safe
as $function$ select (string collate "C") ~ {{ s }}.hs_re2_to_are(pattern, options) $function$;

create or replace function {{ s }}.hs_regexp_full_match(
    string text, pattern text, options text default ''
)
returns boolean
language sql immutable parallel safe
as $function$
    select (string collate "C") ~ ('^(?:' || {{ s }}.hs_re2_to_are(pattern, options) || ')$')
$function$;

create or replace function {{ s }}.hs_regexp_replace(
    string text, pattern text, replacement text, options text default ''
)
returns text
language sql immutable parallel safe
as $function$
    select regexp_replace(
        string collate "C",
        {{ s }}.hs_re2_to_are(pattern, options),
        replacement,
        case when position('g' in options) > 0 then 'g' else '' end
    )
$function$;

{#- DuckDB's regexp_extract gives '' (not null) when nothing matches. The whole pattern
    is wrapped in a group so that group 0 is the whole match. -#}
create or replace function {{ s }}.hs_regexp_extract(
    string text, pattern text, match_group integer default 0, options text default ''
)
returns text
language sql immutable parallel safe
as $function$
    select case when string is not null then coalesce(
        (regexp_match(string collate "C", '(' || {{ s }}.hs_re2_to_are(pattern, options) || ')'))
        [match_group + 1],
        ''
    ) end
$function$;

create or replace function {{ s }}.hs_regexp_extract_all(
    string text, pattern text, match_group integer default 0, options text default ''
)
returns text[]
language sql immutable parallel safe
as $function$
    select case when string is not null then array(
        select found.groups[match_group + 1]
        from regexp_matches(
            string collate "C", '(' || {{ s }}.hs_re2_to_are(pattern, options) || ')', 'g'
        ) with ordinality as found (groups, n)
        order by found.n
    ) end
$function$;

create or replace function {{ s }}.hs_regexp_split_to_array(
    string text, pattern text, options text default ''
)
returns text[]
language sql immutable parallel safe
as $function$
    select regexp_split_to_array(string collate "C", {{ s }}.hs_re2_to_are(pattern, options))
$function$;

{#- DuckDB's try_cast: null where the text is not a value of the type. -#}
{%- for name, type, volatility in [
    ('bigint', 'bigint', 'immutable'),
    ('double', 'double precision', 'immutable'),
    ('boolean', 'boolean', 'immutable'),
    ('date', 'date', 'stable'),
    ('timestamptz', 'timestamp with time zone', 'stable'),
] %}

create or replace function {{ s }}.hs_try_cast_{{ name }}(value text)
returns {{ type }}
language plpgsql {{ volatility }} parallel safe
as $function$
begin
    return value::{{ type }};
exception when others then
    return null;
end
$function$;
{%- endfor %}

{#- DuckDB's try_strptime for the formats portable_strptime_format() translates: the
    text must match the format's shape (Postgres's to_timestamp skips what it does not
    expect), and the wall-clock time is kept as is (read in UTC, so no daylight-saving
    gap can move it). -#}
create or replace function {{ s }}.hs_try_strptime(value text, shape text, pg_format text)
returns timestamp
language plpgsql stable parallel safe
set timezone to 'UTC'
as $function$
begin
    if value !~ shape then
        return null;
    end if;
    return to_timestamp(value, pg_format)::timestamp;
exception when others then
    return null;
end
$function$;

{#- A JSON array of strings as text[] (DuckDB reads such a field as VARCHAR[]). -#}
create or replace function {{ s }}.hs_json_text_array(value jsonb)
returns text[]
language sql immutable parallel safe
as $function$
    select case when jsonb_typeof(value) = 'array' then array(
        select element.value
        from jsonb_array_elements_text(value) with ordinality as element (value, n)
        order by element.n
    ) end
$function$;
{%- endmacro %}
