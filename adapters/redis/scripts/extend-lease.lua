-- Moves the lease end of deliveries to now + lease; the backoff of their attempt still follows it.
-- @include lib/subscription.lua
-- ARGV[5] lease ms, ARGV[6], ARGV[7] the smallest and largest message id, ARGV[8..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 invalid receipt (see settleReceipts).
local lease = tonumber(ARGV[5])
local now = nowMs()
return settleReceipts(6, function(id, attempt)
  redis.call('ZADD', dueSet, 'XX', now + lease + backoff(attempt), id)
  -- Held under a lease again: if it runs out, that is why it comes again.
  redis.call('HDEL', whySet, id)
end)
