-- The ledger's invariants, enforced by PostgreSQL itself, whoever writes.
-- Every refusal message starts with a stable code ("entry_immutable: ...") that the
-- application maps to its own errors.

-- 1. Posted entries and postings are never updated, deleted or truncated.
CREATE FUNCTION regioledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'entry_immutable: % on % is refused; posted bookings are never changed or deleted, book a reversing entry instead', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER journal_entry_immutable BEFORE UPDATE OR DELETE ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER journal_entry_no_truncate BEFORE TRUNCATE ON journal_entry
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER posting_immutable BEFORE UPDATE OR DELETE ON posting
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER posting_no_truncate BEFORE TRUNCATE ON posting
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();

-- 2. Derived balances (account totals, month balances) change only through a posting.
--    pg_trigger_depth() > 1 means: called from the posting trigger below.
CREATE FUNCTION regioledger_guard_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'account_immutable: account % cannot be deleted; close it instead', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.code, NEW.kind, NEW.normal_side, NEW.currency, NEW.non_negative, NEW.envelope,
        NEW.tranche, NEW.deal, NEW.beschikking, NEW.organisation, NEW.year, NEW.opened_at,
        NEW.opened_by)
       IS DISTINCT FROM
       (OLD.code, OLD.kind, OLD.normal_side, OLD.currency, OLD.non_negative, OLD.envelope,
        OLD.tranche, OLD.deal, OLD.beschikking, OLD.organisation, OLD.year, OLD.opened_at,
        OLD.opened_by) THEN
        RAISE EXCEPTION 'account_immutable: account % keeps its code, kind, currency, limit and dimensions', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.closed_at IS NOT NULL AND NEW.closed_at IS DISTINCT FROM OLD.closed_at THEN
        RAISE EXCEPTION 'account_closed: account % is closed and stays closed', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.debit_total, NEW.credit_total) IS DISTINCT FROM (OLD.debit_total, OLD.credit_total)
       AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'entry_immutable: the totals of account % change only by posting', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER account_guard BEFORE UPDATE OR DELETE ON account
    FOR EACH ROW EXECUTE FUNCTION regioledger_guard_account();
CREATE TRIGGER account_no_truncate BEFORE TRUNCATE ON account
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();

CREATE FUNCTION regioledger_guard_month_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'entry_immutable: % on account_month_balance is refused; it changes only by posting', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER account_month_balance_guard BEFORE INSERT OR UPDATE OR DELETE ON account_month_balance
    FOR EACH ROW EXECUTE FUNCTION regioledger_guard_month_balance();
CREATE TRIGGER account_month_balance_no_truncate BEFORE TRUNCATE ON account_month_balance
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();

-- 3. The journal is one gapless hash chain: entry n names entry n-1's hash.
CREATE FUNCTION regioledger_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous_hash text;
BEGIN
    IF NEW.id = 1 THEN
        previous_hash := repeat('0', 64);
    ELSE
        SELECT entry_hash INTO previous_hash FROM journal_entry WHERE id = NEW.id - 1;
    END IF;
    IF previous_hash IS NULL OR previous_hash <> NEW.prev_hash THEN
        RAISE EXCEPTION 'chain_broken: entry % (%) does not follow entry % in the hash chain', NEW.id, NEW.key, NEW.id - 1
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER journal_entry_chain BEFORE INSERT ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION regioledger_check_chain();

-- 4. A posting updates its account's totals (whose CHECK ck_account_limit is the balance
--    limit; the UPDATE's row lock serialises concurrent draws), must carry the running
--    totals that result, books on an open account only, and keeps its entry's date.
CREATE FUNCTION regioledger_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_effective_on date;
    new_debit_total bigint;
    new_credit_total bigint;
    debit_amount bigint := CASE WHEN NEW.side = 'debit' THEN NEW.amount ELSE 0 END;
    credit_amount bigint := CASE WHEN NEW.side = 'credit' THEN NEW.amount ELSE 0 END;
BEGIN
    SELECT effective_on INTO entry_effective_on FROM journal_entry WHERE id = NEW.entry_id;
    IF entry_effective_on IS DISTINCT FROM NEW.effective_on THEN
        RAISE EXCEPTION 'posting_date_mismatch: a posting of entry % must carry its effective date', NEW.entry_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    UPDATE account
       SET debit_total = debit_total + debit_amount, credit_total = credit_total + credit_amount
     WHERE id = NEW.account_id AND closed_at IS NULL
    RETURNING debit_total, credit_total INTO new_debit_total, new_credit_total;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account_closed: account id % is closed or missing; entry % cannot book on it', NEW.account_id, NEW.entry_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF new_debit_total <> NEW.debit_total_after OR new_credit_total <> NEW.credit_total_after THEN
        RAISE EXCEPTION 'running_total_mismatch: entry % states totals for account id % that differ from the account''s', NEW.entry_id, NEW.account_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    INSERT INTO account_month_balance AS m (account_id, month, debit_total, credit_total)
    VALUES (NEW.account_id,
            (EXTRACT(YEAR FROM NEW.effective_on) * 100 + EXTRACT(MONTH FROM NEW.effective_on))::integer,
            debit_amount, credit_amount)
    ON CONFLICT (account_id, month) DO UPDATE
        SET debit_total = m.debit_total + EXCLUDED.debit_total,
            credit_total = m.credit_total + EXCLUDED.credit_total;
    RETURN NEW;
END
$$;

CREATE TRIGGER posting_apply BEFORE INSERT ON posting
    FOR EACH ROW EXECUTE FUNCTION regioledger_apply_posting();

-- 5. At commit, every entry has at least two postings and balances per currency.
CREATE FUNCTION regioledger_assert_balanced(checked_entry_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    posting_count integer;
    unbalanced record;
BEGIN
    SELECT count(*) INTO posting_count FROM posting WHERE entry_id = checked_entry_id;
    IF posting_count < 2 THEN
        RAISE EXCEPTION 'too_few_postings: entry % has % posting(s); it needs at least two', checked_entry_id, posting_count
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    FOR unbalanced IN
        SELECT currency,
               sum(CASE WHEN side = 'debit' THEN amount ELSE 0 END) AS debit_total,
               sum(CASE WHEN side = 'credit' THEN amount ELSE 0 END) AS credit_total
          FROM posting WHERE entry_id = checked_entry_id
         GROUP BY currency
        HAVING sum(CASE WHEN side = 'debit' THEN amount ELSE -amount END) <> 0
    LOOP
        RAISE EXCEPTION 'unbalanced_entry: entry % does not balance in %: debits % cents, credits % cents', checked_entry_id, unbalanced.currency, unbalanced.debit_total, unbalanced.credit_total
            USING ERRCODE = 'integrity_constraint_violation';
    END LOOP;
END
$$;

CREATE FUNCTION regioledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM regioledger_assert_balanced(NEW.id);
    RETURN NULL;
END
$$;

CREATE FUNCTION regioledger_check_posting_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM regioledger_assert_balanced(NEW.entry_id);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER journal_entry_balanced AFTER INSERT ON journal_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION regioledger_check_entry_balanced();
CREATE CONSTRAINT TRIGGER posting_balanced AFTER INSERT ON posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION regioledger_check_posting_balanced();

-- 6. Bookers queue on one transaction-scoped advisory lock (the hash chain has one order),
--    then read the chain's head, look up their idempotency keys and lock the accounts they
--    book on (in id order). A VOLATILE function reads with a fresh snapshot after the lock
--    is granted: one round trip instead of four.
CREATE FUNCTION regioledger_lock_journal(lock_key bigint, wanted_keys text[], wanted_codes text[])
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
