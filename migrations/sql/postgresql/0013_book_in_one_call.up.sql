-- One booking of one entry in one round trip (regioledger_book_entry). It takes the journal's
-- lock and the accounts' row locks as regioledger_lock_journal does, checks what the booker
-- would check against the locked rows, seals the entry into the chain and inserts it with its
-- postings, so that every trigger (chain, running totals, account limit, month balances, the
-- deferred balance check) still judges the rows. Anything out of the ordinary (a key booked
-- already, an unknown, closed or other-currency account, in kind mixed with cash, a limit that
-- would not hold, a back-dated booking on a limited account) writes nothing and answers
-- booked = false: the booker then takes its usual path and says exactly what is wrong.
CREATE FUNCTION regioledger_book_entry(
    lock_key bigint,
    entry_key text,
    entry_on date,
    booked_at timestamptz,
    entry_memo text,
    entry_actor text,
    entry_reason text,
    entry_source text,
    entry_digest text,
    codes text[],
    sides text[],
    amounts bigint[],
    currencies text[],
    memorandum_kinds text[]
)
RETURNS TABLE (booked boolean, entry_id bigint, recorded_at timestamptz, prev_hash text,
               entry_hash text, debit_after bigint[], credit_after bigint[])
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n integer := cardinality(codes);
    ids bigint[] := '{}';
    limited boolean[] := '{}';  -- a non-negative account, and its balance on the debit side
    debit_normal boolean[] := '{}';
    debits bigint[] := '{}';
    credits bigint[] := '{}';
    a record;
    j integer;
    head_id bigint;
    head_hash text;
    head_at timestamptz;
    new_id bigint;
    sealed_at timestamptz;
    new_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    PERFORM 1 FROM account WHERE code = ANY (codes) ORDER BY id FOR UPDATE;
    IF EXISTS (SELECT 1 FROM journal_entry e WHERE e.key = entry_key)
       OR (SELECT count(*) FROM account WHERE code = ANY (codes))
          <> (SELECT count(DISTINCT c) FROM unnest(codes) AS c)
       OR (SELECT count(DISTINCT kind = ANY (memorandum_kinds)) FROM account WHERE code = ANY (codes)) > 1
    THEN
        RETURN QUERY SELECT false, NULL::bigint, NULL::timestamptz, NULL::text, NULL::text,
                            NULL::bigint[], NULL::bigint[];
        RETURN;
    END IF;
    FOR i IN 1 .. n LOOP
        SELECT * INTO a FROM account WHERE code = codes[i];
        IF a.closed_at IS NOT NULL OR a.currency <> currencies[i] THEN
            RETURN QUERY SELECT false, NULL::bigint, NULL::timestamptz, NULL::text, NULL::text,
                                NULL::bigint[], NULL::bigint[];
            RETURN;
        END IF;
        ids := ids || a.id;
        limited := limited || a.non_negative;
        debit_normal := debit_normal || (a.normal_side = 'debit');
        debits := debits || a.debit_total;
        credits := credits || a.credit_total;
        FOR k IN REVERSE i - 1 .. 1 LOOP  -- the same account earlier in this entry: its running totals
            IF codes[k] = codes[i] THEN
                debits[i] := debits[k];
                credits[i] := credits[k];
                EXIT;
            END IF;
        END LOOP;
        IF sides[i] = 'debit' THEN
            debits[i] := debits[i] + amounts[i];
        ELSE
            credits[i] := credits[i] + amounts[i];
        END IF;
    END LOOP;
    FOR i IN 1 .. n LOOP  -- each limited account: within its limit after the whole entry, and not back-dated
        CONTINUE WHEN NOT limited[i];
        j := i;
        FOR k IN i + 1 .. n LOOP
            IF codes[k] = codes[i] THEN
                j := k;
            END IF;
        END LOOP;
        IF (CASE WHEN debit_normal[i] THEN debits[j] - credits[j] ELSE credits[j] - debits[j] END) < 0
           OR EXISTS (SELECT 1 FROM posting p WHERE p.account_id = ids[i] AND p.effective_on > entry_on)
        THEN
            RETURN QUERY SELECT false, NULL::bigint, NULL::timestamptz, NULL::text, NULL::text,
                                NULL::bigint[], NULL::bigint[];
            RETURN;
        END IF;
    END LOOP;
    SELECT e.id, e.entry_hash, e.recorded_at INTO head_id, head_hash, head_at
      FROM journal_entry e ORDER BY e.id DESC LIMIT 1;
    new_id := coalesce(head_id, 0) + 1;
    head_hash := coalesce(head_hash, repeat('0', 64));
    sealed_at := CASE WHEN head_at IS NULL OR booked_at > head_at THEN booked_at ELSE head_at END;
    -- ledger.chain.chain_hash: SHA-256 of prev_hash|sequence|recorded_at (UTC, microseconds)|digest
    new_hash := encode(sha256(convert_to(
        head_hash || '|' || new_id || '|'
        || to_char(sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'
        || '|' || entry_digest, 'UTF8')), 'hex');
    INSERT INTO journal_entry (id, key, effective_on, recorded_at, memo, actor, reason,
                               source_document, reverses_id, content_digest, prev_hash, entry_hash)
    VALUES (new_id, entry_key, entry_on, sealed_at, entry_memo, entry_actor, entry_reason,
            entry_source, NULL, entry_digest, head_hash, new_hash);
    FOR i IN 1 .. n LOOP  -- in order: the trigger applies each posting to its account's totals
        INSERT INTO posting (entry_id, position, account_id, currency, side, amount, effective_on,
                             debit_total_after, credit_total_after)
        VALUES (new_id, i - 1, ids[i], currencies[i], sides[i], amounts[i], entry_on,
                debits[i], credits[i]);
    END LOOP;
    RETURN QUERY SELECT true, new_id, sealed_at, head_hash, new_hash, debits, credits;
END
$$;
