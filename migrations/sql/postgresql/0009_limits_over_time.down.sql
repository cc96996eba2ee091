CREATE OR REPLACE FUNCTION regioledger_lock_journal(lock_key bigint, wanted_keys text[], wanted_codes text[])
RETURNS TABLE (head_id bigint, head_hash varchar, head_recorded_at timestamptz, known_keys bigint, accounts json)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    PERFORM 1 FROM account WHERE code = ANY (wanted_codes) ORDER BY id FOR UPDATE;
    RETURN QUERY
        SELECT h.id, h.entry_hash, h.recorded_at,
               (SELECT count(*) FROM journal_entry k WHERE k.key = ANY (wanted_keys)),
               (SELECT coalesce(json_agg(a ORDER BY a.id), '[]'::json)
                  FROM account a WHERE a.code = ANY (wanted_codes))
          FROM (SELECT 1) AS one
          LEFT JOIN LATERAL (
              SELECT e.id, e.entry_hash, e.recorded_at FROM journal_entry e ORDER BY e.id DESC LIMIT 1
          ) AS h ON true;
END
$$;
