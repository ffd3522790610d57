-- Creates a topic's settings hash.
-- KEYS[1] topic meta hash
-- ARGV[1] dedup window ms, ARGV[2] create time ms
-- Returns {0} created, {1} the topic exists.
if redis.call('EXISTS', KEYS[1]) == 1 then return {1} end
redis.call('HSET', KEYS[1], 'dedupWindowMs', ARGV[1], 'createTimeMs', ARGV[2], 'maxPayload', 0)
return {0}
