-- Makes deliveries due again: after a delay, after the backoff of their attempt, or at once.
-- @include lib/subscription.lua
-- ARGV[5] delay ms or '' for the backoff, ARGV[6] why it falls due ('nack' or 'consumer-lost'),
-- ARGV[7] the nack's reason ('' none), ARGV[8], ARGV[9] the smallest and largest message id,
-- ARGV[10..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 invalid receipt (see settleReceipts).
local delay, why, lastError = tonumber(ARGV[5]), ARGV[6], ARGV[7]
local now = nowMs()
local dueNow = false
local result = settleReceipts(8, function(id, attempt)
  local wait = delay or backoff(attempt)
  redis.call('ZADD', dueSet, 'XX', now + wait, id)
  redis.call('HSET', whySet, id, why)
  if lastError ~= '' then redis.call('HSET', notes, id, lastError) end
  if wait == 0 then dueNow = true end
end)
if dueNow then redis.call('PUBLISH', channel, '') end
return result
