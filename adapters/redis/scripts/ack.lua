-- Acknowledges deliveries of one subscription.
-- @include lib/subscription.lua
-- ARGV[5], ARGV[6] the smallest and largest message id, ARGV[7..] pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 settled (or already settled), 0 invalid receipt (see settleReceipts).
local settled = {}
local result = settleReceipts(5, function(id) settled[#settled + 1] = id end)
if #settled > 0 then
  redis.call('XACK', stream, group, unpack(settled))
  redis.call('ZREM', dueSet, unpack(settled))
  redis.call('HDEL', whySet, unpack(settled))
  redis.call('HDEL', notes, unpack(settled))
  if ordered then
    for _, id in ipairs(settled) do
      local fields = entryFields(id)
      if fields then releaseKey(id, fields) end
    end
  end
end
return result
