-- Raw Redis Streams peer: publishes one message with an idempotency key, the dedup a gateway on
-- Redis needs at the least.
-- KEYS[1] stream, KEYS[2] idempotency key
-- ARGV[1] payload, ARGV[2] dedup window ms
-- Returns the new entry id, or false for a duplicate (the key was seen within the window; nothing stored).
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return false end
return redis.call('XADD', KEYS[1], '*', 'd', ARGV[1])
