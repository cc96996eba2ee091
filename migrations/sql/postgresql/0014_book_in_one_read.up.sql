-- regioledger_book_entry as 0013 made it, with fewer statements per booking: the accounts of
-- the entry are locked in one statement and read in another (in posting order, with the checks
-- of key, accounts, currencies and in kind folded into that read), and the postings go in with
-- one INSERT ... SELECT in posting order, so that the row triggers still apply them one after
-- the other. A limited account's back-dated posting goes the usual way only when it is a draw
-- (the entry takes the account's balance down, as ledger.balances.check_limits_over_time
-- judges): a back-dated top-up raises every later balance and needs no history. Otherwise what
-- it checks, writes and answers is unchanged; see 0013 for the contract.
CREATE OR REPLACE FUNCTION regioledger_book_entry(
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
    ids bigint[];
    limited boolean[];  -- a non-negative account
    debit_normal boolean[];
    debits bigint[];
    credits bigint[];
    fits boolean;
    j integer;
    change bigint;
    head_id bigint;
    head_hash text;
    head_at timestamptz;
    new_id bigint;
    sealed_at timestamptz;
    new_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    PERFORM 1 FROM account WHERE code = ANY (codes) ORDER BY id FOR UPDATE;
    -- The accounts in posting order, in one read; fits: every code names an open account in
    -- the posting's currency, the key is new, and in kind is not mixed with cash.
    SELECT array_agg(a.id ORDER BY c.i), array_agg(a.non_negative ORDER BY c.i),
           array_agg(a.normal_side = 'debit' ORDER BY c.i),
           array_agg(a.debit_total ORDER BY c.i), array_agg(a.credit_total ORDER BY c.i),
           count(a.id) = n
             AND bool_and(a.closed_at IS NULL AND a.currency = c.currency)
             AND count(DISTINCT a.kind = ANY (memorandum_kinds)) = 1
             AND NOT EXISTS (SELECT 1 FROM journal_entry e WHERE e.key = entry_key)
      INTO ids, limited, debit_normal, debits, credits, fits
      FROM unnest(codes, currencies) WITH ORDINALITY AS c(code, currency, i)
      LEFT JOIN account a ON a.code = c.code;
    IF NOT coalesce(fits, false) THEN
        RETURN QUERY SELECT false, NULL::bigint, NULL::timestamptz, NULL::text, NULL::text,
                            NULL::bigint[], NULL::bigint[];
        RETURN;
    END IF;
    FOR i IN 1 .. n LOOP  -- each posting's running totals: after the account's last posting here
        FOR k IN REVERSE i - 1 .. 1 LOOP
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
    FOR i IN 1 .. n LOOP  -- each limited account: within its limit after the whole entry, and
        CONTINUE WHEN NOT limited[i];  -- a draw on it (the entry takes its balance down) not back-dated
        j := i;
        change := 0;
        FOR k IN 1 .. n LOOP
            IF codes[k] = codes[i] THEN
                j := k;  -- its last posting here: its totals after the entry
                change := change + CASE WHEN (sides[k] = 'debit') = debit_normal[i]
                                        THEN amounts[k] ELSE -amounts[k] END;
            END IF;
        END LOOP;
        IF (CASE WHEN debit_normal[i] THEN debits[j] - credits[j] ELSE credits[j] - debits[j] END) < 0
           OR (change < 0
               AND EXISTS (SELECT 1 FROM posting p WHERE p.account_id = ids[i] AND p.effective_on > entry_on))
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
    -- One statement, in posting order: the trigger applies each posting to its account's totals.
    INSERT INTO posting (entry_id, position, account_id, currency, side, amount, effective_on,
                         debit_total_after, credit_total_after)
    SELECT new_id, p.i - 1, p.id, p.currency, p.side, p.amount, entry_on, p.debit, p.credit
      FROM unnest(ids, currencies, sides, amounts, debits, credits)
           WITH ORDINALITY AS p(id, currency, side, amount, debit, credit, i)
     ORDER BY p.i;
    RETURN QUERY SELECT true, new_id, sealed_at, head_hash, new_hash, debits, credits;
END
$$;
