-- Deletes a topic's settings, messages and idempotency keys unless it has subscriptions.
-- KEYS[1] topic meta hash, KEYS[2] stream, KEYS[3] the topic's subscriptions sorted set
-- ARGV[1] idempotency bucket prefix (lib/messages.lua: only the current and previous bucket exist)
-- Returns {0} deleted, {1} unknown topic, {2} the topic has subscriptions.
-- @include lib/common.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
if redis.call('ZCARD', KEYS[3]) > 0 then return {2} end
local bucket = math.floor(nowMs() / tonumber(redis.call('HGET', KEYS[1], 'dedupWindowMs')))
redis.call('DEL', KEYS[1], KEYS[2], ARGV[1] .. bucket, ARGV[1] .. (bucket - 1))
return {0}
