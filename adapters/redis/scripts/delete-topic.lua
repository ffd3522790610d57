-- Deletes a topic's settings and messages unless it has subscriptions. Its idempotency keys are
-- removed by the caller afterwards (they expire by themselves in any case).
-- KEYS[1] topic meta hash, KEYS[2] stream, KEYS[3] the topic's subscriptions sorted set
-- Returns {0} deleted, {1} unknown topic, {2} the topic has subscriptions.
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
if redis.call('ZCARD', KEYS[3]) > 0 then return {2} end
redis.call('DEL', KEYS[1], KEYS[2])
return {0}
