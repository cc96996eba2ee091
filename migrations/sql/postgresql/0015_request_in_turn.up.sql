-- An API write queues behind every other writer and then looks its Idempotency-Key up, in one
-- round trip: the journal's advisory transaction lock first, then the read, whose snapshot
-- (READ COMMITTED, a VOLATILE function: one per statement) is taken after the lock was granted,
-- so it sees the answer of a request with the same key that held the lock before it.
CREATE OR REPLACE FUNCTION regioledger_request_in_turn(lock_key bigint, wanted_actor text, wanted_key text)
RETURNS TABLE (fingerprint varchar, status integer, body text, headers text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN QUERY
        SELECT r.fingerprint, r.status, r.body, r.headers
          FROM api_request r
         WHERE r.actor = wanted_actor AND r.key = wanted_key;
END
$$;
