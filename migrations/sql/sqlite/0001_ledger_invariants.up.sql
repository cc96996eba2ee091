-- The ledger's invariants, enforced by SQLite itself as far as SQLite can.
-- SQLite has no deferred triggers, so "every entry balances at commit" is guaranteed by the
-- application and rechecked by `regioledger verify`; everything else below holds even for
-- raw SQL. Messages start with a stable code that the application maps to its errors.

-- 1. Posted entries and postings are never updated or deleted.
CREATE TRIGGER journal_entry_no_update BEFORE UPDATE ON journal_entry
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on journal_entry is refused; book a reversing entry instead');
END;

CREATE TRIGGER journal_entry_no_delete BEFORE DELETE ON journal_entry
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on journal_entry is refused; book a reversing entry instead');
END;

CREATE TRIGGER posting_no_update BEFORE UPDATE ON posting
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on posting is refused; book a reversing entry instead');
END;

CREATE TRIGGER posting_no_delete BEFORE DELETE ON posting
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on posting is refused; book a reversing entry instead');
END;

-- 2. Accounts keep their identity, are never deleted, and stay closed once closed.
CREATE TRIGGER account_no_delete BEFORE DELETE ON account
BEGIN
    SELECT RAISE(ABORT, 'account_immutable: accounts cannot be deleted; close them instead');
END;

CREATE TRIGGER account_keeps_identity BEFORE UPDATE OF code, kind, normal_side, currency,
    non_negative, envelope, tranche, deal, beschikking, organisation, year, opened_at, opened_by
    ON account
BEGIN
    SELECT RAISE(ABORT, 'account_immutable: an account keeps its code, kind, currency, limit and dimensions');
END;

CREATE TRIGGER account_stays_closed BEFORE UPDATE OF closed_at ON account
WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'account_closed: a closed account stays closed');
END;

CREATE TRIGGER account_month_balance_no_delete BEFORE DELETE ON account_month_balance
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on account_month_balance is refused');
END;

-- 3. The journal is one gapless hash chain: entry n names entry n-1's hash.
CREATE TRIGGER journal_entry_chain BEFORE INSERT ON journal_entry
WHEN NOT (
    (NEW.id = 1 AND NEW.prev_hash = '0000000000000000000000000000000000000000000000000000000000000000')
    OR NEW.prev_hash IS (SELECT entry_hash FROM journal_entry WHERE id = NEW.id - 1)
)
BEGIN
    SELECT RAISE(ABORT, 'chain_broken: the entry does not follow the previous entry in the hash chain');
END;

-- 4. A posting books on an open account, keeps its entry's date, carries the running totals
--    that result, and then updates the account (whose CHECK ck_account_limit is the balance
--    limit) and its month balance.
CREATE TRIGGER posting_check BEFORE INSERT ON posting
BEGIN
    SELECT RAISE(ABORT, 'posting_date_mismatch: a posting must carry its entry''s effective date')
     WHERE NEW.effective_on IS NOT (SELECT effective_on FROM journal_entry WHERE id = NEW.entry_id);
    SELECT RAISE(ABORT, 'account_closed: the account is closed and takes no new postings')
     WHERE (SELECT closed_at FROM account WHERE id = NEW.account_id) IS NOT NULL;
    SELECT RAISE(ABORT, 'running_total_mismatch: the posting states totals that differ from the account''s')
      FROM account
     WHERE id = NEW.account_id
       AND (NEW.debit_total_after <> debit_total + (CASE WHEN NEW.side = 'debit' THEN NEW.amount ELSE 0 END)
         OR NEW.credit_total_after <> credit_total + (CASE WHEN NEW.side = 'credit' THEN NEW.amount ELSE 0 END));
END;

CREATE TRIGGER posting_apply AFTER INSERT ON posting
BEGIN
    UPDATE account
       SET debit_total = debit_total + (CASE WHEN NEW.side = 'debit' THEN NEW.amount ELSE 0 END),
           credit_total = credit_total + (CASE WHEN NEW.side = 'credit' THEN NEW.amount ELSE 0 END)
     WHERE id = NEW.account_id;
    INSERT INTO account_month_balance (account_id, month, debit_total, credit_total)
    VALUES (NEW.account_id,
            CAST(strftime('%Y%m', NEW.effective_on) AS INTEGER),
            CASE WHEN NEW.side = 'debit' THEN NEW.amount ELSE 0 END,
            CASE WHEN NEW.side = 'credit' THEN NEW.amount ELSE 0 END)
    ON CONFLICT (account_id, month) DO UPDATE
        SET debit_total = debit_total + excluded.debit_total,
            credit_total = credit_total + excluded.credit_total;
END;
