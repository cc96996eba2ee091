DROP FUNCTION IF EXISTS regioledger_request_in_turn(bigint, text, text);
