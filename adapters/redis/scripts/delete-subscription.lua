-- Deletes a subscription: its consumer group (with its pending entries) and all its state.
-- @include lib/subscription.lua
-- KEYS[11] the topic's subscriptions sorted set
-- Returns {0}.
if redis.call('EXISTS', stream) == 1 then redis.call('XGROUP', 'DESTROY', stream, group) end
for _, sha in ipairs(redis.call('HKEYS', holders)) do redis.call('DEL', parkedPrefix .. sha) end
redis.call('DEL', subMeta, dueSet, whySet, notes, dead, holders, outbox, unseen)
redis.call('ZREM', KEYS[11], group)
return {0}
