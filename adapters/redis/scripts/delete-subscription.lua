-- Deletes a subscription: its consumer group (with its pending entries), settings and due set.
-- KEYS[1] stream, KEYS[2] the topic's subscriptions sorted set, KEYS[3] subscription meta hash,
-- KEYS[4] due sorted set
-- ARGV[1] name
-- Returns {0} deleted, {1} unknown subscription.
if redis.call('EXISTS', KEYS[3]) == 0 then return {1} end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('XGROUP', 'DESTROY', KEYS[1], ARGV[1]) end
redis.call('DEL', KEYS[3], KEYS[4])
redis.call('ZREM', KEYS[2], ARGV[1])
return {0}
