-- Moves the lease end of deliveries to now + lease; the backoff of their attempt still follows it.
-- @include lib/subscription.lua
-- ARGV[6] lease ms, ARGV[7..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 superseded receipt.
local lease = tonumber(ARGV[6])
local now = nowMs()
local result = {0}
for i = 7, #ARGV, 2 do
  local id, attempt = ARGV[i], tonumber(ARGV[i + 1])
  local current = currentAttempt(id)
  if current and current ~= attempt then
    result[#result + 1] = 0
  else
    if current then
      redis.call('ZADD', dueSet, 'XX', now + lease + backoff(attempt), id)
      -- Held under a lease again: if it runs out, that is why it comes again.
      redis.call('HDEL', whySet, id)
    end
    result[#result + 1] = 1
  end
end
return result
